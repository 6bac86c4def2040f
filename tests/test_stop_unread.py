"""A line written before a stdio host stops is answered (not run) or logged, never dropped.

``serve`` and the MCP server answer ``stopped`` the lines waiting in the pipe when they
stop; lines written while their calls in flight end, until the process exits, were read
by nobody and answered by nobody. Now the pipe is drained once more at the end and the
input closed right after (``LineReader.close``), so a later write fails at the client
(EPIPE) instead of waiting for an answer that never comes.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import orjson
import pytest

from infobip_connector.hosts.serve.lines import LineReader

from .conftest import ROOT
from .mcp_messages import initialize
from .serve_support import request, spawn

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pipes")
HELLO = initialize(0)


@posix_only
def test_a_closed_reader_makes_a_later_write_fail_at_once() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"one\ntwo\n")

    async def drain() -> list[Any]:
        lines = LineReader(read_end, 1000, asyncio.get_running_loop())
        lines.start()
        waiting = lines.ready()
        lines.close()
        return waiting

    try:
        assert asyncio.run(drain()) == [b"one", b"two"]
        with pytest.raises(BrokenPipeError):
            os.write(write_end, b"three\n")
    finally:
        os.close(read_end)
        os.close(write_end)


def _write_until_refused(process: subprocess.Popen[bytes], line: Any, stop_at: int) -> list[int]:
    """Write ``line(i)`` every 20 ms, SIGTERM after ``stop_at`` lines, until the pipe
    breaks (or 400 lines); the ids written."""
    assert process.stdin is not None
    written = []
    for number in range(1, 400):
        if number == stop_at:
            process.send_signal(signal.SIGTERM)
        try:
            process.stdin.write(line(number))
            process.stdin.flush()
        except BrokenPipeError:
            break
        written.append(number)
        time.sleep(0.02)
    return written


def _read_answers(process: subprocess.Popen[bytes]) -> tuple[dict[Any, Any], threading.Thread]:
    answers: dict[Any, Any] = {}

    def read() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            answer = orjson.loads(raw)
            answers[answer["id"]] = answer

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return answers, reader


@posix_only
def test_serve_answers_every_line_written_before_it_exits() -> None:
    worker = spawn("--sandbox")
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write(request(0, "definition") + b"\n")
    worker.stdin.flush()
    worker.stdout.readline()  # the worker runs
    answers, reader = _read_answers(worker)
    written = _write_until_refused(worker, lambda n: request(n, "definition") + b"\n", 10)
    worker.wait(timeout=120)
    reader.join(timeout=60)
    assert worker.returncode == 0
    assert len(written) < 399  # the input was closed: a write failed
    assert sorted(set(written) - set(answers)) == []
    late = [answers[n] for n in written if "error" in answers[n]]
    assert all(a["error"]["data"]["error"]["type"] == "stopped" for a in late)


@posix_only
def test_serve_with_stdout_closed_logs_every_line_written_before_it_exits() -> None:
    worker = spawn("--sandbox")
    assert worker.stdin is not None and worker.stdout is not None and worker.stderr is not None
    worker.stdin.write(request(0, "definition") + b"\n")
    worker.stdin.flush()
    worker.stdout.readline()  # the worker runs
    worker.stdout.close()  # the client stops reading
    log: list[bytes] = []
    logger = threading.Thread(target=lambda: log.extend(worker.stderr or []), daemon=True)
    logger.start()
    written = []
    for number in range(1, 400):
        try:
            worker.stdin.write(request(number, "definition") + b"\n")
            worker.stdin.flush()
        except BrokenPipeError:
            break
        written.append(number)
        time.sleep(0.02)
    worker.wait(timeout=120)
    logger.join(timeout=60)
    text = b"".join(log).decode()
    assert len(written) < 399
    missing = [n for n in written[1:] if f"request {n} (definition)" not in text]
    assert missing == [], text[-2000:]


@posix_only
def test_mcp_answers_every_line_written_before_it_exits() -> None:
    pytest.importorskip("mcp")
    server = subprocess.Popen(
        [sys.executable, "-m", "infobip_connector", "mcp", "--sandbox"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(json.dumps(HELLO).encode() + b"\n")
    server.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    server.stdin.flush()
    server.stdout.readline()  # initialized
    answers, reader = _read_answers(server)

    def ping(number: int) -> bytes:
        return json.dumps({"jsonrpc": "2.0", "id": number, "method": "ping"}).encode() + b"\n"

    written = _write_until_refused(server, ping, 10)
    server.wait(timeout=120)
    reader.join(timeout=60)
    assert server.returncode == 0
    assert len(written) < 399
    assert sorted(set(written) - set(answers)) == []
