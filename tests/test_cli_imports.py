"""A CLI step pays only for what its command uses: `run` loads no web server and no other
host's machinery (the per-step cost of figure 7 in `python -m bench`)."""

from __future__ import annotations

import json
import subprocess
import sys

# Modules only `listen`, `sandbox`, `editor`, `serve` or `mcp` need.
NOT_FOR_RUN = [
    "aiohttp.web",
    "infobip_connector.hosts.listen",
    "infobip_connector.webserver",
    "infobip_connector.hosts.serve.worker",
    "infobip_connector.hosts.editor",
    "mcp",
]

PROBE = """
import json, sys
from infobip_connector.hosts import cli
cli.build_parser().parse_args(["run", "sendSms", "--input", "-"])
print(json.dumps(sorted(name for name in {names} if name in sys.modules)))
"""


def test_parsing_a_run_command_loads_no_other_commands_machinery() -> None:
    code = PROBE.format(names=json.dumps(NOT_FOR_RUN))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(done.stdout) == []
