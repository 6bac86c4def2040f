"""Every message accounted for, and every failure after arrival an unknown outcome with the IDs.

A 2xx answer that does not name each messageId sent exactly once does not say what became of
the messages; a crash while reading an answer Infobip may have accepted must not lose the IDs
(an engine that retries on a crash would send twice). Both end in ``OutcomeUnknownError``
carrying the bulkId, the messageIds and, for accounting, what is missing and what came back.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from infobip_connector import OutcomeUnknownError, component
from infobip_connector.request import Recipients
from infobip_connector.runtime import action_runtime as runtime
from infobip_connector.runtime import rejections
from infobip_connector.runtime.accounting import check_accounted
from infobip_connector.transport import exchange

from .outcomes import SMS_TWO

PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
CONNECTION = {"token": "accounting-key-1", "baseUrl": "https://xyz.api.infobip.com"}
SMS = SMS_TWO
WHATSAPP = {
    "from": "447860099299",
    "to": "41793026727",
    "messageId": "W1",
    "content": {"text": "Hi"},
}


#: The destination each messageId of SMS_TWO was sent to.
_TO = {"M2": "41793026728"}


def _entry(message_id: str) -> dict[str, Any]:
    return {"messageId": message_id, "to": _TO.get(message_id, "41793026727"), "status": PENDING}


def _run(action: str, values: Any, body: Any, mode: str = "sync", status: int = 200) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    if mode == "sync":
        return component.execute(action, values, CONNECTION, transport=httpx.MockTransport(handler))

    async def run() -> Any:
        transport = httpx.MockTransport(handler)
        return await component.execute_async(action, values, CONNECTION, transport=transport)

    return asyncio.run(run())


SMS_ANSWERS: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "no messages": ([], {"missingMessageIds": ["M1", "M2"]}),
    "one missing": (["M1"], {"missingMessageIds": ["M2"]}),
    "one extra": (["M1", "M2", "M3"], {"unexpectedMessageIds": ["M3"]}),
    "one twice": (["M1", "M1", "M2"], {"duplicatedMessageIds": ["M1"]}),
    "one different": (["M1", "X9"], {"missingMessageIds": ["M2"], "unexpectedMessageIds": ["X9"]}),
    "none of ours": (["A", "B"], {"missingMessageIds": ["M1", "M2"]}),
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", SMS_ANSWERS)
def test_an_sms_answer_must_name_each_message_once(case: str, mode: str) -> None:
    ids, expected = SMS_ANSWERS[case]
    entries = [_entry(i) for i in ids]
    with pytest.raises(OutcomeUnknownError) as info:
        _run("sendSms", SMS, {"bulkId": "B1", "messages": entries}, mode)
    details = info.value.details
    assert details["bulkId"] == "B1" and details["messageIds"] == ["M1", "M2"]
    for key, value in expected.items():
        assert details[key] == value, key
    assert details["returned"] == entries
    json.dumps(info.value.to_dict(), allow_nan=False)


def test_a_messageid_sent_twice_must_come_back_twice() -> None:
    # Called directly: whether an input may carry one messageId twice is the checks' business.
    reference = {"bulkId": "B1", "messageIds": ["M1", "M1"]}
    with pytest.raises(OutcomeUnknownError) as info:
        check_accounted({"bulkId": "B1", "messages": [_entry("M1")]}, reference)
    assert info.value.details["missingMessageIds"] == ["M1"]
    check_accounted({"bulkId": "B1", "messages": [_entry("M1"), _entry("M1")]}, reference)


def test_entries_matching_their_recipients_still_account_for_the_ids_sent() -> None:
    # Each entry names its recipient's messageId in order, so no entry is suspect; the
    # messageIds sent are others all the same, and the answer names none of them.
    reference = {"bulkId": "B1", "messageIds": ["M1", "M2"]}
    recipients = Recipients.of([("X1", "41793026727"), ("X2", "41793026727")])
    output = {"bulkId": "B1", "messages": [_entry("X1"), _entry("X2")]}
    with pytest.raises(OutcomeUnknownError) as info:
        check_accounted(output, reference, recipients)
    assert info.value.details["missingMessageIds"] == ["M1", "M2"]
    assert info.value.details["unexpectedMessageIds"] == ["X1", "X2"]
    # An empty answer to two recipients has no suspect entry either.
    with pytest.raises(OutcomeUnknownError) as info:
        check_accounted({"bulkId": "B1", "messages": []}, reference, recipients)
    assert info.value.details["missingMessageIds"] == ["M1", "M2"]


def test_the_same_ids_in_another_order_are_a_success() -> None:
    entries = [_entry("M2"), _entry("M1")]
    output = _run("sendSms", SMS, {"bulkId": "B1", "messages": entries})
    assert output["messages"] == entries


@pytest.mark.parametrize(
    ("answer", "missing"),
    [
        ({"to": "41793026727", "messageCount": 1, "messageId": "W2", "status": PENDING}, ["W1"]),
        ({"to": "41793026727", "messageCount": 1, "status": PENDING}, ["W1"]),
    ],
    ids=["another id", "no id"],
)
def test_a_whatsapp_answer_must_name_its_message(
    answer: dict[str, Any], missing: list[str]
) -> None:
    with pytest.raises(OutcomeUnknownError) as info:
        _run("sendWhatsappTextMessage", WHATSAPP, answer)
    assert info.value.details["messageId"] == "W1"
    if "messageId" in answer:
        assert info.value.details["missingMessageIds"] == missing


def _raiser(exc: BaseException) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return fail


# Where a failure can happen once Infobip may have accepted the request, and of what kind.
FAILURES: dict[str, tuple[Any, str, BaseException]] = {
    "shaping: RecursionError": (runtime, "fit", RecursionError("deep")),
    "output check: MemoryError": (component.runtime("sendSms").outputs, "problems", MemoryError()),
    "accounting: a bug": (runtime, "check_accounted", KeyError("messageIds")),
    "rejection log: a bug": (rejections, "_rejected", TypeError("odd status")),
    "reading headers: a bug": (exchange, "warn_deprecation", UnicodeError("header")),
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("where", FAILURES)
def test_a_failure_after_arrival_is_an_unknown_outcome_with_the_ids(
    where: str, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner, name, exc = FAILURES[where]
    monkeypatch.setattr(owner, name, _raiser(exc))
    # Not the expected shape, so shaping and the output check run too.
    body = {"bulkId": "B1", "messages": [{**_entry("M1"), "smsCount": "1"}, _entry("M2")]}
    with pytest.raises(OutcomeUnknownError) as info:
        _run("sendSms", SMS, body, mode)
    assert info.value.details["bulkId"] == "B1"
    assert info.value.details["messageIds"] == ["M1", "M2"]


def test_a_failure_reading_an_error_answer_is_an_unknown_outcome(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(exchange, "infobip_error", _raiser(MemoryError()))
    with pytest.raises(OutcomeUnknownError) as info:
        _run("sendSms", SMS, {"requestError": {}}, status=500)
    assert info.value.details["messageIds"] == ["M1", "M2"]
