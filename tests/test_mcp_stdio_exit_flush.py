"""End of input while the client is not reading: every answer goes out whole before exit."""

from __future__ import annotations

import json
import os
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
