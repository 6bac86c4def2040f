"""The connection option idempotentSending: what a retry with the same messageIds means.

In-process against the sandbox with the account setting on (the fault matrix over sockets is
in test_reliability_faults.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from infobip_connector import (
    ConfigurationError,
    OutcomeUnknownError,
    RateLimitedError,
    component,
)
from infobip_connector.outcome import ATTRIBUTE
from infobip_connector.sandbox import Fault, Sandbox
from infobip_connector.transport.connection import connection_from_values

from .action_support import CONNECTION, fast_retries
from .sandbox_support import KEY

SMS = "/sms/2/text/advanced"
WA = "/whatsapp/1/message/text"
SMS_VALUES = {
    "messages": [{"destinations": [{"to": "41793026727"}, {"to": "447911123456"}], "text": "Hello"}]
}
WA_VALUES = {"from": "441134960000", "to": "441134960001", "content": {"text": "Hello"}}
ON = {**CONNECTION, "idempotentSending": True}
CONFIRMED = "confirmedByDuplicateRejection"
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.fixture()
def account(monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """An account with Infobip's idempotent message sending enabled."""
    fast_retries(monkeypatch)
    return Sandbox(KEY, deliver_reports=False, idempotent_sending=True)


def _delivered(sandbox: Sandbox) -> Counter[str]:
    return Counter(m.message_id for m in sandbox.accepted_messages)


def _posts(sandbox: Sandbox, path: str = SMS) -> list[Any]:
    return [r for r in sandbox.requests if r.method == "POST" and r.path == path]


def test_a_lost_answer_is_retried_and_reported_accepted(
    account: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    account.script("POST", SMS, Fault(status=500, process=True))
    with caplog.at_level(logging.INFO, logger="infobip_connector.client"):
        output = component.execute("sendSms", SMS_VALUES, ON, transport=account.transport())
    ids = [m["messageId"] for m in output["messages"]]
    assert output[CONFIRMED] == ids
    assert [m["status"]["name"] for m in output["messages"]] == ["PENDING_ACCEPTED"] * 2
    assert _delivered(account) == Counter(ids)
    assert len(_posts(account)) == 2
    assert "accepted by an earlier attempt" in caplog.text
    assert "REJECTED_DUPLICATE_MESSAGE_ID" in caplog.text


def test_a_whatsapp_message_is_confirmed_the_same_way(account: Sandbox) -> None:
    account.script("POST", WA, Fault(drop="before_response", process=True))
    output = component.execute(
        "sendWhatsappTextMessage", WA_VALUES, ON, transport=account.transport()
    )
    assert output[CONFIRMED] == [output["messageId"]]
    assert output["status"]["groupName"] == "PENDING"
    assert _delivered(account) == Counter([output["messageId"]])


def test_a_duplicate_on_the_first_attempt_is_a_real_rejection(account: Sandbox) -> None:
    """The ID was used before this execution (the same key run again): not a success."""
    given = {
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "m-1"}], "text": "x"}]
    }
    component.execute("sendSms", given, ON, transport=account.transport())
    again = component.execute("sendSms", given, ON, transport=account.transport())
    assert again["messages"][0]["status"]["name"] == "REJECTED_DUPLICATE_MESSAGE_ID"
    assert CONFIRMED not in again
    assert _delivered(account) == Counter(["m-1"])


def test_a_duplicate_after_attempts_that_provably_failed_is_a_real_rejection(
    account: Sandbox,
) -> None:
    """A 429 proves the attempt was not processed, so it cannot be the one accepted."""
    given = {
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "m-2"}], "text": "x"}]
    }
    component.execute("sendSms", given, ON, transport=account.transport())
    account.script("POST", SMS, Fault(status=429, headers={"Retry-After": "0"}))
    again = component.execute("sendSms", given, ON, transport=account.transport())
    assert again["messages"][0]["status"]["groupName"] == "REJECTED"
    assert CONFIRMED not in again


@pytest.mark.parametrize(
    ("after", "last"),
    [
        pytest.param([Fault(status=429)] * 2, "rate_limited", id="429 until the attempts ran out"),
        pytest.param([Fault(status=400)], "rejected", id="400 on the retry"),
        pytest.param([Fault(status=401)], "authentication", id="401 on the retry"),
    ],
)
def test_after_an_ambiguous_attempt_nothing_claims_nothing_was_sent(
    account: Sandbox, after: list[Fault], last: str
) -> None:
    """The first attempt may have been accepted, whatever the retries met after it."""
    account.script("POST", SMS, Fault(status=500, process=True), *after)
    with pytest.raises(OutcomeUnknownError) as caught:
        component.execute("sendSms", SMS_VALUES, ON, transport=account.transport())
    (first, *_) = _posts(account)
    sent = [d["messageId"] for d in first.body["messages"][0]["destinations"]]
    assert caught.value.details["messageIds"] == sent
    assert caught.value.details["lastError"] == last
    assert _delivered(account) == Counter(sent)


