"""A tool call the client cancels: its send is not cut off mid-flight.

The server is driven in process over memory streams with the protocol's own messages
(``notifications/cancelled`` for a request in flight), against a sandbox account whose
Send SMS answers late. Skipped when the ``mcp`` extra is not installed.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("mcp")

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from infobip_connector import component
from infobip_connector.hosts.mcp.calls import ToolRunner
from infobip_connector.hosts.mcp.server import build_server
from infobip_connector.hosts.mcp.tools import IDEMPOTENCY_KEY, build_tools
from infobip_connector.sandbox import Fault, Sandbox

from .sandbox_support import KEY

SEND_PATH = "/sms/2/text/advanced"
TWO = {
    "messages": [
        {"destinations": [{"to": "+41 79 302 67 27"}, {"to": "+41 79 302 67 28"}], "text": "Hi"}
    ]
}
CALL = {"name": "sendSms", "arguments": {**TWO, IDEMPOTENCY_KEY: "step-1"}}
HELLO = {
    "protocolVersion": "2025-06-18",
    "capabilities": {},
    "clientInfo": {"name": "test", "version": "0"},
}


def _message(data: dict[str, Any]) -> SessionMessage:
    return SessionMessage(types.jsonrpc_message_adapter.validate_python({"jsonrpc": "2.0", **data}))


def test_a_cancelled_call_lets_its_send_finish_and_holds_its_key_until_then() -> None:
    account = Sandbox(KEY, deliver_reports=False)
    account.script("POST", SEND_PATH, Fault(delay=0.6, process=True))
    tools = build_tools(component, ["sendSms"], confirm_sends=False)
    runner = ToolRunner(component, tools, {"token": KEY}, account.transport(), sandbox=True)
    server = build_server(runner, {})
    answers: dict[Any, dict[str, Any]] = {}

    async def scenario() -> None:
        to_server, server_reads = anyio.create_memory_object_stream[SessionMessage | Exception](8)
        server_writes, from_server = anyio.create_memory_object_stream[SessionMessage](8)

        async def collect() -> None:
            async for message in from_server:
                dumped = message.message.model_dump(by_alias=True, exclude_none=True)
                answers[dumped.get("id")] = dumped

        async def answer(request_id: int) -> dict[str, Any]:
            with anyio.fail_after(10):
                while request_id not in answers:
                    await anyio.sleep(0.01)
            return answers.pop(request_id)

        options = server.create_initialization_options()
        async with anyio.create_task_group() as group:
            group.start_soon(server.run, server_reads, server_writes, options)
            group.start_soon(collect)
            await to_server.send(_message({"id": 0, "method": "initialize", "params": HELLO}))
            await answer(0)
            await to_server.send(_message({"method": "notifications/initialized"}))
            await to_server.send(_message({"id": 1, "method": "tools/call", "params": CALL}))
            await anyio.sleep(0.2)  # the send now waits for its (late) answer
            cancel = {"requestId": 1, "reason": "the user stopped it"}
            await to_server.send(_message({"method": "notifications/cancelled", "params": cancel}))
            await anyio.sleep(0.05)
            # Still running after the cancel: a second send with its key is refused.
            await to_server.send(_message({"id": 2, "method": "tools/call", "params": CALL}))
            refused = (await answer(2))["result"]
            assert refused["isError"] is True
            errors = refused["structuredContent"]["error"]["details"]["errors"]
            assert [e["path"] for e in errors] == [IDEMPOTENCY_KEY]
            await anyio.sleep(0.6)  # the first send has had its answer by now
            assert len(account.accepted_messages) == 2  # sent once, whole
            await to_server.send(_message({"id": 3, "method": "tools/call", "params": CALL}))
            assert (await answer(3))["result"]["isError"] is False  # its key is free again
            to_server.close()
        assert 1 not in answers  # a cancelled request is not answered

    anyio.run(scenario)
