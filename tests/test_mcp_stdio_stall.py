"""A client that stops reading its stdin never holds up the MCP server's event loop.

``stdio_streams`` is run in process with descriptor 1 pointed at a pipe nobody reads yet:
a message larger than the pipe waits for room on the loop while other tasks run, and once
the client reads, every line arrives whole and in order. Run on a thread of its own, so a
write that blocks the loop fails the test instead of hanging it. Skipped without ``mcp``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Awaitable, Callable

import pytest

pytest.importorskip("mcp")

import mcp_types as types
from mcp.shared.message import SessionMessage

from infobip_connector.hosts.mcp.stdio import MessageWriter, stdio_streams

BIG = 1_000_000  # bytes: far more than a pipe holds (64 KiB on Linux)
Scenario = Callable[[MessageWriter, int], Awaitable[None]]


def _answer(number: int, size: int) -> SessionMessage:
    result = {"text": "x" * size}
    return SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=number, result=result))


def _line(message: SessionMessage) -> bytes:
    return message.message.model_dump_json(by_alias=True, exclude_unset=True).encode() + b"\n"


def _run(scenario: Scenario) -> None:
    """Run ``scenario(writer, out_read)`` on a thread, descriptor 1 the write end of a pipe
    whose read end is ``out_read`` (stdin one nobody writes); fail if the loop stays blocked.

    The descriptors are swapped here, in the test's body, since pytest points descriptor 1
    at its capture again between a fixture and the test.
    """
    out_read, out_write = os.pipe()
    in_read, in_write = os.pipe()
    failures: list[BaseException] = []

    async def main() -> None:
        async with stdio_streams() as (_reader, writer):
            await scenario(writer, out_read)

    def thread() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:
            failures.append(exc)

    saved = os.dup(1)
    os.dup2(out_write, 1)
    stdin = sys.stdin
    sys.stdin = os.fdopen(in_read, "rb", closefd=False)
    runner = threading.Thread(target=thread, daemon=True)
    try:
        runner.start()
        runner.join(30)
        stuck = runner.is_alive()
    finally:
        os.dup2(saved, 1)
        sys.stdin = stdin
        for fd in (saved, in_read, in_write):
            os.close(fd)
    os.close(out_read)  # a write still stuck ends (EPIPE), and its thread with it
    runner.join(30)
    blocking = os.get_blocking(out_write)
    os.close(out_write)
    if stuck:
        pytest.fail("a write to a stalled stdout blocked the event loop")
    if failures:
        raise failures[0]
    assert blocking  # put back as it was


async def _read(fd: int, lines: int) -> bytes:
    """What the client reads until ``lines`` newlines have arrived (off the loop)."""

    def read() -> bytes:
        data = b""
        while data.count(b"\n") < lines:
            chunk = os.read(fd, 65536)
            assert chunk, "stdout ended early"
            data += chunk
        return data

    return await asyncio.get_running_loop().run_in_executor(None, read)


def test_a_stalled_client_leaves_the_loop_running() -> None:
    big, small = _answer(1, BIG), _answer(2, 10)

    async def scenario(writer: MessageWriter, fd: int) -> None:
        sending = asyncio.ensure_future(writer.send(big))
        then = asyncio.ensure_future(writer.send(small))
        for _ in range(20):  # the loop runs other tasks while nobody reads
            await asyncio.sleep(0.005)
        assert not sending.done(), sending.exception()
        assert not then.done()
        wire = await _read(fd, 2)
        await asyncio.wait_for(asyncio.gather(sending, then), 20)
        assert wire == _line(big) + _line(small), "not the two lines, whole and in order"

    _run(scenario)


def test_a_send_cancelled_halfway_leaves_no_broken_line() -> None:
    big, small = _answer(1, BIG), _answer(2, 10)

    async def scenario(writer: MessageWriter, fd: int) -> None:
        sending = asyncio.ensure_future(writer.send(big))
        await asyncio.sleep(0.05)  # part of it is in the pipe, the rest waits
        sending.cancel()
        then = asyncio.ensure_future(writer.send(small))
        wire = await _read(fd, 2)
        await asyncio.wait_for(then, 20)
        assert wire == _line(big) + _line(small), "a line broken or lost"

    _run(scenario)
