"""The pooled async path never sends a request again on its own.

aiohttp, left alone, sends a GET, PUT or DELETE once more after the connection dropped under
it. Whether a request may go again is the exchange's decision, by the action's kind: a
consume (the inbox, the delivery reports) hands each item out once, so a second fetch would
return nothing and lose what the first took; a send (a PUT that reschedules a bulk) is never
repeated after an ambiguous failure. Each request here is processed by the sandbox and its
answer dropped: one request must reach it, and the outcome must be told unknown.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from infobip_connector import OutcomeUnknownError, aclose_pooled_clients, component
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .conftest import CANARY


def _execute(action: str, values: dict[str, Any], base_url: str) -> Any:
    connection = {"token": CANARY, "baseUrl": base_url, "readTimeout": 2, "deadline": 5}

    async def run() -> Any:
        try:
            return await component.execute_async(action, values, connection)
        except Exception as exc:
            return exc
        finally:
            await aclose_pooled_clients()

    return asyncio.run(run())


def test_a_consume_whose_answer_was_lost_is_fetched_once(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    for n in range(3):
        sandbox.receive_sms("41793026727", "447860099299", f"hello {n}")
    sandbox.script("GET", "/sms/1/inbox/reports", Fault(process=True, drop="before_response"))
    result = _execute("getInboundSms", {}, server.url)
    fetched = [r for r in sandbox.requests if r.path.startswith("/sms/1/inbox")]
    assert len(fetched) == 1 and not sandbox.ledger.inbox
    # Not an empty batch from a second fetch: the three messages the first took are told
    # as an unknown outcome, never lost without a word.
    assert isinstance(result, OutcomeUnknownError)


def test_a_put_that_may_have_arrived_is_sent_once(sandbox: Sandbox, server: SandboxServer) -> None:
    send_at = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    sandbox.script("PUT", "/sms/1/bulks", Fault(process=True, drop="before_response"))
    result = _execute("rescheduleSms", {"bulkId": "B-1", "sendAt": send_at}, server.url)
    assert len([r for r in sandbox.requests if r.method == "PUT"]) == 1
    assert isinstance(result, OutcomeUnknownError)
