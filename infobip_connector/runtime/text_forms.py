"""The patterns of phone numbers and client-assigned IDs, tested by the checks, not the schema.

Every input text has a pattern in the published schemas (``definition/texts.py``): not
blank, no control character, an ID no invisible character either. For the texts the checks
pass reads anyway, a bulk's phone numbers and messageIds, the runtime validates with a
lean copy of the schema without those patterns: jsonschema-rs running a pattern per
recipient costs more than the rest of the schema. The checks pass tests the very same
patterns instead (``passes``, ``all_pass``), a list at a time; when a text fails, the
execution is validated again with the full schema, so that every problem is reported
exactly as the schema reports it (``ActionRuntime.validate``).

Only ``LINE_PATTERN`` and ``IDENTIFIER_PATTERN`` are left to the checks. On ASCII text
both say the same, which is what makes a bulk cheap to test: no control character
(U+0000-U+001F, U+007F) and at least one character that is not a space. Any other text
is matched against the pattern itself, anchored at both ends as jsonschema-rs anchors it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from ..definition.model import Property
from ..definition.schemas import string_pattern
from ..definition.texts import IDENTIFIER_PATTERN, LINE_PATTERN

#: A pattern's ``fullmatch``: what ``passes`` asks of a text that is not ASCII.
Test = Callable[[str], Any]

# ``fullmatch``, not ``match``: in Python ``$`` also matches before a final line break,
# which jsonschema-rs (and ECMA-262) do not allow.
_FULL = {p: re.compile(p).fullmatch for p in (LINE_PATTERN, IDENTIFIER_PATTERN)}
# Every ASCII control character becomes NUL, every other byte stays: one translation in C
# and one search for NUL test a whole list of texts.
_CONTROLS_TO_NUL = bytes(0 if code < 0x20 or code == 0x7F else code for code in range(256))


class PatternFailed(Exception):
    """A text the lean schema left to the checks breaks its pattern: validate in full."""


def tested_pattern(prop: Property) -> str | None:
    """The schema pattern of ``prop`` that the checks test in the schema's place, or None.

    A phone number (``format: phone``) and a client-assigned ID (``generatedId``) are read
    by the checks pass wherever they are given; their pattern is left to it when it is one
    of the two this module tests.
    """
    if prop.type != "STRING" or not (prop.format == "phone" or prop.generatedId):
        return None
    pattern = string_pattern(prop, False)
    return pattern if pattern in _FULL else None


def pattern_test(prop: Property) -> Test | None:
    """The test of ``tested_pattern(prop)`` (for ``passes``), or None when the schema keeps
    the pattern."""
    pattern = tested_pattern(prop)
    return None if pattern is None else _FULL[pattern]


def lean_schema(schema: dict[str, Any], root: Property) -> dict[str, Any] | None:
    """A copy of ``schema`` (of values of ``root``) without the patterns the checks test,
    or None when it has none of them."""
    lean = copy.deepcopy(schema)
    return lean if _drop(lean, root) else None


def _drop(schema: dict[str, Any], prop: Property) -> bool:
    dropped = False
    if tested_pattern(prop) is not None and "pattern" in schema:
        del schema["pattern"]
        dropped = True
    members = schema.get("properties")
    if isinstance(members, dict):
        for child in prop.properties or []:
            if child.name in members:
                dropped = _drop(members[child.name], child) or dropped
    if prop.items is not None and isinstance(schema.get("items"), dict):
        dropped = _drop(schema["items"], prop.items) or dropped
    return dropped


def passes(value: str, full: Test) -> bool:
    """Whether ``value`` matches the pattern whose ``fullmatch`` is ``full``."""
    if value.isascii():
        # On ASCII, isprintable is false exactly for the control characters.
        return value.isprintable() and bool(value.strip(" "))
    return full(value) is not None


def all_pass(values: list[str], full: Test) -> bool:
    """Whether every one of ``values`` ``passes`` ``full`` (a ``pattern_test``), a list at a time.

    The usual list, ASCII without spaces or control characters, is settled by a few
    passes in C over its texts joined; any other is tested text by text.
    """
    joined = "".join(values)
    if (
        joined.isascii()
        and " " not in joined
        and 0 not in joined.encode().translate(_CONTROLS_TO_NUL)  # 0: a NUL byte
        and "" not in values
    ):
        return True
    return all(passes(value, full) for value in values)
