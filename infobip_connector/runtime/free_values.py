"""Bounds of an OBJECT with free members (``freeMembers`` in ``connector.yaml``).

Such an object (a WhatsApp Flow's first-screen ``data``, Razorpay's ``callbackData`` map)
holds values the definition does not spell out, so the JSON Schema says only what its
members may be; how deep and how large it may grow is checked here, on a schema-valid value:
members nested at most ``FREE_MAX_DEPTH`` levels below it, its compact JSON text at most
``FREE_MAX_JSON_CHARS`` characters, and text values of a declared ``values`` type within
that type's ``maxLength`` counted as Infobip counts (UTF-16 code units).
"""

from __future__ import annotations

import json
from typing import Any

from ..definition.model import FREE_MAX_DEPTH, FREE_MAX_JSON_CHARS, Property
from ..definition.texts import over_limit, too_long

# (path below the free object as parts, message): parts, not a dotted path, since a
# member's name may itself hold a dot or a bracket.
Problems = list[tuple[tuple[str | int, ...], str]]


def free_member_problems(value: dict[str, Any], values: Property | None) -> Problems:
    """Problems of the free object ``value``, each at its place below the object.

    ``values``: the declared type of each member's value, or None for any JSON value.
    """
    deep = _too_deep(value, (), 1)
    if deep is not None:
        message = f"is nested deeper than {FREE_MAX_DEPTH} levels below this object"
        return [(deep, message)]
    problems: Problems = []
    limit = values.maxLength if values is not None and values.type == "STRING" else None
    if limit is not None:
        problems += [
            ((name,), too_long(limit, member))
            for name, member in value.items()
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
