"""Input variants a careful reader tries: huge numbers, odd senders, invisible and
line-breaking characters, malformed URLs, numbers pasted with marks around them.

Each kind is tried on every field of every action that can hold it, found from the
definition rather than listed, so a field added later is covered too.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.definition import Property, walk

from .test_input_rules import BASE, NOW, _errors, _with

Field = tuple[str, tuple[Any, ...], Property]


def _fields(*, types: tuple[str, ...] = ("STRING",), fmt: str | None = None) -> list[Field]:
    found: list[Field] = []
    for action in component.definition.actions:
        for path, prop in walk(action.as_property()):
            if prop.type in types and not prop.options and (fmt is None or prop.format == fmt):
                found.append((action.name, path, prop))
    return found


def _field_id(field: Field) -> str:
    return field[0] + ":" + ".".join(str(p) for p in field[1])


def _mine(field: Field, value: Any) -> list[dict[str, str]]:
    action, path, _ = field
    values, where = _with(action, path, value)
    return [e for e in _errors(action, values) if e["path"] == where]


def _valid(action: str, values: dict[str, Any]) -> dict[str, Any]:
    return component.validate_input(action, values, now=NOW)


# ---------------------------------------------------------------- huge whole numbers

NUMBER_FIELDS = _fields(types=("INTEGER", "NUMBER"))


@pytest.mark.parametrize(
    "huge", [10**5000, -(10**5000), 10**101], ids=["1e5000", "-1e5000", "1e101"]
)
@pytest.mark.parametrize("field", NUMBER_FIELDS + _fields(), ids=_field_id)
def test_a_huge_whole_number_is_an_input_error_at_its_field(field: Field, huge: int) -> None:
    mine = _mine(field, huge)
    assert len(mine) == 1 and "more than 100 digits" in mine[0]["message"], mine


def test_a_long_but_printable_number_still_gets_the_fields_own_message() -> None:
    values, _ = _with("sendSms", ("messages", "*", "validityPeriod"), 10**99)
    assert "must be at most" in _errors("sendSms", values)[0]["message"]
    values, _ = _with("sendSms", ("messages", "*", "destinations", "*", "to"), 2**70)
    assert _errors("sendSms", values)[0]["message"] == "must be text, not a whole number"

