"""A field of Infobip's answer given ``null`` is a field not given, in every action.

The output rule (README, "null is a field not given") holds where the executors fill a field
from the request (a send's ``bulkId``, a scheduled bulk's ``bulkId``, a read's ``results``):
an answer with ``"bulkId": null`` is the answer without it, never an unknown outcome or an
output that lost the bulk ID. The sweep below checks it for every field of a valid answer of
every action: the answer with that field ``null`` and without it end alike.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from infobip_connector import component

from .outcomes import SMS_TWO

CONNECTION = {"token": "null-fields-token-4f1c", "baseUrl": "https://xyz12.api.infobip.com"}
STATUS = {"groupId": 1, "groupName": "PENDING", "id": 7, "name": "PENDING_ENROUTE"}
REPORT = {
    "bulkId": "B1",
    "messageId": "m1",
    "to": "41793026727",
    "sentAt": "2026-11-09T16:00:00.000+0000",
    "messageCount": 1,
    "price": {"pricePerMessage": 0.01, "currency": "EUR"},
    "status": {**STATUS, "groupId": 3, "groupName": "DELIVERED"},
}
LOGGED = {name: value for name, value in REPORT.items() if name != "to"}
TEMPLATE = {
    "bulkId": "TB",
    "messages": [
        {
            "from": "447860099299",
            "to": "41793026727",
            "messageId": "t1",
            "content": {
                "templateName": "welcome",
                "templateData": {"body": {"placeholders": ["a"]}},
                "language": "en",
            },
        }
    ],
}
SEND_AT = "2026-12-20T09:00:00.000+0000"
# Each case: the action, its values, and a valid answer (the output it gives as it is).
CASES: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "sendSms": (
        "sendSms",
        SMS_TWO,
        {
            "bulkId": "B1",
            "messages": [
                {"messageId": "M1", "status": STATUS, "to": "41793026727"},
                {"messageId": "M2", "status": STATUS, "to": "41793026728"},
            ],
        },
    ),
    "sendWhatsappTemplateMessage": (
        "sendWhatsappTemplateMessage",
        TEMPLATE,
        {
            "messages": [
                {"to": "41793026727", "messageCount": 1, "messageId": "t1", "status": STATUS}
            ],
            "bulkId": "TB",
        },
    ),
    "sendWhatsappTextMessage": (
        "sendWhatsappTextMessage",
        {"from": "447860099299", "to": "41793026727", "messageId": "w1", "content": {"text": "hi"}},
        {"to": "41793026727", "messageCount": 1, "messageId": "w1", "status": STATUS},
    ),
    "getScheduledSms": ("getScheduledSms", {"bulkId": "12"}, {"bulkId": "12", "sendAt": SEND_AT}),
    "rescheduleSms": (
        "rescheduleSms",
        {"bulkId": "12", "sendAt": SEND_AT},
        {"bulkId": "12", "sendAt": SEND_AT},
    ),
    "getScheduledSmsStatus": (
        "getScheduledSmsStatus",
        {"bulkId": "12"},
        {"bulkId": "12", "status": "PAUSED"},
    ),
    "updateScheduledSmsStatus": (
        "updateScheduledSmsStatus",
        {"bulkId": "12", "status": "PAUSED"},
        {"bulkId": "12", "status": "PAUSED"},
    ),
    "getSmsLogs": (
        "getSmsLogs",
        {},
        {"results": [{**LOGGED, "destination": REPORT["to"], "content": {"text": "hi"}}]},
    ),
    "getSmsDeliveryReports": ("getSmsDeliveryReports", {}, {"results": [REPORT]}),
    "getInboundSms": (
        "getInboundSms",
        {},
        {
            "results": [{"messageId": "i1", "from": "385916242493", "text": "QUIZ", "smsCount": 1}],
            "messageCount": 1,
            "pendingMessageCount": 0,
        },
    ),
    "previewSms": (
        "previewSms",
        {"text": "hi"},
        {"originalText": "hi", "previews": [{"textPreview": "hi", "messageCount": 1}]},
    ),
}


def outcome(action: str, values: dict[str, Any], answer: Any) -> tuple[str, Any]:
    """``("ok", output)`` or ``(error class, its details)`` of ``action`` answered ``answer``."""
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json=answer))
    try:
        return "ok", component.execute(
            action, copy.deepcopy(values), CONNECTION, transport=transport
        )
    except Exception as exc:  # compared, not judged: the two ends must be alike
        return type(exc).__name__, getattr(exc, "details", str(exc))


def members(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every member of every object in ``value``."""
    if isinstance(value, dict):
        for name, member in value.items():
            yield (*at, name)
            yield from members(member, (*at, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from members(item, (*at, index))


def changed(answer: dict[str, Any], path: tuple[Any, ...], *, null: bool) -> dict[str, Any]:
    """``answer`` with the member at ``path`` set to null (or left out)."""
    copied = copy.deepcopy(answer)
    holder: Any = copied
    for part in path[:-1]:
        holder = holder[part]
    if null:
        holder[path[-1]] = None
    else:
        del holder[path[-1]]
    return copied


SWEEP = [
    pytest.param(case, path, id=f"{case}:{'.'.join(map(str, path))}")
    for case, (_, _, answer) in CASES.items()
    for path in members(answer)
]


@pytest.mark.parametrize("case", CASES)
def test_each_answer_of_the_sweep_is_valid(case: str) -> None:
    action, values, answer = CASES[case]
    assert outcome(action, values, answer) == ("ok", answer)


@pytest.mark.parametrize(("case", "path"), SWEEP)
def test_a_null_field_of_an_answer_ends_as_the_field_left_out(
    case: str, path: tuple[Any, ...]
) -> None:
    action, values, answer = CASES[case]
    given_null = outcome(action, values, changed(answer, path, null=True))
    left_out = outcome(action, values, changed(answer, path, null=False))
    assert given_null == left_out


@pytest.mark.parametrize(
    "case",
    [
        "sendSms",
        "sendWhatsappTemplateMessage",
        "getScheduledSms",
        "rescheduleSms",
        "getScheduledSmsStatus",
        "updateScheduledSmsStatus",
    ],
)
def test_a_null_bulk_id_is_filled_from_the_request(case: str) -> None:
    action, values, answer = CASES[case]
    assert outcome(action, values, {**answer, "bulkId": None}) == ("ok", answer)


def test_a_null_results_of_a_read_is_an_empty_read() -> None:
    assert outcome("getSmsLogs", {}, {"results": None}) == ("ok", {"results": []})


@pytest.mark.parametrize("action", ["getSmsDeliveryReports", "getInboundSms"])
def test_a_null_results_of_a_consume_is_no_list_as_when_left_out(action: str) -> None:
    # A consume hands each item out once: without the list, items may be lost.
    kind, details = outcome(action, {}, {"results": None})
    assert kind == "OutcomeUnknownError"
    assert details["itemsMayBeLost"] is True
    assert (kind, details) == outcome(action, {}, {})