def test_without_a_prior_ambiguous_attempt_a_429_storm_stays_rate_limited(
    account: Sandbox,
) -> None:
    account.script("POST", SMS, *[Fault(status=429)] * 3)
    with pytest.raises(RateLimitedError):
        component.execute("sendSms", SMS_VALUES, ON, transport=account.transport())


def test_ambiguous_to_the_last_attempt_is_unknown_with_the_same_ids(account: Sandbox) -> None:
    account.script("POST", SMS, *[Fault(status=500, process=True)] * 3)
    with pytest.raises(OutcomeUnknownError) as caught:
        component.execute("sendSms", SMS_VALUES, ON, transport=account.transport())
    posts = _posts(account)
    assert len(posts) == 3 and all(p.body == posts[0].body for p in posts)
    assert "same messageIds" in caught.value.message
    assert caught.value.details["attempts"] == 3
    assert _delivered(account) == Counter(caught.value.details["messageIds"])


def test_off_an_ambiguous_failure_is_one_request(account: Sandbox) -> None:
    account.script("POST", SMS, Fault(status=500, process=True))
    with pytest.raises(OutcomeUnknownError):
        component.execute("sendSms", SMS_VALUES, CONNECTION, transport=account.transport())
    assert len(_posts(account)) == 1


def test_a_send_without_message_ids_is_not_repeated(account: Sandbox) -> None:
    """A change to a scheduled bulk names no messages Infobip could recognise."""
    path = "/sms/1/bulks"
    account.script("PUT", path, Fault(status=503))
    values = {"bulkId": "bulk-1", "sendAt": "2026-12-02T09:00:00Z"}
    with pytest.raises(OutcomeUnknownError):
        component.execute("rescheduleSms", values, ON, transport=account.transport(), now=NOW)
    assert len([r for r in account.requests if r.path == path]) == 1


def test_the_async_path_confirms_the_same_way(account: Sandbox) -> None:
    account.script("POST", SMS, Fault(status=502, process=True))
    output = asyncio.run(
        component.execute_async("sendSms", SMS_VALUES, ON, transport=account.transport())
    )
    assert output[CONFIRMED] == [m["messageId"] for m in output["messages"]]
    assert _delivered(account) == Counter(output[CONFIRMED])


@pytest.mark.parametrize("value", ["yes", 1, "true", None])
def test_the_option_is_a_boolean(value: Any) -> None:
    if value is None:
        assert connection_from_values({"token": KEY}).idempotent_sending is False
        return
    with pytest.raises(ConfigurationError) as caught:
        connection_from_values({"token": KEY, "idempotentSending": value})
    assert caught.value.errors[0]["path"] == "idempotentSending"


def test_an_interruption_while_waiting_to_retry_carries_the_ids(
    account: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wait follows an attempt that may have been accepted: the IDs go with the exception."""

    def interrupt_the_backoff(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("infobip_connector.transport.client.time.sleep", interrupt_the_backoff)
    account.script("POST", SMS, Fault(status=500, process=True))
    with pytest.raises(KeyboardInterrupt) as caught:
        component.execute("sendSms", SMS_VALUES, ON, transport=account.transport())
    marked = getattr(caught.value, ATTRIBUTE)
    assert isinstance(marked, OutcomeUnknownError)
    assert Counter(marked.details["messageIds"]) == _delivered(account)


@pytest.mark.parametrize("listed", [["M1"], ["X"], [None, 5], "M1"])
@pytest.mark.parametrize("sms_count", [1, "two"])  # "two": the answer is read again, digits kept
def test_infobip_cannot_fill_the_connectors_own_list(
    listed: Any, sms_count: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """confirmedByDuplicateRejection is the connector's finding: one in Infobip's answer is
    left out, with a WARNING, rather than report messages accepted that nothing confirmed."""
    import httpx

    rejected = {"groupId": 5, "groupName": "REJECTED", "id": 8, "name": "REJECTED_DUPLICATE"}
    answer = {
        "bulkId": "B1",
        "messages": [
            {"messageId": "M1", "to": "41793026727", "status": rejected, "smsCount": sms_count}
        ],
        CONFIRMED: listed,
    }
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json=answer))
    values = {
        "bulkId": "B1",
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "M1"}], "text": "Hi"}],
    }
    with caplog.at_level(logging.WARNING):
        output = component.execute("sendSms", values, ON, transport=transport)
    assert CONFIRMED not in output
    assert output["messages"][0]["status"]["groupName"] == "REJECTED"
    said = [
        r for r in caplog.records if CONFIRMED in r.getMessage() and "left out" in r.getMessage()
    ]
    assert len(said) == 1  # once, however often the answer is read


def test_another_kinds_answer_drops_the_member_without_a_word(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import httpx

    answer = {"results": [], CONFIRMED: 1}
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json=answer))
    with caplog.at_level(logging.WARNING):
        output = component.execute("getSmsLogs", {}, ON, transport=transport)
    assert output == {"results": []}
    assert not [r for r in caplog.records if CONFIRMED in r.getMessage()]
