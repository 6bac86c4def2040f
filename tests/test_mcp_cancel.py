"""A tool call the client cancels: its send is not cut off mid-flight.

The server is driven in process over memory streams with the protocol's own messages
(``notifications/cancelled`` for a request in flight), against a sandbox account whose
Send SMS answers late. Skipped when the ``mcp`` extra is not installed.
"""

from __future__ import annotations

import logging
import re

import pytest

pytest.importorskip("mcp")

import anyio

from infobip_connector.hosts.mcp.tools import IDEMPOTENCY_KEY
from infobip_connector.sandbox import Fault, Sandbox

from .mcp_messages import result_error
from .mcp_support import Answer, Send, in_process
from .sandbox_support import KEY

SEND_PATH = "/sms/2/text/advanced"
TWO = {
    "messages": [
        {"destinations": [{"to": "+41 79 302 67 27"}, {"to": "+41 79 302 67 28"}], "text": "Hi"}
    ]
}
CALL = {"name": "sendSms", "arguments": {**TWO, IDEMPOTENCY_KEY: "step-1"}}


def test_a_cancelled_call_lets_its_send_finish_and_holds_its_key_until_then() -> None:
    account = Sandbox(KEY, deliver_reports=False)
    account.script("POST", SEND_PATH, Fault(delay=0.6, process=True))

    async def steps(send: Send, answer: Answer) -> None:
        await send({"id": 1, "method": "tools/call", "params": CALL})
        await anyio.sleep(0.2)  # the send now waits for its (late) answer
        cancel = {"requestId": 1, "reason": "the user stopped it"}
        await send({"method": "notifications/cancelled", "params": cancel})
        await anyio.sleep(0.05)
        # Still running after the cancel: a second send with its key is refused.
        await send({"id": 2, "method": "tools/call", "params": CALL})
        refused = (await answer(2))["result"]
        assert refused["isError"] is True
        errors = result_error(refused)["details"]["errors"]
        assert [e["path"] for e in errors] == [IDEMPOTENCY_KEY]
        await anyio.sleep(0.6)  # the first send has had its answer by now
        assert len(account.accepted_messages) == 2  # sent once, whole
        await send({"id": 3, "method": "tools/call", "params": CALL})
        assert (await answer(3))["result"]["isError"] is False  # its key is free again

    unanswered = in_process(account, KEY, steps)
    assert 1 not in unanswered  # a cancelled request is not answered


def test_the_key_logged_for_a_cancelled_keyless_send_replays_its_result(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The log line of a cancelled call hands out the key the server made for it: the same
    # call with that key must get the result again, never send the messages a second time.
    account = Sandbox(KEY, deliver_reports=False)
    account.script("POST", SEND_PATH, Fault(delay=0.4, process=True))
    keyless = {"name": "sendSms", "arguments": TWO}

    async def steps(send: Send, answer: Answer) -> None:
        await send({"id": 1, "method": "tools/call", "params": keyless})
        await anyio.sleep(0.15)
        await send({"method": "notifications/cancelled", "params": {"requestId": 1}})
        await anyio.sleep(0.8)  # the send has ended and its line is logged
        logged = re.search(r"idempotency_key='(mcp-[^']+)'", caplog.text)
        assert logged is not None, caplog.text
        again = {"name": "sendSms", "arguments": {**TWO, IDEMPOTENCY_KEY: logged.group(1)}}
        await send({"id": 2, "method": "tools/call", "params": again})
        replayed = (await answer(2))["result"]
        assert replayed["isError"] is False
        assert replayed["_meta"]["infobip-connector/replay"] is True
        assert len(account.accepted_messages) == 2  # the two messages of the first call only

    with caplog.at_level(logging.WARNING, logger="infobip_connector.mcp"):
        in_process(account, KEY, steps)
