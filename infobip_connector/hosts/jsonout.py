"""JSON on the CLI's stdout at native speed.

A 100,000-destination Send SMS output is about 26 MB of indented JSON. The standard
library's ``json.dump`` writes indented output through its pure-Python encoder (3.8
million small writes, about two seconds, several times the whole send); orjson builds
the same text in C in a few tens of milliseconds, and it goes out in one write.
"""

from __future__ import annotations

import json
import sys
from typing import Any, BinaryIO, TextIO

import orjson

from ..safejson import deeper_calls

_PRETTY = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
_COMPACT = orjson.OPT_APPEND_NEWLINE
#: Calls the standard library's encoder may need beyond the limit: about one per level of
#: nesting, for the 1,024 levels an answer may have (``safejson``) below an output's own few,
#: which orjson does not write (it stops at 254 levels).
_DEEP_CALLS = 1_200


def encode(data: Any, *, pretty: bool = True) -> bytes:
    """``data`` as strict UTF-8 JSON (no NaN or Infinity) ending in a newline.

    Indented by two spaces unless ``pretty`` is false (one line). orjson refuses what
    it cannot write exactly (integers beyond 64 bits, keys that are not strings); those
    rare values go through the standard library, still strict. Raises ValueError for
    NaN or Infinity there, TypeError for values that are not JSON data.
    """
    try:
        return orjson.dumps(data, option=_PRETTY if pretty else _COMPACT)
    except orjson.JSONEncodeError:
        with deeper_calls(_DEEP_CALLS):
            text = json.dumps(
                data,
                indent=2 if pretty else None,
                separators=(",", ": ") if pretty else (",", ":"),
                ensure_ascii=False,
                allow_nan=False,
            )
        return (text + "\n").encode("utf-8")


#: Characters a reader may take for a line break (Python's ``str.splitlines``, JavaScript's
#: line terminators) that JSON leaves unescaped in its texts; nowhere else in JSON.
_BREAKS = ("\u0085", "\u2028", "\u2029")


def line(data: Any) -> str:
    """``data`` as compact JSON text (``encode``) on one line for every reader: without the
    final newline, and each of ``_BREAKS`` escaped (the same JSON data). Nearly every text
    holds none of them: each is looked for before any copy."""
    text = encode(data, pretty=False).decode("utf-8").rstrip("\n")
    for mark in _BREAKS:
        if mark in text:
            text = text.replace(mark, f"\\u{ord(mark):04x}")
    return text


def write(data: Any, *, pretty: bool = True, out: TextIO | None = None) -> None:
    """Encode ``data`` and write it in one call to the byte stream under ``out`` (stdout).

    The text layer is flushed first, so what was printed before comes out before. A
    text stream without bytes underneath (a test's ``StringIO``) gets the decoded text.
    """
    stream = out if out is not None else sys.stdout
    encoded = encode(data, pretty=pretty)
    stream.flush()
    raw: BinaryIO | None = getattr(stream, "buffer", None)
    if raw is None:
        stream.write(encoded.decode("utf-8"))
        stream.flush()
        return
    raw.write(encoded)
    raw.flush()
