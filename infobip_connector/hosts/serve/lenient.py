"""A line that is JSON by the grammar but not strict JSON: its requests keep their ids.

RFC 8259's grammar admits a number past the range of a double (``1e400``, 400 digits) and
a string escape that is half of a UTF-16 pair (``"\\ud800"``); strict JSON, which the
worker reads (``safejson``), refuses both, since nothing downstream can hold them. Such a
line is still JSON, so JSON-RPC's parse error (-32700, id ``null``: "invalid JSON was
received") does not fit it: the request objects are read with the standard library, each
keeps its id (as written, ``ids.py``), and a request holding such a value is answered
with its id: invalid params (-32602) naming the member of ``params``, or invalid request
(-32600) naming a member outside them; the other requests of a batch run. A line that is
not JSON at all (a syntax error, bytes that are not UTF-8, nesting past the limit) stays
a parse error.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ...errors import member_path

#: What ``safejson`` says of the two faults read here (its other refusals stay parse errors).
_REASONS = ("infinity", "surrogate")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: The integers read as such, as orjson reads them (others become floats, as there).
_LOWEST, _PAST_HIGHEST = -(1 << 63), 1 << 64


def may_read(reason: str) -> bool:
    """Whether a line refused for ``reason`` (``safejson``'s text) may be read here."""
    return any(word in reason for word in _REASONS)


def loads(raw: bytes, errors: str = "strict") -> Any | None:
    """The document of ``raw`` read by the grammar alone; None when it is not JSON at all.

    ``errors``: how bytes that are not UTF-8 are decoded (``"surrogateescape"``: each a
    lone surrogate, so a string holding them is found by :func:`unreadable`)."""
    try:
        text = raw.decode("utf-8", errors)
        return json.loads(text, parse_constant=_no_constant, parse_int=_integer)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None


def unreadable(item: dict[str, Any]) -> tuple[str, str] | None:
    """``(path, why)`` of the first value of ``item`` strict JSON refuses, None if none.

    The path is the member's (``id``, ``method``, ``params.input.messages[0].text``). Walked
    with a stack, not recursion: the nesting may be as deep as the grammar allows.
    """
    stack: list[tuple[str, Any]] = [(name, value) for name, value in reversed(item.items())]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return path, "is a number past the range of a double, which strict JSON refuses"
        if isinstance(value, str) and _SURROGATE.search(value):
            return path, "holds half of a UTF-16 surrogate pair, which is not Unicode text"
        if isinstance(value, dict):
            for name in value:
                if _SURROGATE.search(name):
                    return path, "has a member name that is not Unicode text (a lone surrogate)"
            stack.extend(
                (member_path(path, name), member) for name, member in reversed(value.items())
            )
        elif isinstance(value, list):
            stack.extend((f"{path}[{n}]", member) for n, member in reversed(list(enumerate(value))))
    return None


def _integer(digits: str) -> int | float:
    if len(digits) > 21:  # past 64 bits; and int() refuses thousands of digits
        return float(digits)
    number = int(digits)
    return number if _LOWEST <= number < _PAST_HIGHEST else float(digits)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
