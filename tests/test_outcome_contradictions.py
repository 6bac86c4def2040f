"""An answer that contradicts what was sent is not a success, even when every messageId is there.

Swapped destinations, another bulkId, a WhatsApp ``messageCount`` of 0, a status number too
large to be read exactly: each ends in ``OutcomeUnknownError`` with the IDs and what is wrong.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from infobip_connector import OutcomeUnknownError, component
from infobip_connector.request import Recipients

from .outcomes import SMS_TWO

PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
CONNECTION = {"token": "contradiction-key-1", "baseUrl": "https://xyz.api.infobip.com"}
WHATSAPP = {
    "from": "447860099299",
    "to": "41793026727",
    "messageId": "W1",
    "content": {"text": "Hi"},
}


def _run(action: str, values: Any, body: bytes | Any, mode: str) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, bytes):
            return httpx.Response(200, content=body)
        return httpx.Response(200, json=body)

    transport: Any = httpx.MockTransport(handler)
    if mode == "sync":
        return component.execute(action, values, CONNECTION, transport=transport)
    return asyncio.run(component.execute_async(action, values, CONNECTION, transport=transport))


def _sms_answer(
    bulk_id: str = "B1", first_to: str = "41793026727", second_to: str = "41793026728"
) -> dict[str, Any]:
    return {
        "bulkId": bulk_id,
        "messages": [
            {"messageId": "M1", "to": first_to, "status": PENDING},
            {"messageId": "M2", "to": second_to, "status": PENDING},
        ],
    }


CASES: dict[str, tuple[str, Any, Any, str]] = {
    "swapped destinations": (
        "sendSms",
        SMS_TWO,
        _sms_answer(first_to="41793026728", second_to="41793026727"),
        "messages[0].to",
    ),
    "another bulkId": ("sendSms", SMS_TWO, _sms_answer(bulk_id="B2"), "bulkId"),
    # A whole number past 2**53 keeps its digits (read again with them); one written as a
    # float has lost them.
    "a status id past 2**53 written as a float": (
        "sendSms",
        SMS_TWO,
        b'{"bulkId":"B1","messages":[{"messageId":"M1","to":"41793026727","status":{"groupId":1,'
        b'"groupName":"PENDING","id":1.2345678901234568e+29,"name":"PENDING_ACCEPTED"}},'
        b'{"messageId":"M2","to":"41793026728","status":{"groupId":1,"groupName":"PENDING",'
        b'"id":26,"name":"PENDING_ACCEPTED"}}]}',
        "messages[0].status.id",
    ),
    "WhatsApp messageCount 0": (
        "sendWhatsappTextMessage",
        WHATSAPP,
        {"to": "41793026727", "messageCount": 0, "messageId": "W1", "status": PENDING},
        "messageCount",
    ),
    "WhatsApp another destination": (
        "sendWhatsappTextMessage",
        WHATSAPP,
        {"to": "41793026799", "messageCount": 1, "messageId": "W1", "status": PENDING},
        "to",
    ),
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", CASES)
def test_an_answer_contradicting_what_was_sent_is_an_unknown_outcome(case: str, mode: str) -> None:
    action, values, answer, path = CASES[case]
    with pytest.raises(OutcomeUnknownError) as info:
        _run(action, values, answer, mode)
    details = info.value.details
    assert any(c.startswith(f"{path}:") for c in details["contradictions"]), details
    if action == "sendSms":
        assert details["bulkId"] == "B1" and details["messageIds"] == ["M1", "M2"]
    else:
        assert details["messageId"] == "W1"


def test_an_answer_writing_the_number_with_a_plus_is_fine() -> None:
    answer = _sms_answer(first_to="+41793026727", second_to="+41793026728")
    output = _run("sendSms", SMS_TWO, answer, "sync")
    assert [m["messageId"] for m in output["messages"]] == ["M1", "M2"]


def test_a_large_answer_is_checked_entry_by_entry_where_it_departs_from_what_was_sent() -> None:
    # Entries matching what was sent are settled in bulk; every other one gets the full checks.
    from infobip_connector.runtime.accounting import contradictions

    recipients = Recipients.of((f"M{i}", f"4179{i:07d}") for i in range(1000))
    entries: list[Any] = [
        {"messageId": m, "to": to, "status": dict(PENDING)} for m, to in recipients
    ]
    entries[10]["to"] = "+" + entries[10]["to"]  # fine: a number written with "+"
    entries[20]["to"] = entries[21]["to"]  # swapped with another destination
    entries[30]["messageCount"] = 0
    entries[40]["status"]["id"] = float(2**60)
    entries[50] = "not an object"
    output = {"bulkId": "B1", "messages": entries}
    found = contradictions(output, entries, {"bulkId": "B1"}, recipients)
    assert found == [
        "messages[20].to: not the destination sent with this messageId",
        "messages[30].messageCount: not a whole number of 1 or more",
        "messages[40].status.id: too large to be read exactly",
    ]
