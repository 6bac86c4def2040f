"""A send cut off while it only waited for one of the pool's connections sent nothing.

The pooled async path (``transport/aiohttp_sender.py``) holds at most ``MAX_CONNECTIONS``
connections; a send past them waits for one, and not a byte of it is written until it has
one. Cancelled there (a host's grace period over), it is a plain cancellation, which hosts
answer ``stopped`` (nothing sent); a send cancelled once it holds a connection carries the
``outcome_unknown`` with its IDs, as before.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from infobip_connector import aclose_pooled_clients, component, outcome
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer
from infobip_connector.transport import aiohttp_sender

from .conftest import CANARY

SMS = "/sms/2/text/advanced"


def values(text: str) -> dict[str, Any]:
    return {"messages": [{"destinations": [{"to": "41793026727"}], "text": text}]}


async def send(text: str, connection: dict[str, Any]) -> Any:
    """The send's output, or what ended it, as a host's task sees it (the task's own
    cancellation, with what the connector attached to it)."""
    try:
        return await component.execute_async("sendSms", values(text), connection)
    except BaseException as exc:  # the cancellation is what is looked at
        return exc


async def cut_off(base_url: str, sends: int) -> list[BaseException]:
    """``sends`` sends at once, all cancelled once the first has reached the server."""
    connection = {"token": CANARY, "baseUrl": base_url, "readTimeout": 10, "deadline": 20}
    try:
        tasks = [asyncio.create_task(send(f"m{n}", connection)) for n in range(sends)]
        await asyncio.sleep(0.5)
        for task in tasks:
            task.cancel()
        done = await asyncio.gather(*tasks)
    finally:
        await aclose_pooled_clients()
    assert all(isinstance(d, asyncio.CancelledError) for d in done), done
    return [d for d in done if isinstance(d, BaseException)]


def test_only_the_send_holding_the_connection_may_have_been_sent(
    sandbox: Sandbox, server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aiohttp_sender, "MAX_CONNECTIONS", 1)
    sandbox.script("POST", SMS, *[Fault(delay=3.0, process=True)] * 3)
    cancelled = asyncio.run(cut_off(server.url, 3))
    unknown = [getattr(c, outcome.ATTRIBUTE, None) for c in cancelled]
    # One request reached the server; the two that waited for the connection did not.
    assert sum(u is not None for u in unknown) == 1
    [marked] = [u for u in unknown if u is not None]
    assert marked.type == "outcome_unknown" and marked.details["messageIds"]
    # And it is the send that reached the server: each attempt hears of its own connection.
    [arrived] = sandbox.requests
    sent = [d["messageId"] for m in arrived.body["messages"] for d in m["destinations"]]
    assert marked.details["messageIds"] == sent


def test_a_send_cancelled_on_a_reused_connection_may_have_been_sent(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    # Most sends take a connection an earlier one left idle in the pool: that one is told
    # as surely as a new connection.
    connection = {"token": CANARY, "baseUrl": server.url, "readTimeout": 10, "deadline": 20}

    async def run() -> Any:
        try:
            await component.execute_async("sendSms", values("first"), connection)
            sandbox.script("POST", SMS, Fault(delay=3.0, process=True))
            task = asyncio.create_task(send("second", connection))
            await asyncio.sleep(0.5)
            task.cancel()
            return await task
        finally:
            await aclose_pooled_clients()

    cancelled = asyncio.run(run())
    assert isinstance(cancelled, asyncio.CancelledError)
    marked = getattr(cancelled, outcome.ATTRIBUTE, None)
    assert marked is not None and marked.type == "outcome_unknown"
    _first, second = sandbox.requests
    sent = [d["messageId"] for m in second.body["messages"] for d in m["destinations"]]
    assert marked.details["messageIds"] == sent
