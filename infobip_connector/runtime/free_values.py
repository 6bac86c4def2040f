"""Bounds and text rules of an OBJECT with free members (``freeMembers`` in
``connector.yaml``) and of a ONE_OF property's value (``forms``: a list of texts, or such an
object).

Such a value (a WhatsApp Flow's first-screen ``data``, an order payment's ``callbackData``)
holds members or items the definition does not spell out one by one, so the JSON Schema
says only what each may be (and not below its first level); the rest is checked here, on a
schema-valid value, each problem at the place it concerns:

- members nested at most ``FREE_MAX_DEPTH`` levels below the value;
- every member name, at every level, is an identifier as the README states for input text:
  not blank, and no control, line-breaking, invisible, bidi or private-use character
  (``texts.text_problem(kind="identifier")``), reported at that member's path;
- every text value below the first level (a Flow's screen data) is text as every other
  input: not blank, no control character but tabs and line breaks; a first-level value (or
  list item) of a declared type has the schema's pattern and the ``maxLength`` of that type,
  counted as Infobip counts (UTF-16 code units);
- every whole number fits in 64 signed bits (``FREE_INTEGERS``): Infobip's platform is Java,
  whose ``long`` is the widest whole number it reads; numbers are otherwise sent as written;
- the compact JSON text at most ``FREE_MAX_JSON_CHARS`` UTF-16 code units.
"""

from __future__ import annotations

import json
from typing import Any

from ..definition.model import Property
from ..definition.open_shapes import FREE_MAX_DEPTH, FREE_MAX_JSON_CHARS
from ..definition.texts import over_limit, text_problem, too_long, utf16_length
from ..nonjson import printable_name
from ..safejson import encodes_as_utf8

# (path below the free object as parts, message): parts, not a dotted path, since a
# member's name may itself hold a dot or a bracket.
Problems = list[tuple[tuple[str | int, ...], str]]

#: The whole numbers a free member may hold: a Java ``long`` (inclusive bounds).
FREE_INTEGERS = (-(2**63), 2**63 - 1)

_INTEGER_SAID = (
    f"must be a whole number from {FREE_INTEGERS[0]:,} to {FREE_INTEGERS[1]:,} "
    "(64 bits, the widest whole number Infobip reads); write a larger one as text"
)


#: What a member name with a lone surrogate is told, at that name (its escape printed).
NAME_NOT_UNICODE = "is a member name that is not valid Unicode text (lone surrogate)"
#: What a member named ``""`` is told, at its own path (``data.""``, as every path writes an
#: empty name: ``errors.member_path``); validation.py says it for the schema.
EMPTY_NAME_SAID = "is a member with an empty name; every member needs a name"


def depth_said() -> str:
    """What a member nested too deep is told (here and by the input pruning's own limit)."""
    return f"is nested deeper than {FREE_MAX_DEPTH} levels below this object"


def free_depth_problem(
    root: Property, parts: tuple[str | int, ...]
) -> tuple[tuple[str | int, ...], str] | None:
    """The free object's depth problem for a place at ``parts`` below ``root`` too deep for
    the input as a whole, if it lies that far inside an object with free members: the same
    place and message ``free_member_problems`` gives, so a depth is told one way."""
    prop: Property | None = root
    for index, part in enumerate(parts):
        prop = prop.child(part) if prop is not None else None
        if prop is None:
            return None
        if prop.open_shape:
            end = index + 1 + FREE_MAX_DEPTH
            return (parts[:end], depth_said()) if len(parts) > end else None
    return None


def open_shape_problems(value: Any, prop: Property) -> Problems:
    """Problems of a schema-valid value of ``prop``, an OBJECT with free members or a ONE_OF
    (of the form its JSON type picks), each at its place below the value."""
    if prop.forms is None:
        return free_member_problems(value, prop.values)
    form = prop.form(value)
    if form is None:  # of no form: the schema refused it at this place
        return []
    return free_member_problems(value, form.values if form.freeMembers else form.items)


def free_member_problems(value: dict[str, Any] | list[Any], values: Property | None) -> Problems:
    """Problems of the free object (or list) ``value``, each at its place below it.

    ``values``: the declared type of each member's value (or item), or None for any JSON
    value.
    """
    deep = _too_deep(value, (), 1)
    if deep is not None:
        return [(deep, depth_said())]
    problems: Problems = []
    # A declared scalar type is the schema's to check at the first level (its pattern).
    declared = values is not None and values.type != "OBJECT"
    places = value.items() if isinstance(value, dict) else enumerate(value)
    for place, member in places:
        if isinstance(place, str):
            _name(place, (place,), problems)
        if not declared:
            _below(member, (place,), problems)
    limit = values.maxLength if values is not None and values.type == "STRING" else None
    if limit is not None:
        places = value.items() if isinstance(value, dict) else enumerate(value)
        problems += [
            ((place,), too_long(limit, member))
            for place, member in places
            if isinstance(member, str) and over_limit(member, limit)
        ]
    size = utf16_length(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    if size > FREE_MAX_JSON_CHARS:
        said = (
            f"is {size:,} characters as compact JSON (UTF-16 code units, an emoji counts "
            f"two); at most {FREE_MAX_JSON_CHARS:,} are taken"
        )
        problems.append(((), said))
    return problems


def _name(name: str, parts: tuple[str | int, ...], problems: Problems) -> None:
    if not name:
        problems.append((parts, EMPTY_NAME_SAID))
        return
    if not encodes_as_utf8(name):
        # The pruning refuses most; a list's flat objects are copied without that look.
        problems.append(((*parts[:-1], printable_name(name)), NAME_NOT_UNICODE))
        return
    problem = text_problem(name, kind="identifier")
    if problem is not None:
        problems.append((parts, f"has a name that {problem}"))


def _below(value: Any, parts: tuple[str | int, ...], problems: Problems) -> None:
    """The text rules and the integer range for ``value`` at ``parts`` and all it holds."""
    kind = type(value)
    if kind is str:
        problem = text_problem(value, kind="text")
        if problem is not None:
            problems.append((parts, problem))
    elif kind is int:
        if not FREE_INTEGERS[0] <= value <= FREE_INTEGERS[1]:
            problems.append((parts, _INTEGER_SAID))
    elif kind is dict:
        for name, member in value.items():
            _name(name, (*parts, name), problems)
            _below(member, (*parts, name), problems)
    elif kind is list:
        for index, item in enumerate(value):
            _below(item, (*parts, index), problems)


def _too_deep(value: Any, parts: tuple[str | int, ...], depth: int) -> tuple[str | int, ...] | None:
    """The path of the first object or list nested deeper than FREE_MAX_DEPTH, if any;
    ``depth`` is the level of ``value``'s members (1 for the free object's own)."""
    if isinstance(value, dict):
        children: Any = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    else:
        return None
    for key, child in children:
        if isinstance(child, dict | list) and child:
            if depth >= FREE_MAX_DEPTH:
                return (*parts, key)
            found = _too_deep(child, (*parts, key), depth + 1)
            if found is not None:
                return found
    return None
