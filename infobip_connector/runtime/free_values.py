"""Bounds of an OBJECT with free members (``freeMembers`` in ``connector.yaml``) and of a
ONE_OF property's value (``forms``: a list of texts, or such an object).

Such a value (a WhatsApp Flow's first-screen ``data``, an order payment's ``callbackData``)
holds members or items the definition does not spell out one by one, so the JSON Schema
says only what each may be; how deep and how large it may grow is checked here, on a
schema-valid value: members nested at most ``FREE_MAX_DEPTH`` levels below it, its compact
JSON text at most ``FREE_MAX_JSON_CHARS`` characters, and text values of a declared
``values`` (or list ``items``) type within that type's ``maxLength`` counted as Infobip
counts (UTF-16 code units).
"""

from __future__ import annotations

import json
from typing import Any

from ..definition.model import Property
from ..definition.open_shapes import FREE_MAX_DEPTH, FREE_MAX_JSON_CHARS
from ..definition.texts import over_limit, too_long

# (path below the free object as parts, message): parts, not a dotted path, since a
# member's name may itself hold a dot or a bracket.
Problems = list[tuple[tuple[str | int, ...], str]]


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
        message = f"is nested deeper than {FREE_MAX_DEPTH} levels below this object"
        return [(deep, message)]
    problems: Problems = []
    limit = values.maxLength if values is not None and values.type == "STRING" else None
    if limit is not None:
        places = value.items() if isinstance(value, dict) else enumerate(value)
        problems += [
            ((place,), too_long(limit, member))
            for place, member in places
            if isinstance(member, str) and over_limit(member, limit)
        ]
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    if size > FREE_MAX_JSON_CHARS:
        said = f"is {size:,} characters as compact JSON; at most {FREE_MAX_JSON_CHARS:,} are taken"
        problems.append(((), said))
    return problems


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
