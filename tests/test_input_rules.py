"""Inputs as Infobip reads them: text rules on every field, lengths, IDs, zones, error order."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.definition.model import Property, walk
from infobip_connector.runtime.template_rules import HEADER_MEMBERS
from infobip_connector.sandbox import Sandbox

from .operations import OPERATIONS

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# A valid input per action: the sample of tests/operations.py, unless one is given here.
BASE: dict[str, dict[str, Any]] = {
    **{action: operation.sample for action, operation in OPERATIONS.items()},
    "sendSms": {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hello"}]},
    "sendWhatsappTextMessage": {
        "from": "441134960000",
        "to": "441134960001",
        "content": {"text": "Hello"},
    },
    # A header of a type, so that a value put at one of its members is judged by itself.
    "sendWhatsappTemplateMessage": {
        "messages": [
            {
                "from": "441134960000",
                "to": "441134960001",
                "content": {
                    "templateName": "welcome",
                    "language": "en",
                    "templateData": {
                        "header": {
                            "type": "DOCUMENT",
                            "mediaUrl": "https://example.com/a.pdf",
                            "filename": "a.pdf",
                        },
                        "carousel": {
                            "cards": [
                                {
                                    "header": {
                                        "type": "IMAGE",
                                        "mediaUrl": "https://example.com/a.png",
                                    }
                                }
                            ]
                        },
                    },
                },
                "smsFailover": {"from": "InfoSMS", "text": "Hello"},
            }
        ]
    },
    "previewSms": {"text": "Hello"},
    "getSmsDeliveryReports": {},
    "getSmsLogs": {},
    "getInboundSms": {},
    "getScheduledSms": {"bulkId": "BULK-1"},
    "rescheduleSms": {
        "bulkId": "BULK-1",
        "sendAt": {"dateTime": "2026-03-02T09:00:00", "zoneId": "Europe/Zagreb"},
    },
    "getScheduledSmsStatus": {"bulkId": "BULK-1"},
    "updateScheduledSmsStatus": {"bulkId": "BULK-1", "status": "PAUSED"},
}


def _errors(action: str, values: Any) -> list[dict[str, str]]:
    with pytest.raises(InputError) as info:
        component.validate_input(action, values, now=NOW)
    return info.value.errors


def _text_fields() -> Iterator[tuple[str, tuple[Any, ...], Property]]:
    """Every free-text input field of every action (enumerations excluded)."""
    for action in component.definition.actions:
        for path, prop in walk(action.as_property()):
            if prop.type == "STRING" and not prop.options:
                yield action.name, path, prop


TEXT_FIELDS = list(_text_fields())


#: A header member's first type that takes it (``placeholder``: TEXT, ``filename``: DOCUMENT).
HEADER_TAKING = {
    member: kind for kind, members in reversed(HEADER_MEMBERS.items()) for member in members
}


def _with(action: str, path: tuple[Any, ...], value: Any) -> tuple[dict[str, Any], str]:
    """The action's base input with ``value`` at ``path`` (list indexes as 0)."""
    values = copy.deepcopy(BASE[action])
    node: Any = values
    spelled: list[str] = []
    for part, following in zip(path, [*path[1:], None], strict=True):
        key: Any = 0 if part == "*" else part
        spelled.append(f"[{key}]" if key == 0 and part == "*" else f".{key}")
        if following is None:
            node[key] = value
            if path[-2:-1] == ("header",) and key in HEADER_TAKING:
                # A header's member belongs to a header of a type that takes it (else that
                # is what is said of it): the first such type, with its other members.
                kind = HEADER_TAKING[key]
                node["type"] = kind
                for other in list(node):
                    if other not in ("type", *HEADER_MEMBERS[kind]):
                        del node[other]
                node.update({m: node.get(m, "x") for m in HEADER_MEMBERS[kind] if m != key})
        else:
            if isinstance(node, list):
                node = node[key]
            else:
                node = node.setdefault(key, [{}] if following == "*" else {})
    return values, "".join(spelled).lstrip(".")


def _field_id(field: tuple[str, tuple[Any, ...], Property]) -> str:
    return field[0] + ":" + ".".join(str(p) for p in field[1])


@pytest.mark.parametrize("field", TEXT_FIELDS, ids=_field_id)
def test_no_text_field_takes_control_characters(
    field: tuple[str, tuple[Any, ...], Property],
) -> None:
    action, path, _ = field
    values, where = _with(action, path, "ab\u0000cd")
    mine = [e for e in _errors(action, values) if e["path"] == where]
    assert len(mine) == 1 and "control character" in mine[0]["message"], mine


