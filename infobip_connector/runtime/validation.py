"""Validating values against the derived JSON Schemas, with errors a person can act on.

The schemas are compiled once with a native Draft 2020-12 validator: a 100,000
destination bulk validates in milliseconds. Its raw messages are rewritten to
name the field by its path and say what is expected.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import jsonschema_rs

from ..definition.model import Property, format_path
from ..definition.texts import TextKind, digits_said, text_problem, too_long
from ..nonjson import Limits, locate, printable_name
from .datetime_faults import date_time_fault
from .free_values import EMPTY_NAME_SAID, NAME_NOT_UNICODE
from .problems import Parts, Problem, given, said, shown
from .urls import http_url_problem

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


class SchemaValidator:
    """A compiled schema plus the property tree it came from, for readable messages."""

    def __init__(self, schema: dict[str, Any], root: Property) -> None:
        self._validator = jsonschema_rs.validator_for(schema)
        self._root = root

    def errors(self, value: Any) -> list[dict[str, str]]:
        """Every problem with ``value``, as ``{"path", "message"}``; empty when valid."""
        found = [
            {"path": format_path(parts), "message": said(message)}
            for parts, message in self.problems(value)
        ]
        found.sort(key=lambda e: e["path"])
        return found

    def problems(self, value: Any) -> list[Problem]:
        """One problem per place, its message explained only when asked for (see problems.py).

        Where several keywords fail at one place (``"true"`` for a boolean with options
        breaks both ``type`` and ``enum``), the most telling one speaks: a missing member,
        then a wrong type, then the rest in the validator's order.
        """
        return self.judged(value)[0]

    def valid(self, value: Any) -> bool:
        """Whether ``value`` is valid; False too where the validator cannot read it (a member
        name with a lone surrogate), which ``judged`` tells."""
        try:
            return bool(self._validator.is_valid(value))
        except (ValueError, TypeError, OverflowError):
            return False

    def judged(self, value: Any) -> tuple[list[Problem], bool]:
        """``problems``, and whether the validator read all of ``value``: False when it
        stopped at what it cannot read (a member name with a lone surrogate), the one
        problem then told; whatever else is wrong went unjudged, so nothing that relies on
        the schema's verdict (the checks) may look at ``value``."""
        try:
            if self._validator.is_valid(value):
                return [], True
            raw = list(self._validator.iter_errors(value))
        except (ValueError, TypeError, OverflowError) as exc:
            return [_unreadable(value, exc)], False
        chosen: dict[Parts, tuple[int, Any]] = {}
        for err in self._in_forms(raw):
            kind: Any = err.kind
            name = type(kind).__name__
            parts = tuple(err.instance_path)
            if name == "Required":
                parts = (*parts, kind.property)
            elif name == "AdditionalProperties" and len(kind.unexpected) == 1:
                parts = (*parts, next(iter(kind.unexpected)))
            elif name == "PropertyNames":
                # The one rule on names (never empty): told at the member, ``data.""``.
                parts = (*parts, "")
            rank = _RANK.get(name, len(_RANK))
            held = chosen.get(parts)
            if held is None or rank < held[0]:
                chosen[parts] = (rank, err)
        return [(parts, partial(self._explain, err)) for parts, (_, err) in chosen.items()], True

    def _in_forms(self, raw: list[Any]) -> Iterator[Any]:
        """``raw``, with a ONE_OF property's ``oneOf`` failure replaced by the errors of the
        form the value's JSON type picks (each at its own place, ``callbackData[2]``); a
        value of no form is told so by the ``type`` error beside it (schemas._one_of)."""
        for err in raw:
            if type(err.kind).__name__ != "OneOfNotValid":
                yield err
                continue
            prop = self._property_at(list(err.instance_path))
            form = prop.form(err.instance) if prop is not None else None
            if prop is None or prop.forms is None:
                yield err
            elif form is not None:
                yield from self._in_forms(list(err.kind.context[prop.forms.index(form)]))

    def _property_at(self, parts: list[str | int]) -> Property | None:
        prop: Property | None = self._root
        for part in parts:
            prop = prop.child(part) if prop is not None else None
        return prop

    def _explain(self, err: Any) -> str:
        parts: list[str | int] = list(err.instance_path)
        kind = err.kind
        name = type(kind).__name__
        prop = self._property_at(parts)
        if name == "Required":
            return "is required"
        if name == "AdditionalProperties":
            unexpected = list(kind.unexpected)
            known = ", ".join(c.name or "" for c in (prop.properties if prop else None) or [])
            return f"unknown property {', '.join(map(repr, unexpected))}; expected one of: {known}"
        return _message(name, kind, prop, err.instance, err.message)


