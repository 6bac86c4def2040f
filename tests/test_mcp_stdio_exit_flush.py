"""End of input while the client is not reading: every answer goes out whole before exit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from .mcp_messages import initialize

pytest.importorskip("mcp")

COUNT = 24


def _requests() -> bytes:
    lines = [
        initialize(0),
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        *({"jsonrpc": "2.0", "id": n, "method": "tools/list"} for n in range(1, COUNT + 1)),
    ]
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def test_stalled_then_resumed_reader_gets_every_answer_whole_after_eof() -> None:
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "infobip_connector.hosts.cli", "mcp", "--sandbox"],
        stdin=subprocess.PIPE,
        stdout=write_end,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    assert proc.stdin is not None
    proc.stdin.write(_requests())
    proc.stdin.close()  # end of input right after the requests
    time.sleep(1.5)  # the reader stalls: the pipe fills while the server reaches the end
    out = bytearray()
    while chunk := os.read(read_end, 1 << 16):
        out += chunk
    os.close(read_end)
    assert proc.wait(timeout=60) == 0
    assert out.endswith(b"\n")
    answers = [json.loads(line) for line in out.splitlines()]
    assert sorted(a["id"] for a in answers) == list(range(COUNT + 1))


SENDS = 8
SMS = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": "Hello"}]}


@pytest.mark.parametrize("stop", ["SIGTERM", "end of input"])
def test_answers_written_after_a_stall_are_never_logged_as_not_delivered(stop: str) -> None:
    read = {"uri": "infobip-connector://definition"}
    lines = [initialize(0), {"jsonrpc": "2.0", "method": "notifications/initialized"}]
    for n in range(1, SENDS + 1):  # a large answer, then a send, each time
        lines.append(
            {"jsonrpc": "2.0", "id": 2 * n - 1, "method": "resources/read", "params": read}
        )
        call = {"name": "sendSms", "arguments": SMS}
        lines.append({"jsonrpc": "2.0", "id": 2 * n, "method": "tools/call", "params": call})
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "infobip_connector.hosts.cli", "mcp", "--sandbox", "--grace", "30"],
        stdin=subprocess.PIPE,
        stdout=write_end,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(b"".join(json.dumps(line).encode() + b"\n" for line in lines))
    proc.stdin.flush()
    time.sleep(2)  # the calls run; their answers wait for a reader that has stalled
    if stop == "SIGTERM":
        proc.send_signal(signal.SIGTERM)
    proc.stdin.close()
    time.sleep(4)  # longer than the stop waits for the answers (inflight.SETTLE_SECONDS)
    out = bytearray()
    while chunk := os.read(read_end, 1 << 16):  # the reader resumes: every answer arrives
        out += chunk
    os.close(read_end)
    log = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, log
    answers = [json.loads(line) for line in out.splitlines()]
    assert sorted(a["id"] for a in answers) == list(range(2 * SENDS + 1))
    assert "answer not delivered" not in log, log
