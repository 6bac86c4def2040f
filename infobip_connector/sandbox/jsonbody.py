"""The sandbox's own reading of request bodies: strict JSON, nesting bounded before parsing.

The emulator shares no code with the connector it checks, so it keeps its own parser. The
standard library's decoder recurses once per nesting level, so a body of 100,000 ``[`` would
end in ``RecursionError``; the depth is measured first, on a skeleton of the body's brackets,
with regular expressions that run in C and never recurse.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Deeper than any Infobip request body (an SMS bulk nests five levels).
MAX_DEPTH = 64

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_EMPTY_PAIR = re.compile(rb"\{\}|\[\]")
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")

JSON_MEDIA_TYPES = ("application/json",)


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the brackets of ``raw`` (outside strings) nest deeper than ``limit``.

    Each pass removes the innermost empty pairs, so a well-formed skeleton is gone after as
    many passes as it is deep. Unbalanced brackets make no verdict here: the parser refuses
    them as malformed.
    """
    skeleton = _STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    for _ in range(limit):
        if not skeleton:
            return False
        skeleton, removed = _EMPTY_PAIR.subn(b"", skeleton)
        if not removed:
            return False
    return bool(skeleton)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse(raw: bytes) -> tuple[Any, bool]:
    """The body as JSON when it is strict JSON no deeper than ``MAX_DEPTH``, else as text.

    Returns ``(value, True)`` for JSON and ``(text, False)`` otherwise (``(None, False)`` for
    an empty body); never raises.
    """
    if not raw:
        return None, False
    if not too_deep(raw):
        try:
            return json.loads(raw, parse_constant=_reject_constant), True
        except (ValueError, RecursionError):
            pass
    return raw.decode("utf-8", errors="replace"), False


def is_json_media_type(content_type: str | None) -> bool:
    """True for ``application/json`` (any parameters, any case) and for no type at all."""
    if content_type is None:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media in JSON_MEDIA_TYPES or (
        media.startswith("application/") and media.endswith("+json")
    )