_RANK = {"Required": 0, "Type": 1, "AdditionalProperties": 2}

# Any integer: the pruning has bounded them; only what the validator cannot read is sought.
_READABLE = Limits(integers=(-(10**400), 10**400), non_finite=True)


def _unreadable(value: Any, exc: Exception) -> Problem:
    """What the validator could not read, at its place: a member name with a lone surrogate
    (the pruning copies a list's flat objects without looking at their keys), else what it
    said."""
    found = locate(value, _READABLE)
    if found is not None and found.kind == "name":
        return (*found.parts[:-1], printable_name(found.value)), NAME_NOT_UNICODE
    return (), f"not JSON data: {exc}"


def _message(name: str, kind: Any, prop: Property | None, value: Any, fallback: str) -> str:
    got = given(value)
    digits = prop is not None and prop.format == "digits" and prop.maxLength is not None
    if digits and name in ("Pattern", "MinLength", "MaxLength"):
        # One message for each way of missing the shape (the count, the characters), after
        # what every one-line text is told (a blank value, a line break) if that is the fault.
        assert prop is not None and prop.maxLength is not None
        problem = text_problem(value, kind="line") if isinstance(value, str) else None
        return (problem or digits_said(prop.minLength or 1, prop.maxLength)) + got
    if name == "Type":
        if prop is not None and prop.alsoAcceptsString:
            return f"must be an object or text; {prop.alsoAcceptsString}{got}"
        types = _as_list(kind.types)
        if "integer" in types and json_type(value) == "number":
            # "a whole number, not a number" would contradict itself: say what was given,
            # as a NUMBER without decimals does (MultipleOf below).
            return f"must be a whole number{got}"
        expected = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        return f"must be {expected}, not {_TYPE_WORDS.get(json_type(value), json_type(value))}"
    if name == "Enum":
        allowed = ", ".join(shown(o) for o in kind.options)
        return f"must be one of: {allowed}{got}"
    if name == "Minimum":
        return f"must be at least {_num(kind.limit)}{got}"
    if name == "Maximum":
        return f"must be at most {_num(kind.limit)}{got}"
    if name == "MultipleOf":
        return f"must be a whole number{got}"
    if name == "MinLength":
        if kind.limit == 1:
            return "must not be empty"
        return f"must be at least {kind.limit} characters long"
    if name == "MaxLength":
        return too_long(kind.limit, value)
    if name == "MinItems":
        return f"needs at least {kind.limit} item{'s' if kind.limit != 1 else ''}"
    if name == "MaxItems":
        return f"allows at most {kind.limit} items (got {len(value)})"
    if name == "PropertyNames":
        # The one rule on the names of an object with free members (schemas._free_members).
        return EMPTY_NAME_SAID
    if name == "UniqueItems":
        return "must not list the same value twice"
    if name == "Pattern":
        return _pattern_message(prop, value) + got
    return fallback


def _pattern_message(prop: Property | None, value: Any) -> str:
    if prop is None:
        return "has the wrong format"
    if isinstance(value, str) and prop.type == "STRING":
        problem = text_problem(value, kind=_text_kind(prop))
        if problem is not None:
            return problem
    if prop.type == "DATE_TIME" or prop.alsoAcceptsString:
        # A date-time in the right shape but with a part out of range: that part is named.
        fault = date_time_fault(value) if isinstance(value, str) else None
        if fault is not None:
            return fault
    if prop.alsoAcceptsString:
        expected = prop.alsoAcceptsString.rstrip(".")  # the value given follows it
        return f"as text, must be {expected[0].lower()}{expected[1:]}"
    if prop.type == "DATE_TIME" and "instant" in prop.rules:
        return "must be a date and time with its offset, such as 2026-12-01T09:00:00+01:00"
    if prop.type == "DATE_TIME":
        return "must be a date and time such as 2026-12-01T09:00:00 (an offset is optional)"
    if prop.format in ("http-url", "callback-url"):
        detail = http_url_problem(value) if isinstance(value, str) and "://" in value else None
        return "must be an http:// or https:// URL" + (f": {detail}" if detail else "")
    return "has the wrong format"


def _text_kind(prop: Property) -> TextKind:
    # A URL refuses what an identifier refuses (see texts.HTTP_URL_PATTERN).
    if prop.format in ("identifier", "http-url", "callback-url"):
        return "identifier"
    return "text" if prop.multiline else "line"


def _as_list(types: Any) -> list[str]:
    if isinstance(types, str):
        return [types]
    return [str(t) for t in types]


def _num(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
