"""Driving an MCP server in process: memory streams, the protocol's own messages.

For tests that need what only a client sees (a cancelled request, a request the SDK routes)
without a subprocess. Import only from tests that skip without the ``mcp`` extra.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from infobip_connector import component
from infobip_connector.hosts.mcp.calls import ToolRunner
from infobip_connector.hosts.mcp.server import build_server
from infobip_connector.hosts.mcp.tools import build_tools
from infobip_connector.sandbox import Sandbox

from .mcp_messages import HELLO

#: ``send(message)`` and ``answer(request_id)`` (waits for it, takes it out).
Send = Callable[[dict[str, Any]], Awaitable[None]]
Answer = Callable[[int], Awaitable[dict[str, Any]]]


def message(data: dict[str, Any]) -> SessionMessage:
    """A JSON-RPC message of the SDK's type from its members but ``jsonrpc``."""
    return SessionMessage(types.jsonrpc_message_adapter.validate_python({"jsonrpc": "2.0", **data}))


def in_process(
    account: Sandbox,
    key: str,
    steps: Callable[[Send, Answer], Awaitable[None]],
    *names: str,
) -> dict[Any, dict[str, Any]]:
    """Run ``steps(send, answer)`` against a server of tools ``names`` (default: sendSms)
    on ``account`` (API key ``key``), initialized; gives the answers never taken."""
    tools = build_tools(component, list(names or ["sendSms"]), confirm_sends=False)
    runner = ToolRunner(component, tools, {"token": key}, account.transport(), sandbox=True)
    server = build_server(runner, {})
    answers: dict[Any, dict[str, Any]] = {}

    async def scenario() -> None:
        to_server, server_reads = anyio.create_memory_object_stream[SessionMessage | Exception](8)
        server_writes, from_server = anyio.create_memory_object_stream[SessionMessage](8)

        async def collect() -> None:
            async for sent in from_server:
                dumped = sent.message.model_dump(by_alias=True, exclude_none=True)
                answers[dumped.get("id")] = dumped

        async def send(data: dict[str, Any]) -> None:
            await to_server.send(message(data))

        async def answer(request_id: int) -> dict[str, Any]:
            with anyio.fail_after(20):
                while request_id not in answers:
                    await anyio.sleep(0.01)
            return answers.pop(request_id)

        options = server.create_initialization_options()
        async with anyio.create_task_group() as group:
            group.start_soon(server.run, server_reads, server_writes, options)
            group.start_soon(collect)
            await send({"id": 0, "method": "initialize", "params": HELLO})
            await answer(0)
            await send({"method": "notifications/initialized"})
            await steps(send, answer)
            to_server.close()

    anyio.run(scenario)
    return answers
