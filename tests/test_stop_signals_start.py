"""A long-lived command (``serve``, ``mcp``) holds the stop signals from its first moments.

A signal during start-up (mostly imports: seconds on a busy machine) waits for the
command's handler instead of killing the process, so a client that stops a server it has
just started gets its answers and exit 0 (``hosts/stopsignals.py``). The console script
holds them as the package loads, before anything else.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .mcp_messages import initialize

linux_only = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads /proc (Linux)"
)
HELLO = initialize(0)
PROBE = (
    "import signal, sys; sys.argv = ['/venv/bin/infobip-connector', *sys.argv[1:]]; "
    "import infobip_connector; "
    "print(signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, []))"
)


def _held_on_import(*argv: str) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return done.stdout.strip() == b"True"


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_the_console_script_holds_them_as_the_package_loads() -> None:
    assert _held_on_import("mcp", "--sandbox")
    assert _held_on_import("-v", "serve")
    assert not _held_on_import("definition")  # a one-shot command keeps the defaults


def _blocked(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigBlk:"):
            return int(line.split()[1], 16)
    return 0


@linux_only
@pytest.mark.parametrize("transport", [[], ["--http", "--port", "0"]])
def test_mcp_a_stop_signal_during_start_up_is_answered_not_fatal(transport: list[str]) -> None:
    pytest.importorskip("mcp", reason="the mcp extra is not installed")
    server = subprocess.Popen(
        [sys.executable, "-m", "infobip_connector", "mcp", "--sandbox", *transport],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert server.stdin is not None
    server.stdin.write(json.dumps(HELLO).encode() + b"\n")
    server.stdin.flush()
    term = 1 << (signal.SIGTERM - 1)
    for _ in range(3000):  # until the process holds SIGTERM, well before its loop runs
        if server.poll() is not None or _blocked(server.pid) & term:
            break
        time.sleep(0.001)
    server.send_signal(signal.SIGTERM)
    out, err = server.communicate(timeout=120)
    assert server.returncode == 0, err.decode()
    if not transport:  # over stdio the line written before the signal is answered
        [answer] = [json.loads(line) for line in out.splitlines()]
        assert answer["id"] == 0 and "result" in answer
