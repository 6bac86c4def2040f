"""The patterns the lean schema leaves to the checks: tested exactly as the schema tests them."""

from __future__ import annotations

import random
import re

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infobip_connector import component
from infobip_connector.definition.texts import IDENTIFIER_PATTERN, LINE_PATTERN
from infobip_connector.errors import InputError
from infobip_connector.runtime import action_runtime
from infobip_connector.runtime.text_forms import all_pass, passes, pattern_test

runtime = component.runtime

PATTERNS = [LINE_PATTERN, IDENTIFIER_PATTERN]
# The edges of every class the patterns name, and ordinary characters around them.
EDGES = (
    "\x00\x01\t\n\r\x1f \x20!+-0a~\x7f\x80\x9f\xa0\xad\u034f\u061c\u1680\u2000\u200a\u200b"
    "\u200f\u2028\u2029\u202a\u202e\u202f\u205f\u2060\u3000\ue000\uf8ff\ufdd0\ufeff\ufffe"
    "\uffff\u00e9\u4e2d\U0001bca0\U0001d173\U000e0000\U000e0fff\U000f0000\U0010ffff"
    "\U0001fffe\U0001f600\U000110bd"
)
TEXTS = st.text(alphabet=st.sampled_from(EDGES), max_size=8) | st.text(max_size=8)


def _schema_passes(pattern: str, value: str) -> bool:
    return bool(jsonschema_rs.validator_for({"type": "string", "pattern": pattern}).is_valid(value))


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=3000, deadline=None)
@given(value=TEXTS)
def test_one_text_passes_exactly_when_the_schema_pattern_does(pattern: str, value: str) -> None:

    assert passes(value, re.compile(pattern).fullmatch) == _schema_passes(pattern, value)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_short_text_of_the_edges(pattern: str) -> None:

    full = re.compile(pattern).fullmatch
    validator = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    singles = ["", *EDGES]
    for a in singles:
        for b in singles:
            value = a + b
            assert passes(value, full) == validator.is_valid(value), repr(value)


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=1000, deadline=None)
@given(values=st.lists(TEXTS, max_size=12))
def test_a_list_passes_exactly_when_each_text_does(pattern: str, values: list[str]) -> None:

    expected = all(_schema_passes(pattern, v) for v in values)
    assert all_pass(values, re.compile(pattern).fullmatch) == expected


def test_a_bulk_of_plain_texts_with_one_bad_one_fails() -> None:

    full = re.compile(IDENTIFIER_PATTERN).fullmatch
    plain = [f"id-{i}" for i in range(100)]
    assert all_pass(plain, full)
    for bad in ("", " ", "   ", "a\x7f", "\x1fa", "a\u200b", "a\n"):
        for where in (0, 50, 99):
            assert not all_pass([*plain[:where], bad, *plain[where:]], full), (bad, where)


def test_only_phone_numbers_and_ids_are_left_to_the_checks() -> None:
    action = runtime("sendSms").action
    destination = action.as_property().child("messages").items.child("destinations").items
    assert pattern_test(destination.child("to")) is not None
    assert pattern_test(destination.child("messageId")) is not None
    message = action.as_property().child("messages").items
    assert pattern_test(message.child("text")) is None
    assert pattern_test(message.child("from")) is None


def _bulk(size: int, **changed: dict[str, str]) -> dict[str, object]:
    destinations = [{"to": f"4179{i:07d}", "messageId": f"id-{i}"} for i in range(size)]
    for index, fields in changed.items():
        destinations[int(index[1:])] = fields
    return {"messages": [{"destinations": destinations, "from": "InfoSMS", "text": "hi"}]}


def _outcome(values: dict[str, object]) -> object:
    try:
        return runtime("sendSms").validate(values)
    except InputError as exc:
        return exc.errors


BAD = [
    {"to": "4179302\x016727", "messageId": "x-1"},
    {"to": "\u200b", "messageId": "x-2"},
    {"to": "41793026727\n", "messageId": "x-3"},
    {"to": "41793026727", "messageId": "a\x01"},
    {"to": "41793026727", "messageId": "   "},
    {"to": "41793026727", "messageId": "a\u202eb"},
    {"to": "41793026727", "messageId": "id-3"},  # also a duplicate of item 3's ID
    {"to": "41793026727", "messageId": "x" * 201},
    {"to": "+41 79 302 67 27", "messageId": "ok,comma"},
    {"to": "\u0661\u0662", "messageId": "\u00e9t\u00e9"},
]


@pytest.mark.parametrize("size", [3, 40, 200])
@pytest.mark.parametrize("bad", BAD)
def test_lean_validation_reports_what_the_full_schema_reports(
    size: int, bad: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(size)
    places = sorted(rng.sample(range(size), min(3, size)))
    values = _bulk(size, **{f"i{p}": dict(bad) for p in places})
    values_again = _bulk(size, **{f"i{p}": dict(bad) for p in places})
    lean = _outcome(values)
    monkeypatch.setattr(runtime("sendSms"), "_lean", None)
    assert lean == _outcome(values_again)
    # A looser test would let a broken pattern through: each of these is refused.
    if bad["messageId"] not in ("ok,comma", "\u00e9t\u00e9") and not bad["to"].startswith("+"):
        assert isinstance(lean, list)


def test_a_bulk_with_one_control_character_in_an_id_is_refused_at_its_place() -> None:
    values = _bulk(100, i70={"to": "41793026727", "messageId": "id\x0270"})
    errors = _outcome(values)
    assert isinstance(errors, list)
    assert [e["path"] for e in errors] == ["messages[0].destinations[70].messageId"]
    assert "control character" in errors[0]["message"]


def test_a_clean_bulk_takes_the_lean_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    full = runtime("sendSms").inputs
    monkeypatch.setattr(
        full, "problems", lambda value: calls.append(1) or type(full).problems(full, value)
    )
    validated = runtime("sendSms").validate(_bulk(action_runtime.LEAN_FROM))
    assert not calls
    assert len(validated["messages"][0]["destinations"]) == action_runtime.LEAN_FROM
