"""Fault injection over real loopback sockets: the sandbox HTTP server misbehaves on purpose.

Each case checks three things: the error type (what the workflow branches on), how many requests
reached the server (a paid message must never go twice: ambiguous failures are not retried, and
only provably unprocessed ones are), and for an unknown outcome that the error carries the IDs
that were actually on the wire, so the outcome can be reconciled with Infobip's logs.

Timeouts are small (0.5 s read, 2 s deadline) so the module stays fast; the bounds on elapsed time
are upper limits the connector promises (the deadline), not sleeps standing in for assertions.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from typing import Any

import pytest

from infobip_connector import (
    ConnectorError,
    OutcomeUnknownError,
    RateLimitedError,
    UnreachableError,
    component,
)
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer
from infobip_connector.transport import client, exchange

from .conftest import CANARY

SMS = "/sms/2/text/advanced"
WA = "/whatsapp/1/message/text"
SMS_VALUES = {
    "messages": [
        {"destinations": [{"to": "41793026727"}, {"to": "+385 91 234 5678"}], "text": "Hello"},
        {"destinations": [{"to": "447911123456"}], "text": "Hi"},
    ]
}
WA_VALUES = {"from": "441134960000", "to": "441134960001", "content": {"text": "Hello"}}
READ_TIMEOUT = 0.5
DEADLINE = 2.0
# Generous slack over the deadline for a loaded 2-core CI machine; the point is "bounded".
SLACK = 1.5


@pytest.fixture()
def connection(server: SandboxServer) -> dict[str, Any]:
    return {
        "token": CANARY,
        "baseUrl": server.url,
        "connectTimeout": 0.5,
        "readTimeout": READ_TIMEOUT,
        "deadline": DEADLINE,
    }


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "BACKOFF_BASE", 0.01)


def _sms(connection: dict[str, Any]) -> tuple[ConnectorError | None, float]:
    _, error, elapsed = _sms_output(connection)
    return error, elapsed


def _sms_output(
    connection: dict[str, Any],
) -> tuple[dict[str, Any] | None, ConnectorError | None, float]:
    started = time.monotonic()
    try:
        output = component.execute("sendSms", SMS_VALUES, connection)
    except ConnectorError as exc:
        return None, exc, time.monotonic() - started
    return output, None, time.monotonic() - started


def _posts(sandbox: Sandbox, path: str = SMS) -> list[Any]:
    return [r for r in sandbox.requests if r.method == "POST" and r.path == path]


def _ids_on_the_wire(body: dict[str, Any]) -> tuple[str, list[str]]:
    ids = [d["messageId"] for m in body["messages"] for d in m["destinations"]]
    return body["bulkId"], ids


def _assert_unknown_with_wire_ids(error: ConnectorError | None, sandbox: Sandbox) -> None:
    assert isinstance(error, OutcomeUnknownError), repr(error)
    (record,) = _posts(sandbox)
    bulk_id, message_ids = _ids_on_the_wire(record.body)
    assert error.details["bulkId"] == bulk_id
    assert error.details["messageIds"] == message_ids
    assert len(message_ids) == 3 and len(set(message_ids)) == 3


# ---------------------------------------------------------------- ambiguous: never retried

AMBIGUOUS = [
    pytest.param(Fault(delay=5, process=True), id="latency beyond the read timeout"),
    pytest.param(Fault(drop="hang"), id="accepts and never answers"),
    pytest.param(Fault(drop="before_response"), id="dropped before the response"),
    pytest.param(Fault(status=200, drop="mid_body", process=True), id="dropped mid-body"),
    pytest.param(Fault(status=200, body='{"bulkId":"B","mess', process=True), id="truncated"),
    pytest.param(Fault(status=200, body="<html>OK</html>", process=True), id="not JSON"),
    # A 2xx answer that does not account for the messages is not a success either.
    pytest.param(Fault(status=200, body={"unexpected": True}, process=True), id="wrong shape"),
    pytest.param(Fault(status=200, body={}, process=True), id="empty object"),
    pytest.param(Fault(status=500), id="500"),
    pytest.param(Fault(status=502, body="Bad gateway"), id="502 text"),
    pytest.param(Fault(status=503), id="503"),
    pytest.param(Fault(status=504, delay=0.2), id="504 slow"),
]


@pytest.mark.parametrize("fault", AMBIGUOUS)
def test_ambiguous_failures_are_reported_once_with_the_ids_sent(
    fault: Fault, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    sandbox.script("POST", SMS, fault)
    error, elapsed = _sms(connection)
    _assert_unknown_with_wire_ids(error, sandbox)
    assert elapsed < DEADLINE + SLACK
    if fault.process:
        # The sandbox took the messages: exactly the IDs the error names are the ones to look up.
        assert sandbox.accepted_message_ids == set(error.details["messageIds"])  # type: ignore[union-attr]


@pytest.mark.parametrize("idempotent", [False, True], ids=["idempotency off", "idempotency on"])
@pytest.mark.parametrize("fault", AMBIGUOUS)
def test_each_message_is_delivered_at_most_once(
    fault: Fault, idempotent: bool, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    """The matrix with Infobip's idempotent sending off and on (account and connection alike).

    Off: one attempt, ``outcome_unknown``. On: the send is repeated with the same IDs, and
    every message is delivered exactly once; a message the first attempt got accepted is
    reported accepted, confirmed by the retry's duplicate rejection.
    """
    sandbox.set_idempotent_sending(idempotent)
    sandbox.script("POST", SMS, fault)
    output, error, elapsed = _sms_output({**connection, "idempotentSending": idempotent})
    posts = _posts(sandbox)
    bulk_id, ids = _ids_on_the_wire(posts[0].body)
    assert all(_ids_on_the_wire(p.body) == (bulk_id, ids) for p in posts)
    delivered = Counter(m.message_id for m in sandbox.accepted_messages)
    assert set(delivered) <= set(ids) and all(n == 1 for n in delivered.values())
    assert elapsed < DEADLINE + SLACK
    if not idempotent:
        assert len(posts) == 1
        _assert_unknown_with_wire_ids(error, sandbox)
        return
    if fault.status == 200 and isinstance(fault.body, dict):
        # A readable 2xx that does not account for the messages is judged after the
        # transport: not repeated, and the messages it took are delivered once.
        assert len(posts) == 1 and isinstance(error, OutcomeUnknownError)
        assert delivered == Counter(ids)
        return
    assert output is not None, repr(error)
    assert len(posts) == 2 and delivered == Counter(ids)
    assert [m["messageId"] for m in output["messages"]] == ids
    assert {m["status"]["groupName"] for m in output["messages"]} == {"PENDING"}
    # Accepted by the first attempt (processed before the fault): confirmed by the duplicate
    # rejection of the second. Otherwise the second attempt was the one accepted.
    assert output.get("confirmedByDuplicateRejection") == (ids if fault.process else None)


def test_latency_beyond_the_deadline_ends_at_the_deadline(
    sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    """A read timeout longer than the deadline is cut to what is left of the deadline."""
    sandbox.script("POST", SMS, Fault(delay=10, process=True))
    error, elapsed = _sms({**connection, "readTimeout": 30, "deadline": 1})
    _assert_unknown_with_wire_ids(error, sandbox)
    assert elapsed < 1 + SLACK


def test_a_5xx_burst_is_never_retried(sandbox: Sandbox, connection: dict[str, Any]) -> None:
    sandbox.script("POST", SMS, Fault(status=500), Fault(status=503), Fault(status=502))
    for _ in range(3):
        error, _ = _sms(connection)
        assert isinstance(error, OutcomeUnknownError)
    assert len(_posts(sandbox)) == 3  # one request per execution, none repeated
    error, _ = _sms(connection)
    assert error is None
    assert len(_posts(sandbox)) == 4
    assert sandbox.pending_faults == 0


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault(drop="before_response"), id="dropped"),
        # Infobip's 5xx body has its own "messageId" (an error code such as GENERAL_ERROR): it
        # must not take the place of the message's ID in the details.
        pytest.param(Fault(status=500, process=True), id="500 with Infobip's error body"),
    ],
)
def test_whatsapp_outcome_unknown_carries_its_message_id(
    fault: Fault, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    sandbox.script("POST", WA, fault)
    with pytest.raises(OutcomeUnknownError) as caught:
        component.execute("sendWhatsappTextMessage", WA_VALUES, connection)
    (record,) = _posts(sandbox, WA)
    assert caught.value.details["messageId"] == record.body["messageId"]


# ---------------------------------------------------------------- provably unprocessed: retried


def test_a_429_storm_without_retry_after_ends_rate_limited(
    sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    sandbox.script("POST", SMS, *[Fault(status=429)] * 5)
    error, elapsed = _sms(connection)
    assert isinstance(error, RateLimitedError), repr(error)
    assert "retryAfter" not in error.details
    records = _posts(sandbox)
    assert len(records) == 3  # maxAttempts
    # Every attempt carried the same IDs: a retry is the same request, not a new one.
    assert all(_ids_on_the_wire(r.body) == _ids_on_the_wire(records[0].body) for r in records)
    assert sandbox.accepted_message_ids == set()
    assert elapsed < DEADLINE + SLACK


def test_a_429_storm_with_retry_after_reports_it(
    sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    sandbox.script("POST", SMS, *[Fault(status=429, headers={"Retry-After": "0"})] * 5)
    error, _ = _sms({**connection, "maxAttempts": 4})
    assert isinstance(error, RateLimitedError), repr(error)
    assert error.details["retryAfter"] == 0
    assert len(_posts(sandbox)) == 4


def test_a_retry_after_past_the_deadline_is_not_waited_for(
    sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    sandbox.script("POST", SMS, Fault(status=429, headers={"Retry-After": "20"}))
    error, elapsed = _sms(connection)
    assert isinstance(error, RateLimitedError), repr(error)
    assert error.details["retryAfter"] == 20
    assert len(_posts(sandbox)) == 1
    assert elapsed < 1  # it gave up at once rather than sleeping into the deadline


def test_429_then_success_sends_the_messages_once(
    sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    sandbox.script("POST", SMS, Fault(status=429, headers={"Retry-After": "0"}), Fault(status=429))
    output = component.execute("sendSms", SMS_VALUES, connection)
    records = _posts(sandbox)
    assert len(records) == 3
    bulk_id, ids = _ids_on_the_wire(records[-1].body)
    assert all(_ids_on_the_wire(r.body) == (bulk_id, ids) for r in records)
    assert output["bulkId"] == bulk_id
    assert [m["messageId"] for m in output["messages"]] == ids
    assert [m["status"]["groupName"] for m in output["messages"]] == ["PENDING"] * 3
    assert sandbox.accepted_message_ids == set(ids)


def _closed_port() -> int:
    """A loopback port with nothing listening: bound, then closed, so connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_after_the_allowed_attempts(connection: dict[str, Any]) -> None:
    target = {**connection, "baseUrl": f"http://127.0.0.1:{_closed_port()}"}
    error, elapsed = _sms(target)
    assert isinstance(error, UnreachableError), repr(error)
    assert error.details["attempts"] == 3
    assert error.details["bulkId"] and len(error.details["messageIds"]) == 3
    assert elapsed < DEADLINE + SLACK


