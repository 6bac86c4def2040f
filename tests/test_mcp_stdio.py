"""The MCP server's own stdio transport: lines in, messages out, on the event loop.

In process over pipes for the streams themselves; the server as a subprocess for what a
client sees on the wire. Skipped when the ``mcp`` extra is not installed.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("mcp")

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from infobip_connector.hosts.mcp.stdio import LineTooLong, MessageReader, MessageWriter
from infobip_connector.hosts.serve.lines import LineReader

from .conftest import ROOT
from .mcp_messages import HELLO

PING = b'{"jsonrpc":"2.0","id":7,"method":"ping"}'


def _read_all(data: bytes, limit: int) -> list[Any]:
    """What a MessageReader yields for ``data`` written to a pipe and closed."""
    read_end, write_end = os.pipe()
    os.write(write_end, data)
    os.close(write_end)

    async def read() -> list[Any]:
        lines = LineReader(read_end, limit, asyncio.get_running_loop())
        lines.start()
        async with MessageReader(lines) as reader:
            return [item async for item in reader]

    try:
        return asyncio.run(read())
    finally:
        os.close(read_end)


def test_each_line_is_a_message_and_a_bad_line_its_parse_error() -> None:
    long_line = b'{"jsonrpc":"2.0","method":"x","params":{"t":"' + b"a" * 200 + b'"}}'
    items = _read_all(b"not json\n" + long_line + b"\n\n" + PING, limit=100)
    assert len(items) == 3
    assert isinstance(items[0], Exception) and not isinstance(items[0], LineTooLong)
    assert isinstance(items[1], LineTooLong)  # skipped, never kept whole
    assert isinstance(items[2], SessionMessage)  # the last line needs no newline
    assert isinstance(items[2].message, types.JSONRPCRequest) and items[2].message.id == 7


def test_a_message_is_written_whole_as_the_sdk_dumps_it() -> None:
    read_end, write_end = os.pipe()
    message = types.jsonrpc_message_adapter.validate_json(PING)

    async def write() -> None:
        async with MessageWriter(write_end) as writer:
            await writer.send(SessionMessage(message))

    asyncio.run(write())
    os.close(write_end)
    with os.fdopen(read_end, "rb") as wire:
        written = wire.read()
    assert written == message.model_dump_json(by_alias=True, exclude_unset=True).encode() + b"\n"


def test_a_failed_write_stops_the_server_once_and_logs_each_answer() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    os.set_blocking(write_end, False)
    answers = [types.JSONRPCResponse(jsonrpc="2.0", id=number, result={}) for number in (1, 2)]
    gone: list[bool] = []
    lost: list[tuple[Any, str]] = []

    async def write() -> None:
        writer = MessageWriter(write_end)
        writer.gone = lambda: gone.append(True)
        writer.lost = lambda message, why: lost.append((message.id, why))
        for answer in answers:
            with pytest.raises(anyio.BrokenResourceError):
                await writer.send(SessionMessage(answer))
        await writer.drain(1.0)  # nothing left: the end gives nothing up

    try:
        asyncio.run(write())
    finally:
        os.close(write_end)
    assert gone == [True]  # the server stops at the first failure, as serve's worker does
    assert [request_id for request_id, _ in lost] == [1, 2]
    assert all("stdout cannot be written" in why for _, why in lost)


def test_no_line_is_read_while_the_answers_output_is_congested() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, PING + b"\n" + PING + b"\n")

    async def read() -> None:
        room = asyncio.Event()
        lines = LineReader(read_end, 1024, asyncio.get_running_loop())
        lines.start()
        reader = MessageReader(lines, room=room.wait)
        receiving = asyncio.ensure_future(reader.receive())
        await asyncio.sleep(0.05)
        assert not receiving.done(), "read a line while the output was congested"
        room.set()
        first = await asyncio.wait_for(receiving, 10)
        assert isinstance(first, SessionMessage)
        lines.close()

    try:
        asyncio.run(read())
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_closed_stdout_is_a_broken_stream_not_a_crash() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    message = types.jsonrpc_message_adapter.validate_json(PING)

    async def write() -> None:
        await MessageWriter(write_end).send(SessionMessage(message))

    try:
        with pytest.raises(anyio.BrokenResourceError):
            asyncio.run(write())
    finally:
        os.close(write_end)


def test_over_the_wire_a_bad_line_is_answered_and_the_next_too() -> None:
    lines = [
        b"this is not json",
        json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": HELLO}).encode(),
        b'{"jsonrpc":"2.0","method":"notifications/initialized"}',
        PING,
    ]
    done = subprocess.run(
        [sys.executable, "-m", "infobip_connector", "mcp", "--sandbox"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["id"] for a in answers] == [None, 1, 7]
    assert answers[0]["error"]["code"] == -32700  # a parse error, as JSON-RPC wants
    assert answers[1]["result"]["serverInfo"]["name"] == "infobip-connector"
    assert answers[2]["result"] == {}
