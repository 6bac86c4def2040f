"""WhatsApp's limits on a template's placeholder values, refused at the value's path:
1,024 characters for a body value when the template has a header or buttons, no more
than four spaces in a row, no line break or tab."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infobip_connector import InputError, component

ACTION = "sendWhatsappTemplateMessage"
BODY = "messages[0].content.templateData.body.placeholders"
HEADER = {"type": "TEXT", "placeholder": "x"}
BUTTONS = [{"type": "QUICK_REPLY", "parameter": "yes"}]


def message(data: dict[str, Any]) -> dict[str, Any]:
    content = {"templateName": "order_update", "language": "en", "templateData": data}
    return {"messages": [{"from": "447860099299", "to": "41793026727", "content": content}]}


def problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        component.validate_input(ACTION, message(data))
    return {e["path"]: e["message"] for e in caught.value.errors}


@pytest.mark.parametrize("parts", [{"header": HEADER}, {"buttons": BUTTONS}])
def test_a_long_body_value_is_refused_when_the_template_has_more_than_a_body(
    parts: dict[str, Any],
) -> None:
    found = problems({"body": {"placeholders": ["ok", "a" * 1025]}, **parts})
    assert list(found) == [f"{BODY}[1]"]
    assert "1024" in found[f"{BODY}[1]"] and "header, footer or buttons" in found[f"{BODY}[1]"]


def test_the_limit_counts_as_infobip_does() -> None:
    # 512 emoji are 1,024 UTF-16 code units: at the limit; one more is over it.
    at = {"body": {"placeholders": ["\U0001f600" * 512]}, "header": HEADER}
    component.validate_input(ACTION, message(at))
    over = {"body": {"placeholders": ["\U0001f600" * 513]}, "header": HEADER}
    assert list(problems(over)) == [f"{BODY}[0]"]


def test_without_header_or_buttons_a_body_value_may_be_longer() -> None:
    component.validate_input(ACTION, message({"body": {"placeholders": ["a" * 5000]}}))


@pytest.mark.parametrize("value", ["a     b", "     lead", "trail     ", "a" + " " * 40 + "b"])
def test_more_than_four_spaces_in_a_row_are_refused(value: str) -> None:
    found = problems({"body": {"placeholders": ["fine", value]}})
    assert list(found) == [f"{BODY}[1]"] and "spaces in a row" in found[f"{BODY}[1]"]


def test_four_spaces_in_a_row_pass() -> None:
    data = {
        "body": {"placeholders": ["a    b"]},
        "header": {"type": "TEXT", "placeholder": "c    d"},
    }
    component.validate_input(ACTION, message(data))


def test_a_header_placeholder_with_more_than_four_spaces_is_refused() -> None:
    data = {"body": {"placeholders": []}, "header": {"type": "TEXT", "placeholder": "a     b"}}
    found = problems(data)
    assert list(found) == ["messages[0].content.templateData.header.placeholder"]


@pytest.mark.parametrize("value", ["a\nb", "a\tb", "a\r\nb", "a\u2028b"])
def test_line_breaks_and_tabs_are_refused(value: str) -> None:
    assert list(problems({"body": {"placeholders": [value]}})) == [f"{BODY}[0]"]
    header = {"type": "TEXT", "placeholder": value}
    found = problems({"body": {"placeholders": []}, "header": header})
    assert list(found) == ["messages[0].content.templateData.header.placeholder"]


OFFER = "messages[0].content.templateData.limitedTimeOffer.expirationTime"


@pytest.mark.parametrize("ago", [timedelta(days=365 * 6), timedelta(minutes=5)])
def test_a_limited_time_offer_that_has_expired_is_refused(ago: timedelta) -> None:
    past = (datetime.now(UTC) - ago).isoformat(timespec="seconds")
    data = {"body": {"placeholders": ["x"]}, "limitedTimeOffer": {"expirationTime": past}}
    found = problems(data)
    assert list(found) == [OFFER]
    assert "is in the past" in found[OFFER]


def test_a_limited_time_offer_that_expires_later_passes() -> None:
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat(timespec="seconds")
    data = {"body": {"placeholders": ["x"]}, "limitedTimeOffer": {"expirationTime": later}}
    component.validate_input(ACTION, message(data))
