"""Rules a schema cannot say: phone numbers, scheduling, delivery windows, URL previews."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.runtime.checks import normalize_phone
from infobip_connector.runtime.timeutil import infobip_datetime, resolve_send_at

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("41793026727", "41793026727"),
        ("+41 79 302 67 27", "41793026727"),
        ("+41-79-302-67-27", "41793026727"),
        ("0041 79 302 67 27", "41793026727"),
        ("+1 (415) 555-2671", "14155552671"),
        ("+44 20 7946 0958", "442079460958"),
        ("+39 06 6982 1234", "390669821234"),  # Italian leading zero is kept
        ("385 91 123 4567".replace(" ", ""), "385911234567"),
        ("+86 138 0013 8000", "8613800138000"),
    ],
)
def test_phone_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("(415) 555-2671", "no country code"),
        ("0791234567", "trunk prefix"),
        ("+41 79", "wrong number of digits"),
        ("+999 1234567", "country calling code"),
        ("call me", "not a phone number"),
        ("+41 79 302 67 27 ext. 5", "not a phone number"),
        ("4179302672712345678", "wrong number of digits"),
    ],
)
def test_impossible_phone_numbers_are_refused(raw: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        normalize_phone(raw)


def test_phone_errors_name_the_destination() -> None:
    values = {
        "messages": [{"destinations": [{"to": "41793026727"}, {"to": "+41 79"}], "text": "x"}]
    }
    with pytest.raises(InputError) as info:
        component.validate_input("sendSms", values)
    assert info.value.errors[0]["path"] == "messages[0].destinations[1].to"


def test_whatsapp_numbers_are_normalised() -> None:
    values = component.validate_input(
        "sendWhatsappTextMessage",
        {"from": "+44 7860 099299", "to": "0041 79 302 67 27", "content": {"text": "hi"}},
    )
    assert (values["from"], values["to"]) == ("447860099299", "41793026727")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Zagreb is UTC+1 in winter and UTC+2 in summer (clocks move on 2026-03-29).
        (
            {"dateTime": "2026-03-28T09:00:00", "zoneId": "Europe/Zagreb"},
            "2026-03-28T09:00:00.000+0100",
        ),
        (
            {"dateTime": "2026-03-30T09:00:00", "zoneId": "Europe/Zagreb"},
            "2026-03-30T09:00:00.000+0200",
        ),
        (
            {"dateTime": "2026-10-25T02:30:00", "zoneId": "Europe/Zagreb"},
            "2026-10-25T02:30:00.000+0200",
        ),
        (
            {"dateTime": "2026-06-01T09:00:00.250", "zoneId": "America/New_York"},
            "2026-06-01T09:00:00.250-0400",
        ),
        # An offset that agrees with the zone at that moment is fine.
        (
            {"dateTime": "2026-06-01T14:30:00+05:30", "zoneId": "Asia/Kolkata"},
            "2026-06-01T14:30:00.000+0530",
        ),
        ({"dateTime": "2026-06-01T09:00:00Z"}, "2026-06-01T09:00:00.000+0000"),
        ("2026-06-01T09:00:00+01:00", "2026-06-01T09:00:00.000+0100"),
        ("2026-06-01T09:00:00.5-0330", "2026-06-01T09:00:00.500-0330"),
    ],
)
def test_send_at_is_flattened_for_infobip(value: Any, expected: str) -> None:
    assert infobip_datetime(resolve_send_at(value)) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"dateTime": "2026-03-29T02:30:00", "zoneId": "Europe/Zagreb"}, "does not exist"),
        ({"dateTime": "2026-06-01T09:00:00", "zoneId": "Mars/Olympus"}, "not a known time zone"),
        ({"dateTime": "2026-06-01T09:00:00"}, "or give zoneId"),
        ("2026-06-01T09:00:00", "ISO-8601"),  # schema: a lone string needs an offset
        ({"dateTime": "2026-02-01T09:00:00", "zoneId": "UTC"}, "in the past"),
        ({"dateTime": "2026-09-01T09:00:00", "zoneId": "UTC"}, "more than 180 days"),
    ],
)
def test_bad_send_at_is_refused(value: Any, fragment: str) -> None:
    values = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "x", "sendAt": value}]}
    with pytest.raises(InputError) as info:
        component.validate_input("sendSms", values, now=NOW)
    assert info.value.errors[0]["path"].startswith("messages[0].sendAt")
    assert fragment in info.value.errors[0]["message"]


def test_send_at_a_minute_late_is_accepted() -> None:
    values = {
        "messages": [
            {"destinations": [{"to": "41793026727"}], "text": "x", "sendAt": "2026-03-01T11:59:30Z"}
        ]
    }
    component.validate_input("sendSms", values, now=NOW)


@pytest.mark.parametrize(
    ("window", "ok"),
    [
        (
            {"days": ["MONDAY"], "from": {"hour": 6, "minute": 0}, "to": {"hour": 7, "minute": 0}},
            True,
        ),
        (
            {"days": ["MONDAY"], "from": {"hour": 6, "minute": 0}, "to": {"hour": 6, "minute": 59}},
            False,
        ),
        (
            {"days": ["MONDAY"], "from": {"hour": 22, "minute": 0}, "to": {"hour": 2, "minute": 0}},
            True,
        ),
        ({"days": ["MONDAY"], "from": {"hour": 6, "minute": 0}}, False),
        ({"days": ["MONDAY", "SUNDAY"]}, True),
        ({"days": ["MONDAY", "MONDAY"]}, False),
    ],
)
def test_delivery_time_window(window: dict[str, Any], ok: bool) -> None:
    values = {
        "messages": [
            {"destinations": [{"to": "41793026727"}], "text": "x", "deliveryTimeWindow": window}
        ]
    }
    if ok:
        component.validate_input("sendSms", values)
    else:
        with pytest.raises(InputError) as info:
            component.validate_input("sendSms", values)
        assert info.value.errors[0]["path"].startswith("messages[0].deliveryTimeWindow")


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("See https://example.com/x", True),
        ("HTTP://EXAMPLE.COM", True),
        ("no link here", False),
        ("example.com only", False),
    ],
)
def test_preview_url_needs_a_link(text: str, ok: bool) -> None:
    values = {
        "from": "447860099299",
        "to": "41793026727",
        "content": {"text": text, "previewUrl": True},
    }
    if ok:
        component.validate_input("sendWhatsappTextMessage", values)
    else:
        with pytest.raises(InputError) as info:
            component.validate_input("sendWhatsappTextMessage", values)
        assert info.value.errors[0]["path"] == "content.previewUrl"


def test_given_ids_are_kept_and_missing_ones_generated_uniquely() -> None:
    values = component.validate_input(
        "sendSms",
        {
            "bulkId": "my-bulk",
            "messages": [
                {
                    "destinations": [
                        {"to": "41793026727", "messageId": "mine"},
                        {"to": "41793026728"},
                        {"to": "41793026729"},
                    ],
                    "text": "x",
                }
            ],
        },
    )
    ids = [d["messageId"] for d in values["messages"][0]["destinations"]]
    assert values["bulkId"] == "my-bulk" and ids[0] == "mine"
    assert len(set(ids)) == 3


def test_generated_ids_are_unique_version_4_uuids() -> None:
    import uuid

    from infobip_connector.runtime.checks import new_ids

    ids = new_ids(5000)
    assert len(set(ids)) == 5000 and new_ids(0) == []
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and str(parsed) == text


def test_the_clock_is_read_only_when_a_rule_but_no_comma_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import infobip_connector.runtime.checks as checks

    readings: list[datetime] = []

    def clock() -> datetime:
        readings.append(NOW)
        return NOW

    monkeypatch.setattr(checks, "utc_now", clock)
    message: dict[str, Any] = {"destinations": [{"to": "41793026727"}], "text": "Hi"}
    # IDs (with their comma rule) and numbers need no time: no reading.
    component.validate_input("sendSms", {"bulkId": "b-1", "messages": [message]})
    assert readings == []
    with pytest.raises(InputError, match="must not contain a comma"):
        component.validate_input("sendSms", {"bulkId": "b,1", "messages": [message]})
    assert readings == []
    # Two scheduled messages are judged by one reading, taken at the first rule that runs.
    earlier = {**message, "sendAt": "2026-02-01T12:00:00Z"}
    with pytest.raises(InputError, match="in the past"):
        component.validate_input("sendSms", {"messages": [earlier, earlier]})
    assert readings == [NOW]


def test_an_id_too_long_for_one_member_is_still_told_repeated_in_another() -> None:
    # Too long for bulkId (100) but not for messageId (200): the two recipients' equal
    # messageIds are a problem of their own.
    long_id = "\N{GRINNING FACE}" * 60
    destinations = [
        {"to": "41793026727", "messageId": long_id},
        {"to": "41793026728", "messageId": long_id},
    ]
    with pytest.raises(InputError) as raised:
        component.validate_input(
            "sendSms",
            {"bulkId": long_id, "messages": [{"destinations": destinations, "text": "Hi"}]},
        )
    paths = [error["path"] for error in raised.value.errors]
    assert paths == ["bulkId", "messages[0].destinations[1].messageId"]
