"""The one reader of untrusted JSON: Infobip's answers, CLI input files, the editor's requests.

Strict JSON only, so that nothing read here can make a later ``json.dumps`` or a
workflow engine fail: no ``NaN``/``Infinity`` (nor numbers that overflow to them), no lone
surrogates, nothing after the document, and at most :data:`MAX_DEPTH` levels of nesting —
deeper data would break recursive code further on (``RecursionError``) instead of being
refused here. Every failure is a :class:`JsonError`, a ``ValueError``; nothing else is
raised for any input, so each caller maps it to the typed error of its place.

orjson enforces all of this natively (its nesting limit is :data:`MAX_DEPTH`) and reads a
100,000-message answer several times faster than the json module, so there is no second
parser to disagree with it. Integers past 64 bits are read as floats, as orjson does.
"""

from __future__ import annotations

from typing import Any

import orjson

from .gcpause import paused_gc

#: Deepest nesting accepted: orjson's own limit, far beyond any real input or answer.
MAX_DEPTH = 1024


class JsonError(ValueError):
    """The data is not strict JSON (or nests deeper than :data:`MAX_DEPTH`)."""


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """The JSON value in ``data`` (UTF-8 bytes or text); raises :class:`JsonError` otherwise."""
    try:
        # Parsing a large answer allocates hundreds of thousands of acyclic objects, which
        # would otherwise set off full collections of the whole heap.
        with paused_gc:
            return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise JsonError(_explain(str(exc))) from None
    except (TypeError, RecursionError, MemoryError) as exc:
        # TypeError: not bytes or text at all. The others cannot come from orjson's parser,
        # but if they ever did, the caller must still get its typed error.
        raise JsonError(f"cannot be read as JSON ({type(exc).__name__})") from None


def _explain(reason: str) -> str:
    if reason.startswith("depth limit exceeded"):
        return f"is nested deeper than {MAX_DEPTH} levels"
    if "infinity" in reason or "NaN" in reason:
        return f"is not strict JSON: {reason} (NaN and Infinity are not JSON)"
    return f"is not valid JSON: {reason}"
