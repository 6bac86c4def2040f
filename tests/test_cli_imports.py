"""A CLI step pays only for what its command uses: `run` loads no web server and no other
host's machinery (the per-step cost of figure 7 in `python -m bench`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from infobip_connector.sandbox import SandboxServer

from .conftest import ROOT

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


# Modules a `run` of the installed component does without: the definition is read from its
# checked copy (no YAML, no pydantic models or validators), the key travels in the
# connector's own SecretStr (no pydantic), and a sync send needs no event loop (asyncio).
NOT_FOR_A_STEP = ["yaml", "pydantic", "pydantic_core", "annotated_types", "asyncio"]

STEP = """
import json, sys
from infobip_connector.hosts import cli
cli.main(["run", "sendSms", "--input", sys.argv[1]])
sys.stderr.write(json.dumps(sorted(name for name in {names} if name in sys.modules)))
"""


def test_a_run_step_imports_no_yaml_pydantic_or_event_loop(
    server: SandboxServer, tmp_path: Path
) -> None:
    message = tmp_path / "message.json"
    message.write_text(
        json.dumps({"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]})
    )
    env = {
        **os.environ,
        "INFOBIP_API_KEY": "imports-key-5d1c9a7e",
        "INFOBIP_BASE_URL": server.url,
        "PYTHONPATH": str(ROOT),
    }
    code = STEP.format(names=json.dumps(NOT_FOR_A_STEP))
    done = subprocess.run(
        [sys.executable, "-c", code, str(message)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["messages"][0]["status"]["groupName"] == "PENDING"
    assert json.loads(done.stderr.splitlines()[-1]) == []