@pytest.mark.parametrize("field", TEXT_FIELDS, ids=_field_id)
def test_no_text_field_may_be_blank(field: tuple[str, tuple[Any, ...], Property]) -> None:
    action, path, _ = field
    values, where = _with(action, path, " \u00a0 ")
    mine = [e for e in _errors(action, values) if e["path"] == where]
    assert len(mine) == 1 and "blank" in mine[0]["message"], mine


@pytest.mark.parametrize(
    ("action", "values", "path"),
    [
        (
            "sendSms",
            {"messages": [{"destinations": [{"to": "41793026727"}], "text": "   "}]},
            "messages[0].text",
        ),
        (
            "sendSms",
            {"messages": [{"destinations": [{"to": "41793026727"}], "text": "\n\t "}]},
            "messages[0].text",
        ),
        (
            "sendWhatsappTextMessage",
            {**BASE["sendWhatsappTextMessage"], "content": {"text": "  "}},
            "content.text",
        ),
    ],
)
def test_blank_message_text_is_reported_at_its_own_path(
    action: str, values: dict[str, Any], path: str
) -> None:
    assert [e["path"] for e in _errors(action, values)] == [path]


def test_multiline_text_keeps_line_breaks_and_tabs() -> None:
    text = "Line one\r\n\tLine two\n"
    values = component.validate_input(
        "sendSms",
        {
            "messages": [
                {"destinations": [{"to": "41793026727"}], "text": text, "callbackData": text}
            ]
        },
    )
    assert values["messages"][0]["text"] == text
    whatsapp = {**BASE["sendWhatsappTextMessage"], "content": {"text": text}}
    assert component.validate_input("sendWhatsappTextMessage", whatsapp)["content"]["text"] == text


def test_every_input_text_field_of_the_schemas_states_the_rule() -> None:
    for action in component.action_names:
        schema = component.input_schema(action)
        for path, prop in walk(component.definition.action(action).as_property()):
            if prop.type != "STRING" or prop.options:
                continue
            node = schema
            for part in path:
                node = node["items"] if part == "*" else node["properties"][part]
            if prop.format == "digits":  # ASCII digits only: no control character either
                assert node["pattern"].startswith("^[0-9]{"), node["pattern"]
                continue
            assert "\\u0000-\\u001f" in node["pattern"] or "\\u0000-\\u0008" in node["pattern"]


def _limited() -> Iterator[tuple[str, tuple[Any, ...], Property]]:
    for action, path, prop in TEXT_FIELDS:
        if prop.maxLength is not None:
            yield action, path, prop


