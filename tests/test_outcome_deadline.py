"""The deadline is a real deadline: a server that trickles its answer cannot hold an execution.

httpx's read timeout bounds each socket read, so a server that sends one byte every 0.3 s
never trips a 1 s read timeout. Over real loopback sockets, each path must still end by the
2 s deadline (the bound below adds slack for a loaded CI machine, far below the 300 s the
trickle would last) with an unknown outcome naming the IDs that were on the wire. An answer is
bounded in size the same way: past the limit, reading stops with an unknown outcome.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from infobip_connector import OutcomeUnknownError, aclose_pooled_clients, component
from infobip_connector.transport import attempts

from .conftest import CANARY
from .rawserver import Handler, RawServer, answer, trickle_body, trickle_headers

SMS_VALUES = {
    "messages": [{"destinations": [{"to": "41793026727"}, {"to": "41793026728"}], "text": "Hi"}]
}
DEADLINE = 2.0
CEILING = DEADLINE + 1.5


def _connection(url: str) -> dict[str, Any]:
    return {"token": CANARY, "baseUrl": url, "deadline": DEADLINE, "readTimeout": 1}


def _sync(url: str) -> Any:
    return component.execute("sendSms", SMS_VALUES, _connection(url))


def _sync_own_transport(url: str) -> Any:
    with httpx.HTTPTransport() as transport:
        return component.execute("sendSms", SMS_VALUES, _connection(url), transport=transport)


def _async(url: str) -> Any:
    async def run() -> Any:
        try:
            return await component.execute_async("sendSms", SMS_VALUES, _connection(url))
        finally:
            await aclose_pooled_clients()

    return asyncio.run(run())


def _async_own_transport(url: str) -> Any:
    async def run() -> Any:
        async with httpx.AsyncHTTPTransport() as transport:
            return await component.execute_async(
                "sendSms", SMS_VALUES, _connection(url), transport=transport
            )

    return asyncio.run(run())


PATHS: dict[str, Callable[[str], Any]] = {
    "sync": _sync,
    "sync, caller's transport": _sync_own_transport,
    "async": _async,
    "async, caller's transport": _async_own_transport,
}
TRICKLES: dict[str, Handler] = {
    "body": trickle_body(0.3),
    "headers": trickle_headers(0.3),
}
# A caller's synchronous transport is opaque: its body is read in chunks and checked against
# the deadline, but its wait for headers is bounded by its own timeouts only.
CASES = [
    (path, trickle)
    for path in PATHS
    for trickle in TRICKLES
    if (path, trickle) != ("sync, caller's transport", "headers")
]


@pytest.mark.parametrize(("path", "trickle"), CASES)
def test_a_trickling_answer_ends_by_the_deadline(path: str, trickle: str) -> None:
    with RawServer(TRICKLES[trickle]) as server:
        started = time.monotonic()
        with pytest.raises(OutcomeUnknownError) as info:
            PATHS[path](server.url)
        elapsed = time.monotonic() - started
        sent = server.sent_json()
    assert elapsed < CEILING, f"{path}: {elapsed:.1f}s with a {DEADLINE}s deadline"
    details = info.value.details
    assert details["bulkId"] == sent["bulkId"]
    assert details["messageIds"] == [
        d["messageId"] for m in sent["messages"] for d in m["destinations"]
    ]


@pytest.mark.parametrize("path", PATHS)
def test_an_answer_past_the_size_limit_is_an_unknown_outcome(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limit is lowered so that the test needs no 256 MiB answer: 64 KiB, sent 1 MiB.
    monkeypatch.setattr(attempts, "MAX_ANSWER_BYTES", 64 * 1024)
    with RawServer(answer(200, b" " * (1024 * 1024))) as server:
        with pytest.raises(OutcomeUnknownError) as info:
            PATHS[path](server.url)
        sent = server.sent_json()
    assert "larger than" in info.value.message
    assert info.value.details["bulkId"] == sent["bulkId"]


@pytest.mark.parametrize("path", ["async", "async, caller's transport"])
def test_an_answer_that_came_with_its_head_is_bounded_too(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small enough to arrive with its head, so the pooled path takes it whole at once.
    monkeypatch.setattr(attempts, "MAX_ANSWER_BYTES", 64)
    with RawServer(answer(200, b" " * 1000)) as server:
        with pytest.raises(OutcomeUnknownError) as info:
            PATHS[path](server.url)
        sent = server.sent_json()
    assert "larger than 64 bytes" in info.value.message
    assert info.value.details["bulkId"] == sent["bulkId"]


def _answered_whole(body: bytes) -> Callable[[httpx.Request], httpx.Response]:
    # Made with ``content``: httpx reads the body into the response before it is handed over.
    return lambda request: httpx.Response(200, content=body)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_answer_handed_over_read_is_bounded_too(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A transport in this process (a mock, the sandbox's) hands its answer over whole: the
    # same limit holds for it as for one read from a socket in chunks.
    monkeypatch.setattr(attempts, "MAX_ANSWER_BYTES", 64 * 1024)
    handler = _answered_whole(b" " * (64 * 1024 + 1))
    connection = {"token": CANARY}
    with pytest.raises(OutcomeUnknownError) as info:
        if mode == "sync":
            component.execute(
                "sendSms", SMS_VALUES, connection, transport=httpx.MockTransport(handler)
            )
        else:
            asyncio.run(
                component.execute_async(
                    "sendSms", SMS_VALUES, connection, transport=httpx.MockTransport(handler)
                )
            )
    assert "larger than" in info.value.message
    assert len(info.value.details["messageIds"]) == 2


def test_an_answer_handed_over_whole_after_the_deadline_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The answer is in hand, whole: reading it waits on nothing, and an unknown outcome
    # would only send the operator to reconcile what the answer already says.
    from infobip_connector.transport import deadline

    late: list[bool] = []
    clock = time.monotonic
    monkeypatch.setattr(deadline.time, "monotonic", lambda: clock() + (3600.0 if late else 0.0))
    pending = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
    body = {
        "bulkId": "B1",
        "messages": [{"messageId": "M1", "to": "41793026727", "status": pending}],
    }

    def answer_late(request: httpx.Request) -> httpx.Response:
        late.append(True)
        return httpx.Response(200, json=body)

    values = {
        "bulkId": "B1",
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "M1"}], "text": "Hi"}],
    }
    out = component.execute(
        "sendSms", values, {"token": CANARY}, transport=httpx.MockTransport(answer_late)
    )
    assert [m["messageId"] for m in out["messages"]] == ["M1"]


class _Bound(Exception):
    """Raised by the stand-in of deadline.Active once a transport is bound to the deadline."""


def test_a_pooled_transport_replaced_mid_send_stays_bounded_by_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic import SecretStr

    from infobip_connector.request import InfobipRequest
    from infobip_connector.transport import deadline
    from infobip_connector.transport.connection import ConnectionSettings
    from infobip_connector.transport.exchange import _Exchange

    class Binding:
        def __init__(self, limit: deadline.Deadline) -> None:
            self.limit = limit

        def __enter__(self) -> None:
            raise _Bound

        def __exit__(self, *exc_info: object) -> None:
            pass

    # A send holds the pooled transport it started with; another thread may close the pool
    # (and a later send make a new one) between its attempts.
    held = attempts.pooled_transport()
    attempts.close_pooled_clients()
    assert attempts.pooled_transport() is not held
    settings = ConnectionSettings(token=SecretStr(CANARY), base_url="http://127.0.0.1:9")
    exchange = _Exchange(settings, InfobipRequest("GET", "/sms/3/logs", None))
    monkeypatch.setattr(deadline, "Active", Binding)
    for transport in (held, attempts.pooled_transport()):
        with pytest.raises(_Bound):
            attempts.run_attempt(transport, exchange.next_attempt(), exchange.deadline)


def test_every_bounded_transport_has_its_sockets_bounded() -> None:
    # The class is what an attempt trusts (run_attempt): so however one is made, its pool's
    # network backend is the one that ends socket operations by the deadline.
    from infobip_connector.transport import deadline

    with deadline.BoundedTransport() as transport:
        backend = transport._pool._network_backend
    assert type(backend) is deadline._Backend
