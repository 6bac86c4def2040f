"""A number too small for a double in a send's answer: read by orjson as 0.0, then met by the
output check and the accounting, and read again with every digit.

A send's answer is not searched for such a number before it is read; wherever one stands,
the output, the error and the warnings are those of an answer read with every digit from the
start (what every other answer gets, ``safejson.loads_infobip_digits``), here compared with
that reading itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest

from infobip_connector import ConnectorError, InputError, component, digits, safejson
from infobip_connector.definition.model import Property

CONNECTION = {"token": "tiny-numbers-token-8d2f", "baseUrl": "https://xyz12.api.infobip.com"}
TO = "41793026727"
PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
LITERALS = ["1e-400", "-1e-400", "1E-0400", "0." + "0" * 330 + "1", "0." + "0" * 299 + "1e-99"]
TOLD = "outside the range of a double"


def _sms(size: int) -> dict[str, Any]:
    destinations = [{"to": f"4179302{i:04d}", "messageId": f"M{i}"} for i in range(size)]
    return {"bulkId": "B1", "messages": [{"destinations": destinations, "text": "hi"}]}


def _sms_answer(size: int) -> dict[str, Any]:
    return {
        "bulkId": "B1",
        "messages": [
            {"to": f"4179302{i:04d}", "messageId": f"M{i}", "status": dict(PENDING)}
            for i in range(size)
        ],
    }


WHATSAPP = {"from": "441134960000", "to": TO, "messageId": "W1", "content": {"text": "Hi"}}
WHATSAPP_ANSWER = {"to": TO, "messageCount": 1, "messageId": "W1", "status": dict(PENDING)}
TEMPLATE = {
    "bulkId": "TB",
    "messages": [
        {
            "from": "441134960000",
            "to": TO,
            "messageId": "T1",
            "content": {
                "templateName": "welcome",
                "language": "en",
                "templateData": {"body": {"placeholders": []}},
            },
        }
    ],
}
TEMPLATE_ANSWER = {"messages": [{**WHATSAPP_ANSWER, "messageId": "T1"}], "bulkId": "TB"}

# (action, values, answer, where the literal goes: a path of keys, the last one set).
PLACES: list[tuple[str, dict[str, Any], dict[str, Any], tuple[Any, ...]]] = [
    ("sendSms", _sms(1), _sms_answer(1), ("messages", 0, "status", "groupId")),
    ("sendSms", _sms(1), _sms_answer(1), ("messages", 0, "status", "id")),
    ("sendSms", _sms(1), _sms_answer(1), ("messages", 0, "smsCount")),
    ("sendSms", _sms(1), _sms_answer(1), ("messages", 0, "status", "description")),
    ("sendSms", _sms(1), _sms_answer(1), ("messages", 0, "undeclared")),
    ("sendSms", _sms(1), _sms_answer(1), ("bulkId",)),
    ("sendSms", _sms(1), _sms_answer(1), ("undeclared",)),
    ("sendSms", _sms(100), _sms_answer(100), ("messages", 57, "status", "id")),
    ("sendSms", _sms(100), _sms_answer(100), ("messages", 99, "smsCount")),
    ("sendSms", _sms(100), _sms_answer(100), ("messages", 3, "status", "name")),
    ("sendWhatsappTextMessage", WHATSAPP, WHATSAPP_ANSWER, ("messageCount",)),
    ("sendWhatsappTextMessage", WHATSAPP, WHATSAPP_ANSWER, ("status", "id")),
    ("sendWhatsappTemplateMessage", TEMPLATE, TEMPLATE_ANSWER, ("messages", 0, "messageCount")),
]


def _raw(answer: dict[str, Any], place: tuple[Any, ...], literal: str) -> bytes:
    changed = json.loads(json.dumps(answer))
    target = changed
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = "LITERAL"
    return json.dumps(changed).replace('"LITERAL"', literal).encode()


def _outcome(
    action: str, values: dict[str, Any], raw: bytes, caplog: pytest.LogCaptureFixture
) -> tuple[Any, int]:
    """The output (or the error's type, text and details) and how often a number kept as
    text was told."""
    caplog.clear()
    transport = httpx.MockTransport(lambda _: httpx.Response(200, content=raw))
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        try:
            result: Any = component.execute(action, values, CONNECTION, transport=transport)
        except InputError:
            raise  # the input must be sent, for its answer to be read
        except ConnectorError as exc:
            result = (type(exc).__name__, str(exc), exc.details)
    assert digits._held == {}  # nothing is kept past the execution
    return result, caplog.text.count(TOLD)


def _read_with_digits_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every send's answer read with every digit from the start."""

    def with_digits(data: bytes) -> tuple[Any, bool]:
        return safejson.loads_infobip_digits(data, "Infobip's answer")[0], True

    monkeypatch.setattr(safejson, "loads_send_answer", with_digits)


# Each case: an answer with the literal at the place, and how often it is told (a tiny
# number is kept as its text and told once; a float a double holds is read as it is).
CASES = [(*where, literal, 1) for where in PLACES for literal in LITERALS] + [
    (*where, literal, 0)
    for where in PLACES[:3] + PLACES[7:9]
    for literal in ["0.0", "-0.0", "0e-400", "1e-5", "26.0", "2.5e-300"]
]


@pytest.mark.parametrize(("action", "values", "answer", "place", "literal", "told"), CASES)
def test_a_number_anywhere_in_a_send_answer_gives_what_reading_every_digit_gives(
    action: str,
    values: dict[str, Any],
    answer: dict[str, Any],
    place: tuple[Any, ...],
    literal: str,
    told: int,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = _raw(answer, place, literal)
    got, got_told = _outcome(action, values, raw, caplog)
    with monkeypatch.context() as patch:
        _read_with_digits_first(patch)
        expected, expected_told = _outcome(action, values, raw, caplog)
    assert got == expected
    assert got_told == expected_told == told


def test_a_tiny_number_in_an_async_send_answer_is_read_again() -> None:
    raw = _raw(_sms_answer(1), ("messages", 0, "status", "description"), "1e-400")

    async def answer(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=raw)

    output = asyncio.run(
        component.execute_async(
            "sendSms", _sms(1), CONNECTION, transport=httpx.MockTransport(answer)
        )
    )
    assert output["messages"][0]["status"]["description"] == "1e-400"
    assert digits._held == {}


def test_a_plain_send_answer_is_read_once_and_not_searched(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    read_with_digits = safejson.loads_infobip_digits

    def searched(data: bytes) -> bool:
        calls.append("searched")
        return False

    def with_digits(*args: Any, **kwargs: Any) -> tuple[Any, int]:
        calls.append("read with digits")
        return read_with_digits(*args, **kwargs)

    monkeypatch.setattr(safejson, "_may_underflow", searched)
    monkeypatch.setattr(safejson, "loads_infobip_digits", with_digits)
    for size in (1, 3, 100):
        output, _ = _outcome("sendSms", _sms(size), json.dumps(_sms_answer(size)).encode(), caplog)
        assert output == _sms_answer(size)
    assert calls == []


def _number_places(prop: Property, path: str) -> list[str]:
    found = [path] if prop.type == "NUMBER" else []
    for child in prop.properties or []:
        found += _number_places(child, f"{path}.{child.name}")
    if prop.items is not None:
        found += _number_places(prop.items, f"{path}[]")
    return found


def test_every_send_declares_whole_numbers_and_text_only() -> None:
    # What lets a send's answer go unsearched: a tiny number read as 0.0 can only stand
    # where a whole number is declared, where the accounting and the output check meet it.
    # A send declaring another number would need its answer searched first again.
    actions = [component.runtime(name).action for name in component.action_names]
    sends = [action for action in actions if action.kind == "send"]
    assert sends
    for action in sends:
        assert _number_places(action.output.as_property(), action.name) == []


@pytest.mark.parametrize("beside", ["", ',"undeclared":1', ',"undeclared":1e-400'])
def test_a_number_past_a_double_is_told_once_whatever_else_the_answer_holds(
    beside: str, caplog: pytest.LogCaptureFixture
) -> None:
    # orjson stops at 1e400: that answer is read with every digit at once, never again.
    answer = _sms_answer(2)
    answer["messages"][1]["status"]["description"] = "PAST"
    raw = json.dumps(answer).replace('"PAST"', "1e400").encode()
    raw = raw[:-1] + beside.encode() + b"}"
    output, told = _outcome("sendSms", _sms(2), raw, caplog)
    assert output["messages"][1]["status"]["description"] == "1e400"
    assert "undeclared" not in output
    assert told == 1
    assert f"held {2 if 'e-400' in beside else 1} number(s)" in caplog.text
