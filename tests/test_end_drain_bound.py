"""A client that neither reads stdout nor closes it cannot keep ``serve`` or ``mcp`` alive.

Both hosts, at the end of their input, wait for the client to read the answers still
queued for ``--grace`` seconds at most; what it did not take by then is logged on stderr,
one line per answer, with a send's IDs and idempotency key, and the process exits 0. Real
processes whose stdout is a pipe the test holds open and never reads (answers far larger
than the pipe); a test fails on its timeout, never hangs, when a host waits for ever.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from typing import Any

import pytest

from .mcp_messages import initialize

DEFINITIONS = 12  # answers of about 100 KB each: far more than a pipe holds
TIMEOUT = 60  # seconds: the hosts are told 0.5


def _run(
    command: list[str],
    lines: list[dict[str, Any]],
    close_after: float | None = None,
    ready: bytes = b"",
) -> tuple[int, str]:
    """Run ``infobip-connector COMMAND``, write ``lines`` and close stdin once stderr holds
    ``ready`` (and a moment later: the end of input would refuse a call not started yet),
    never reading stdout; ``close_after``: seconds after which its end is closed then (None:
    never, while the host runs); gives the exit status and stderr."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("INFOBIP_")}
    read_end, write_end = os.pipe()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "infobip_connector", *command],
            stdin=subprocess.PIPE,
            stdout=write_end,
            stderr=err,
            env=environ,
        )
        os.close(write_end)
        try:
            assert proc.stdin is not None
            proc.stdin.write(b"".join(json.dumps(line).encode() + b"\n" for line in lines))
            proc.stdin.flush()
            _wait_for(err, ready)
            time.sleep(1)
            proc.stdin.close()
            if close_after is not None:
                time.sleep(close_after)
                os.close(read_end)  # gone while the host writes its last answers
                read_end = -1
            try:
                status = proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                pytest.fail("the host waited for ever for a client that does not read")
        finally:
            if read_end >= 0:
                os.close(read_end)  # only now: the client never closed its end
        err.seek(0)
        return status, err.read().decode()


def _wait_for(err: Any, text: bytes) -> None:
    """Wait until the file ``err`` holds ``text`` (a minute at most)."""
    deadline = time.monotonic() + TIMEOUT
    while text not in (err.seek(0) or err.read()):
        assert time.monotonic() < deadline, f"never logged: {text!r}"
        time.sleep(0.05)


def _lost(log: str) -> dict[str, str]:
    """The lines logged per lost answer, by the request id they name."""
    found = re.findall(r"answer not delivered: request (\S+?)[ :](.*)", log)
    return {request_id: rest for request_id, rest in found}


def _mcp_reads() -> list[dict[str, Any]]:
    """An MCP session's start, then reads of the definition (about 100 KB each)."""
    read = {"uri": "infobip-connector://definition"}
    return [
        initialize(0),
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        *(
            {"jsonrpc": "2.0", "id": n, "method": "resources/read", "params": read}
            for n in range(1, DEFINITIONS + 1)
        ),
    ]


def test_serve_gives_up_on_a_client_that_does_not_read_and_logs_each_answer() -> None:
    send = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": "Hello"}]}
    lines: list[dict[str, Any]] = [
        {"jsonrpc": "2.0", "id": n, "method": "definition"} for n in range(DEFINITIONS)
    ]
    execute = {"action": "sendSms", "input": send, "idempotencyKey": "k-drain"}
    lines.append({"jsonrpc": "2.0", "id": "send", "method": "execute", "params": execute})
    status, log = _run(["serve", "-v", "--sandbox", "--grace", "0.5"], lines, ready=b"sandbox:/")
    assert status == 0, log
    assert "not read within the grace period" in log
    lost = _lost(log)
    # All but what the pipe took whole: it holds less than one definition.
    assert len(lost) >= DEFINITIONS, log
    assert "it succeeded" in lost["'send'"] and "IDs: bulkId=" in lost["'send'"]
    assert "idempotencyKey='k-drain'" in lost["'send'"]
    assert "+41" not in log and "302 67" not in log


def test_mcp_stdio_gives_up_on_a_client_that_does_not_read_and_logs_each_answer() -> None:
    pytest.importorskip("mcp")
    send = {
        "messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": "Hello"}],
        "idempotency_key": "k-drain",
    }
    lines = [
        *_mcp_reads(),
        {
            "jsonrpc": "2.0",
            "id": "send",
            "method": "tools/call",
            "params": {"name": "sendSms", "arguments": send},
        },
    ]
    status, log = _run(["mcp", "-v", "--sandbox", "--grace", "0.5"], lines, ready=b"sandbox:/")
    assert status == 0, log
    lost = _lost(log)
    assert len(lost) >= DEFINITIONS, log
    assert "lost " not in log  # no count of lines in place of each answer
    line = lost["'send'"]
    assert line.startswith("(sendSms): it succeeded") and "IDs: bulkId=" in line
    assert "idempotency_key='k-drain'" in line
    assert "+41" not in log and "302 67" not in log


def test_mcp_stdio_names_each_answer_lost_when_stdout_closes_at_the_end() -> None:
    pytest.importorskip("mcp")
    lines = _mcp_reads()
    # A grace period the test never waits out: the close ends the last write (EPIPE).
    status, log = _run(["mcp", "--sandbox", "--grace", "30"], lines, close_after=1.0)
    assert status == 0, log
    lost = _lost(log)
    assert len(lost) >= DEFINITIONS - 1, log
    assert all("stdout cannot be written" in rest for rest in lost.values()), log
    assert "lost " not in log  # no count of lines in place of each answer
