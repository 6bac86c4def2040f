"""Send WhatsApp Template Message: the checks before sending (phone numbers, headers,
buttons, WhatsApp's caps on texts, placeholders and IDs)."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.definition.model import format_path, walk

from .template_support import ACTION, SENDER, input_problems, one_message


def test_from_and_to_are_checked_as_phone_numbers() -> None:
    problems = input_problems(one_message(**{"from": "12", "to": "+1 (555) 0"}))
    assert set(problems) == {"messages[0].from", "messages[0].to"}


def test_sms_failover_sender_follows_the_sms_sender_rules() -> None:
    problems = input_problems(one_message(smsFailover={"from": "AB", "text": "x"}))
    assert "3 to 11 characters" in problems["messages[0].smsFailover.from"]
    problems = input_problems(one_message(smsFailover={"from": "Info\u00e9SMS", "text": "x"}))
    assert "ASCII" in problems["messages[0].smsFailover.from"]
    # A numeric sender is normalised like a number.
    values = component.validate_input(
        ACTION, one_message(smsFailover={"from": "+44 7860 099299", "text": "x"})
    )
    assert values["messages"][0]["smsFailover"]["from"] == SENDER


@pytest.mark.parametrize(
    ("header", "path", "words"),
    [
        ({"type": "TEXT"}, "placeholder", "is required when type is TEXT"),
        ({"type": "DOCUMENT", "mediaUrl": "https://e.com/a.pdf"}, "filename", "is required"),
        ({"type": "IMAGE"}, "mediaUrl", "is required when type is IMAGE"),
        ({"type": "LOCATION", "latitude": 1}, "longitude", "is required"),
        (
            {"type": "IMAGE", "mediaUrl": "https://e.com/a.png", "placeholder": "x"},
            "placeholder",
            "does not belong to a header of type IMAGE (it takes mediaUrl)",
        ),
        ({"type": "LOCATION", "latitude": 91, "longitude": 0}, "latitude", "at most 90"),
        ({"type": "VIDEO", "mediaUrl": "ftp://e.com/a.mp4"}, "mediaUrl", "http"),
        ({"type": "AUDIO"}, "type", "one of"),
    ],
)
def test_a_header_takes_the_members_of_its_type(
    header: dict[str, Any], path: str, words: str
) -> None:
    content = {
        "templateName": "t",
        "language": "en",
        "templateData": {"body": {"placeholders": ["x"]}, "header": header},
    }
    problems = input_problems(one_message(content))
    where = f"messages[0].content.templateData.header.{path}"
    assert words in problems[where], problems


def test_buttons_are_checked_by_type() -> None:
    buttons = [
        {"type": "COPY_CODE", "parameter": "1234567890123456"},
        {"type": "QUICK_REPLY", "parameter": "q" * 129},
        {"type": "URL", "parameter": "u" * 500},
        {"type": "URL", "parameter": "a"},
        {"type": "URL", "parameter": "b"},
    ]
    content = {"templateName": "t", "language": "en", "templateData": {"buttons": buttons}}
    problems = input_problems(one_message(content))
    base = "messages[0].content.templateData.buttons"
    assert "at most 15" in problems[f"{base}[0].parameter"]
    assert "at most 128" in problems[f"{base}[1].parameter"]
    assert "at most two dynamic URL buttons" in problems[base]
    assert f"{base}[2].parameter" not in problems  # 500 is within a URL extension's 2,000


DATA = "messages[0].content.templateData"


@pytest.mark.parametrize(
    ("data", "path", "limit"),
    [
        # WhatsApp's limits: a body parameter, a text header, a whole button URL.
        ({"body": {"placeholders": ["a", "p" * 32769]}}, "body.placeholders[1]", 32768),
        # An emoji is two UTF-16 code units, as Infobip counts.
        ({"body": {"placeholders": ["\U0001f600" * 16385]}}, "body.placeholders[0]", 32768),
        ({"header": {"type": "TEXT", "placeholder": "h" * 61}}, "header.placeholder", 60),
        ({"buttons": [{"type": "URL", "parameter": "u" * 2001}]}, "buttons[0].parameter", 2000),
    ],
)
def test_template_texts_have_whatsapps_caps(data: dict[str, Any], path: str, limit: int) -> None:
    content = {"templateName": "t", "language": "en", "templateData": data}
    problems = input_problems(one_message(content))
    assert list(problems) == [f"{DATA}.{path}"]
    assert f"at most {limit} characters" in problems[f"{DATA}.{path}"]


@pytest.mark.parametrize(
    "data",
    [
        # A body alone: WhatsApp's limit for a body parameter.
        {"body": {"placeholders": ["p" * 32768, "\U0001f600" * 16384]}},
        # With a header and buttons, a body parameter has 1,024.
        {
            "body": {"placeholders": ["p" * 1024, "\U0001f600" * 512]},
            "header": {"type": "TEXT", "placeholder": "h" * 60},
            "buttons": [{"type": "URL", "parameter": "u" * 2000}],
        },
    ],
)
def test_template_texts_at_their_caps_are_accepted(data: dict[str, Any]) -> None:
    values = one_message({"templateName": "t", "language": "en", "templateData": data})
    assert component.validate_input(ACTION, values)["messages"][0]["content"]["templateData"]


def test_every_text_item_of_a_list_has_a_cap() -> None:
    """A list of free texts (placeholders, IDs) caps each item, in every action."""
    uncapped = [
        f"{action.name}: {format_path(path)}"
        for action in component.definition.actions
        for path, prop in walk(action.as_property())
        if path
        and path[-1] == "*"
        and prop.type == "STRING"
        and prop.maxLength is None
        and not prop.options
    ]
    assert uncapped == []


def test_empty_placeholder_values_and_repeated_ids_are_refused() -> None:
    content = {
        "templateName": "t",
        "language": "en",
        "templateData": {"body": {"placeholders": ["a", " "]}},
    }
    values = one_message(content, messageId="same")
    values["messages"].append({**values["messages"][0]})
    problems = input_problems(values)
    assert "blank" in problems["messages[0].content.templateData.body.placeholders[1]"]
    assert "is the same as messages[0].messageId" in problems["messages[1].messageId"]