@pytest.mark.parametrize("field", list(_limited()), ids=_field_id)
def test_lengths_are_counted_in_utf16_code_units(
    field: tuple[str, tuple[Any, ...], Property],
) -> None:
    action, path, prop = field
    assert prop.maxLength is not None
    emoji = "😀" * (prop.maxLength // 2 + 1)  # within the limit in code points, over in UTF-16
    if path[-2:] == ("header", "placeholder"):
        # A placeholder belongs to a TEXT header (the base headers are a DOCUMENT and an IMAGE).
        values, where = _with(action, path[:-1], {"type": "TEXT", "placeholder": emoji})
        where += ".placeholder"
    elif path[-2:] == ("header", "filename"):
        # A file name belongs to a DOCUMENT header (a carousel card's base header is an IMAGE).
        document = {"type": "DOCUMENT", "mediaUrl": "https://example.com/a.pdf", "filename": emoji}
        values, where = _with(action, path[:-1], document)
        where += ".filename"
    else:
        values, where = _with(action, path, emoji)
    mine = [e for e in _errors(action, values) if e["path"] == where]
    assert len(mine) == 1, mine
    if prop.format is None:
        assert "UTF-16" in mine[0]["message"]
    assert component.input_schema(action)["$comment"].startswith("Infobip counts lengths in UTF-16")


def test_a_text_at_the_limit_in_utf16_passes() -> None:
    values = {**BASE["sendWhatsappTextMessage"], "content": {"text": "😀" * 2048}}
    component.validate_input("sendWhatsappTextMessage", values)
    values["content"]["text"] += "😀"
    assert [e["path"] for e in _errors("sendWhatsappTextMessage", values)] == ["content.text"]


def test_duplicate_message_ids_are_refused_naming_both_places() -> None:
    values = {
        "messages": [
            {"destinations": [{"to": "41793026727", "messageId": "m-1"}], "text": "a"},
            {
                "destinations": [
                    {"to": "41793026728", "messageId": "m-2"},
                    {"to": "41793026729", "messageId": "m-1"},
                ],
                "text": "b",
            },
        ]
    }
    sandbox = Sandbox()
    with pytest.raises(InputError) as info:
        component.execute(
            "sendSms",
            values,
            {"token": "sandbox-key-for-local-tests"},
            transport=sandbox.transport(),
        )
    assert sandbox.requests == []
    (error,) = info.value.errors
    assert error["path"] == "messages[1].destinations[1].messageId"
    assert "messages[0].destinations[0].messageId" in error["message"]


@pytest.mark.parametrize(
    "zone",
    [
        "America",
        "../../etc",
        "Europe/",
        "Europe/Zagreb\u0000",
        "x" * 5000,
        "posixrules",
        "localtime",
        "/etc/localtime",
        "right/UTC",
        "Europe//Zagreb",
        "..",
    ],
)
def test_a_zone_that_is_not_an_iana_zone_is_an_input_error_at_zone_id(zone: str) -> None:
    send_at = {"dateTime": "2026-12-01T09:00:00", "zoneId": zone}
    values = {
        "messages": [{"destinations": [{"to": "41793026727"}], "text": "x", "sendAt": send_at}]
    }
    errors = _errors("sendSms", values)
    assert [e["path"] for e in errors] == ["messages[0].sendAt.zoneId"]
    assert "/usr" not in errors[0]["message"] and "site-packages" not in errors[0]["message"]


def test_a_zone_in_the_wrong_case_gets_a_suggestion() -> None:
    send_at = {"dateTime": "2026-12-01T09:00:00", "zoneId": "europe/zagreb"}
    values = {
        "messages": [{"destinations": [{"to": "41793026727"}], "text": "x", "sendAt": send_at}]
    }
    assert "did you mean Europe/Zagreb?" in _errors("sendSms", values)[0]["message"]


def test_schema_and_rule_problems_are_reported_in_one_pass() -> None:
    values = {"messages": [{"destinations": [{"to": "bad"}], "text": ""}]}
    assert [e["path"] for e in _errors("sendSms", values)] == [
        "messages[0].destinations[0].to",
        "messages[0].text",
    ]


def test_errors_follow_the_document_and_the_cap_keeps_the_first() -> None:
    destinations = [{"to": "41793026727"} for _ in range(600)]
    for index in (5, 500, *range(10, 160)):
        destinations[index] = {"to": "bad"}
    values = {"messages": [{"text": "", "destinations": destinations}]}
    with pytest.raises(InputError) as info:
        component.validate_input("sendSms", values)
    paths = [e["path"] for e in info.value.errors]
    assert paths[0] == "messages[0].text"  # written before the destinations
    assert paths[1:3] == ["messages[0].destinations[5].to", "messages[0].destinations[10].to"]
    assert len(paths) == 100 and "messages[0].destinations[500].to" not in paths
    assert info.value.details["total"] == 153


def test_one_problem_gets_one_message() -> None:
    values = {**BASE["sendWhatsappTextMessage"], "content": {"text": "hi", "previewUrl": "true"}}
    assert _errors("sendWhatsappTextMessage", values) == [
        {"path": "content.previewUrl", "message": "must be true or false, not text"}
    ]
    values = {**BASE["sendWhatsappTextMessage"], "content": {"text": ""}}
    assert _errors("sendWhatsappTextMessage", values) == [
        {"path": "content.text", "message": "is required"}
    ]


def test_optional_objects_left_empty_are_still_not_sent() -> None:
    values = copy.deepcopy(BASE["sendSms"])
    values["urlOptions"] = {"trackingUrl": "", "customDomain": None}
    values["messages"][0]["language"] = {"languageCode": ""}
    checked = component.validate_input("sendSms", values)
    assert "urlOptions" not in checked and "language" not in checked["messages"][0]


def _entries() -> Iterator[tuple[str, Any]]:
    sandbox = Sandbox()
    connection = {"token": "sandbox-key-for-local-tests"}
    yield "execute", lambda a: component.execute(a, {}, connection, transport=sandbox.transport())
    yield "execute_async", lambda a: asyncio.run(component.execute_async(a, {}, connection))
    yield "validate_input", lambda a: component.validate_input(a, {})
    yield "input_schema", component.input_schema
    yield "output_schema", component.output_schema
    yield "runtime", component.runtime
    yield "definition.action", component.definition.action


@pytest.mark.parametrize(("entry", "call"), list(_entries()), ids=[e for e, _ in _entries()])
@pytest.mark.parametrize("name", ["sendSMS", "", "sendSms ", None, ["sendSms"]])
def test_an_unknown_action_is_a_typed_error_listing_the_actions(
    entry: str, call: Any, name: Any
) -> None:
    with pytest.raises(InputError) as info:
        call(name)
    (error,) = info.value.errors
    assert error["path"] == "action"
    assert "sendSms, sendWhatsappTextMessage" in error["message"]
