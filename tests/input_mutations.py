"""Invalid inputs: a valid one with one mutation applied, and where the problem is.

The test then knows where the error must point (``is_related``).
"""

from __future__ import annotations

import copy
import math
import zlib
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

from infobip_connector import component
from infobip_connector.definition.model import format_path, walk
from infobip_connector.runtime.values import prune

from .input_draws import Meant, take_meant, valid_inputs
from .input_schema_draws import ACTIONS, Path_, Schema


def schema_at(schema: Schema, path: Path_) -> Schema:
    for part in path:
        schema = schema["items"] if isinstance(part, int) else schema["properties"][part]
    return schema


def every_site(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every place in ``value`` (pruned, so nothing in it is empty), root included."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from every_site(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from every_site(item, (*path, index))


def set_at(root: Any, path: Path_, new: Any) -> Any:
    if not path:
        return new
    parent = root
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = new
    return root


def _family(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"  # an integral float is a valid integer and vice versa
    return type(value).__name__


_WRONG_TYPES: list[Any] = [True, 7, 2.5, "text", [1], {"unknownKey": 1}]


def _deep(levels: int) -> Any:
    nested: Any = "x"
    for _ in range(levels):
        nested = [nested]
    return nested


Case = tuple[dict[str, Any], Meant, str, Any, Path_]


@st.composite
def cases(draw: st.DrawFn, action: str) -> Case:
    """A valid input, the sendAt instants it means, and a copy of it with one thing broken:
    ``(valid, meant, kind of mutation, invalid input, path of the problem)``."""
    valid = draw(valid_inputs(action))
    meant = take_meant(valid)
    kind, invalid, problem = _mutate(draw, action, valid)
    return valid, meant, kind, invalid, problem


def _mutate(draw: st.DrawFn, action: str, valid: dict[str, Any]) -> tuple[str, Any, Path_]:
    value: Any = prune(valid)  # a new tree: the valid input stays as it was
    schema = component.input_schema(action)
    sites = list(every_site(value))
    kinds: list[str] = []
    required_sites = [
        (p, v)
        for p, v in sites
        if isinstance(v, dict)
        and set(schema_at(schema, p).get("required", [])) & set(v)
        # Emptied, an optional object counts as not given (documented), which is valid.
        and (len(v) > 1 or _required_in_parent(schema, p))
    ]
    bounded = [(p, v) for p, v in sites if _has(schema, p, "minimum", "maximum", "maxLength")]
    enums = [(p, v) for p, v in sites if _has(schema, p, "enum") and isinstance(v, str)]
    phone_sites = [(p, v) for p, v in sites if any(_matches(f, p) for f in _PHONE_FIELDS[action])]
    if required_sites:
        kinds.append("missing required")
    if bounded:
        kinds.append("out of range")
    if enums:
        kinds.append("unknown enum value")
    if phone_sites:
        kinds += ["control character in a phone number", "not a phone number"]
    kinds += ["wrong type", "unknown key", "deep nesting", "not JSON", "huge array"]
    if any(isinstance(v, str) for _, v in sites):
        kinds.append("lone surrogate")  # not for inputs without text (all filters left empty)
    # Hypothesis draws the first of several choices far more often than any other (half of
    # all draws, whether by sampled_from, integers or randoms): a salt from the input already
    # drawn spreads those over the kinds, so that each gets about as many examples. The same
    # draws still give the same input, so the same kind, as a replay needs.
    salt = zlib.crc32(repr(value).encode())
    kind = kinds[(draw(st.integers(0, len(kinds) - 1)) + salt) % len(kinds)]

    new: Any
    if kind == "wrong type":
        path, old = draw(st.sampled_from(sites))
        wrong = [w for w in _WRONG_TYPES if _family(w) != _family(old)]
        new = copy.deepcopy(draw(st.sampled_from(wrong)))  # the list's own [1] is not handed out
        return kind, set_at(value, path, new), path
    if kind == "unknown key":
        path, _ = draw(st.sampled_from([(p, v) for p, v in sites if isinstance(v, dict)]))
        key = draw(st.sampled_from(["unknownKey", "Text", "to ", "\x00", "__proto__"]))
        return kind, set_at(value, (*path, key), 1), (*path, key)
    if kind == "missing required":
        path, obj = draw(st.sampled_from(required_sites))
        key = draw(st.sampled_from(sorted(set(schema_at(schema, path)["required"]) & set(obj))))
        del obj[key]
        # An object left empty counts as not given, so the parent's requirement may be what
        # breaks; the error path then names the parent, which is_related accepts.
        return kind, value, (*path, key)
    if kind == "out of range":
        path, old = draw(st.sampled_from(bounded))
        sub = schema_at(schema, path)
        if "maxLength" in sub:
            new = "9" * (sub["maxLength"] + 1)
        elif draw(st.booleans()) and "maximum" in sub:
            new = sub["maximum"] + draw(st.sampled_from([1, 10**30]))
        else:
            new = sub.get("minimum", 0) - draw(st.sampled_from([1, 10**30]))
        return kind, set_at(value, path, new), path
    if kind == "unknown enum value":
        path, _ = draw(st.sampled_from(enums))
        new = draw(st.sampled_from(["NOT_AN_OPTION", "monday", "", "tr", "MONDAY\x00"]))
        if new == "":
            # Empty means not given: a required enum then goes missing, an optional one is fine;
            # use a value that is never an option instead.
            new = " "
        return kind, set_at(value, path, new), path
    if kind == "control character in a phone number":
        path, old = draw(st.sampled_from(phone_sites))
        # Not whitespace: spaces, tabs and newlines are accepted (and removed) as separators.
        bad = draw(st.sampled_from(["\x00", "\x07", "\x7f", "\u202e", "\x1b[31m"]))
        # Between two digits, so that stripping the ends cannot remove it.
        cut = draw(st.sampled_from([i for i in range(1, len(old)) if old[i - 1 : i + 1].isdigit()]))
        return kind, set_at(value, path, old[:cut] + bad + old[cut:]), path
    if kind == "not a phone number":
        path, old = draw(st.sampled_from(phone_sites))
        # Refused by the number's own check: too few digits, an unknown country code, a word.
        # Three characters are no number under either phoneNumberCheck ("possible" takes
        # some of four, such as 4915).
        new = draw(st.sampled_from([old[:3], "12", "+999 123 456 789", "call me"]))
        return kind, set_at(value, path, new), path
    if kind == "deep nesting":
        path, _ = draw(st.sampled_from(sites))
        return kind, set_at(value, path, _deep(draw(st.integers(33, 200)))), ()
    if kind == "lone surrogate":
        strings = [(p, v) for p, v in sites if isinstance(v, str)]
        path, old = draw(st.sampled_from(strings))
        return kind, set_at(value, path, old + draw(st.sampled_from(["\ud800", "\udfff"]))), path
    if kind == "not JSON":
        path, _ = draw(st.sampled_from(sites))
        new = draw(
            st.sampled_from([math.nan, math.inf, -math.inf, {1: "x"}, b"bytes", {1, 2}, object()])
        )
        return kind, set_at(value, path, new), path
    # huge array: thousands of items where one object or value belongs
    path, _ = draw(st.sampled_from(sites))
    size = draw(st.integers(1000, 5000))
    return kind, set_at(value, path, [{"unknownKey": i} for i in range(size)]), path


#: The phone-number fields of each action, by the definition's ``format: phone``.
_PHONE_FIELDS: dict[str, list[Path_]] = {
    action: [
        path
        for path, prop in walk(component.definition.action(action).as_property())
        if prop.format == "phone"
    ]
    for action in ACTIONS
}


def _matches(pattern: Path_, path: Path_) -> bool:
    return len(pattern) == len(path) and all(
        p == q or (p == "*" and isinstance(q, int)) for p, q in zip(pattern, path, strict=True)
    )


def _required_in_parent(schema: Schema, path: Path_) -> bool:
    if not path or isinstance(path[-1], int):
        return True  # the root, or a list item (kept in place even when empty)
    return path[-1] in schema_at(schema, path[:-1]).get("required", [])


def _has(schema: Schema, path: Path_, *keywords: str) -> bool:
    sub = schema_at(schema, path)
    return any(k in sub for k in keywords)


def is_related(error_path: str, problem: Path_) -> bool:
    """Whether an error path names the problem's place, one of its parents or its children."""
    where = format_path(problem)
    return (
        error_path == where
        or where.startswith(error_path + ".")
        or where.startswith(error_path + "[")
        or error_path.startswith(where + ".")
        or error_path.startswith(where + "[")
        or not error_path
        or not where
    )
