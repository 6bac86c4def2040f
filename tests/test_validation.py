"""Invalid inputs of each kind are refused with errors that name the field by its path."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.runtime.values import MAX_VALUES


def sms(**message: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"destinations": [{"to": "41793026727"}], "text": "Hello"}
    base.update(message)
    return {"messages": [base]}


def errors_of(action: str, values: Any) -> list[dict[str, str]]:
    with pytest.raises(InputError) as info:
        component.validate_input(action, values)
    assert info.value.type == "input"
    return info.value.errors


def test_minimal_sms_is_valid_and_normalised() -> None:
    values = component.validate_input("sendSms", sms())
    assert values["messages"][0]["destinations"][0]["to"] == "41793026727"
    assert len(values["bulkId"]) == 36
    assert len(values["messages"][0]["destinations"][0]["messageId"]) == 36


@pytest.mark.parametrize(
    ("values", "path", "fragment"),
    [
        ({}, "messages", "is required"),
        (
            sms(destinations=[{"to": "41793026727"}, {"to": "41793026728"}, {"messageId": "x"}]),
            "messages[0].destinations[2].to",
            "is required",
        ),
        (sms(text=""), "messages[0].text", "is required"),
        (sms(flash="yes"), "messages[0].flash", "must be true or false"),
        (sms(validityPeriod=0), "messages[0].validityPeriod", "at least 1"),
        (sms(validityPeriod=2881), "messages[0].validityPeriod", "at most 2880"),
        (sms(validityPeriod=12.5), "messages[0].validityPeriod", "whole number"),
        (
            sms(transliteration="KLINGON"),
            "messages[0].transliteration",
            'must be one of: "TURKISH"',
        ),
        (sms(callbackData="x" * 4001), "messages[0].callbackData", "at most 4000 characters"),
        (sms(colour="red"), "messages[0].colour", "unknown property 'colour'"),
        (sms(notifyUrl="ftp://example.com/x"), "messages[0].notifyUrl", "http:// or https:// URL"),
        (
            sms(deliveryTimeWindow={"days": [], "from": {"hour": 6, "minute": 0}}),
            "messages[0].deliveryTimeWindow.days",
            "is required",
        ),
        (
            sms(deliveryTimeWindow={"days": ["FUNDAY"]}),
            "messages[0].deliveryTimeWindow.days[0]",
            "MONDAY",
        ),
        (
            sms(
                deliveryTimeWindow={
                    "days": ["MONDAY"],
                    "from": {"hour": 24, "minute": 0},
                    "to": {"hour": 2, "minute": 0},
                }
            ),
            "messages[0].deliveryTimeWindow.from.hour",
            "at most 23",
        ),
        (
            sms(regional={"turkeyIys": {"brandCode": 1}}),
            "messages[0].regional.turkeyIys.recipientType",
            "is required",
        ),
        (
            sms(regional={"indiaDlt": {"contentTemplateId": "t"}}),
            "messages[0].regional.indiaDlt.principalEntityId",
            "is required",
        ),
        (sms(sendAt=12), "messages[0].sendAt", "must be an object or text"),
        (sms(sendAt="tomorrow"), "messages[0].sendAt", "ISO-8601"),
        (sms(sendAt={"zoneId": "Europe/Zagreb"}), "messages[0].sendAt.dateTime", "is required"),
        (sms(entityId="e" * 51), "messages[0].entityId", "at most 50"),
        (
            {**sms(), "sendingSpeedLimit": {"timeUnit": "WEEK"}},
            "sendingSpeedLimit.amount",
            "is required",
        ),
        ({**sms(), "sendingSpeedLimit": {"amount": 0}}, "sendingSpeedLimit.amount", "at least 1"),
        (
            {**sms(), "includeSmsCountInResponse": "true"},
            "includeSmsCountInResponse",
            "true or false",
        ),
        ({**sms(), "bulkId": "b" * 101}, "bulkId", "at most 100"),
        ({"messages": "hello"}, "messages", "must be a list"),
        ({"messages": []}, "messages", "is required"),
    ],
)
def test_invalid_sms_inputs(values: dict[str, Any], path: str, fragment: str) -> None:
    errors = errors_of("sendSms", values)
    assert any(e["path"] == path and fragment in e["message"] for e in errors), errors


@pytest.mark.parametrize(
    ("values", "path", "fragment"),
    [
        ({"to": "41793026727", "content": {"text": "hi"}}, "from", "is required"),
        ({"from": "447860099299", "to": "41793026727", "content": {}}, "content", "is required"),
        (
            {"from": "447860099299", "to": "41793026727", "content": {"text": "x" * 4097}},
            "content.text",
            "at most 4096",
        ),
        ({"from": "1" * 25, "to": "41793026727", "content": {"text": "hi"}}, "from", "at most 24"),
        (
            {
                "from": "447860099299",
                "to": "41793026727",
                "content": {"text": "hi", "previewUrl": 1},
            },
            "content.previewUrl",
            "true or false",
        ),
        (
            {
                "from": "447860099299",
                "to": "41793026727",
                "content": {"text": "hi"},
                "entityId": "e" * 256,
            },
            "entityId",
            "at most 255",
        ),
        (
            {
                "from": "447860099299",
                "to": "41793026727",
                "content": {"text": "hi"},
                "urlOptions": {"shortenUrl": "no"},
            },
            "urlOptions.shortenUrl",
            "true or false",
        ),
    ],
)
def test_invalid_whatsapp_inputs(values: dict[str, Any], path: str, fragment: str) -> None:
    errors = errors_of("sendWhatsappTextMessage", values)
    assert any(e["path"] == path and fragment in e["message"] for e in errors), errors


def test_every_error_is_reported_at_once() -> None:
    values = {"messages": [{"destinations": [{}], "text": ""}], "bulkId": 5, "extra": True}
    paths = {e["path"] for e in errors_of("sendSms", values)}
    assert {"messages[0].destinations[0].to", "messages[0].text", "bulkId", "extra"} <= paths


def test_empty_fields_are_dropped_not_sent() -> None:
    values = component.validate_input(
        "sendSms",
        {
            "bulkId": "",
            "tracking": {},
            "urlOptions": None,
            "messages": [
                {
                    "destinations": [{"to": "41793026727", "messageId": ""}],
                    "text": "x",
                    "from": None,
                    "regional": {"indiaDlt": {}},
                }
            ],
        },
    )
    message = values["messages"][0]
    assert "from" not in message and "regional" not in message
    assert "tracking" not in values and "urlOptions" not in values


def test_caller_values_are_not_modified() -> None:
    given = sms(destinations=[{"to": "+41 79 302 67 27"}])
    snapshot = repr(given)
    component.validate_input("sendSms", given)
    assert repr(given) == snapshot


@pytest.mark.parametrize(
    "values",
    [
        [1, 2, 3],
        "text",
        None,
        {"messages": [{"destinations": [{"to": float("nan")}], "text": "x"}]},
        {"messages": [{"destinations": [{"to": "4179\ud800"}], "text": "x"}]},
        {"messages": [{"destinations": [{"to": {1, 2}}], "text": "x"}]},
        {"messages": [{"destinations": [{1: "x"}], "text": "x"}]},
    ],
)
def test_non_json_values_are_input_errors(values: Any) -> None:
    errors_of("sendSms", values)


def test_too_many_values_are_refused_before_work_starts() -> None:
    destinations = [{"to": "41793026727"}] * (MAX_VALUES // 2 + 1)
    errors = errors_of("sendSms", {"messages": [{"destinations": destinations, "text": "x"}]})
    assert "too large" in errors[0]["message"]


def test_deep_nesting_is_refused() -> None:
    deep: Any = "x"
    for _ in range(100):
        deep = {"a": deep}
    errors = errors_of(
        "sendSms",
        {
            "messages": [
                {"destinations": [{"to": "41793026727"}], "text": "x", "callbackData": deep}
            ]
        },
    )
    assert errors