# ---------------------------------------------------------------- the async path, same rules


@pytest.mark.parametrize(
    ("faults", "expected", "requests"),
    [
        pytest.param([Fault(drop="before_response")], OutcomeUnknownError, 1, id="drop"),
        pytest.param([Fault(drop="hang")], OutcomeUnknownError, 1, id="hang"),
        pytest.param(
            [Fault(status=200, drop="mid_body", process=True)],
            OutcomeUnknownError,
            1,
            id="mid-body",
        ),
        pytest.param([Fault(status=503)], OutcomeUnknownError, 1, id="503"),
        pytest.param([Fault(status=429)] * 3, RateLimitedError, 3, id="429 storm"),
        pytest.param([Fault(status=429)] * 2, None, 3, id="429 then success"),
    ],
)
def test_the_async_path_follows_the_same_policy(
    faults: list[Fault],
    expected: type[ConnectorError] | None,
    requests: int,
    sandbox: Sandbox,
    connection: dict[str, Any],
) -> None:
    sandbox.script("POST", SMS, *faults)

    async def run() -> ConnectorError | None:
        try:
            await component.execute_async("sendSms", SMS_VALUES, connection)
        except ConnectorError as exc:
            return exc
        finally:
            await client.aclose_pooled_clients()
        return None

    error = asyncio.run(run())
    assert type(error) is expected if expected else error is None, repr(error)
    records = _posts(sandbox)
    assert len(records) == requests
    if isinstance(error, OutcomeUnknownError):
        _assert_unknown_with_wire_ids(error, sandbox)
