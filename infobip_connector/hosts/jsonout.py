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
    """``data`` as strict UTF-8 JSON (no NaN or Infinity) ending in a newline, with no line
    break but JSON's own: each of ``BREAKS`` in a text is written as its escape.

    Indented by two spaces unless ``pretty`` is false (one line). orjson refuses what
    it cannot write exactly (integers beyond 64 bits, keys that are not strings); those
    rare values go through the standard library, still strict. Raises ValueError for
    NaN or Infinity there, TypeError for values that are not JSON data.
    """
    try:
        return escaped_breaks(orjson.dumps(data, option=_PRETTY if pretty else _COMPACT))
    except orjson.JSONEncodeError:
        with deeper_calls(_DEEP_CALLS):
            text = json.dumps(
                data,
                indent=2 if pretty else None,
                separators=(",", ": ") if pretty else (",", ":"),
                ensure_ascii=False,
                allow_nan=False,
            )
        return escaped_breaks((text + "\n").encode("utf-8"))


#: Characters a reader may take for a line break (Python's ``str.splitlines``, JavaScript's
#: line terminators) that JSON leaves unescaped in its texts; nowhere else in JSON.
BREAKS = ("\u0085", "\u2028", "\u2029")
#: Each of ``BREAKS`` in UTF-8, after its lead byte, with its escape: a text without that
#: byte (every text with no such character, nearly every one) is searched no further. In
#: valid UTF-8 these bytes spell that character and nothing else.
_BREAK_BYTES = tuple(
    (mark.encode()[0], mark.encode(), f"\\u{ord(mark):04x}".encode()) for mark in BREAKS
)


def escaped_breaks(data: bytes) -> bytes:
    """``data`` (JSON in UTF-8) with each of ``BREAKS`` written as its escape: the same JSON
    data, split into lines by every reader only where JSON writes a newline. An ASCII text
    (a test in C, about 1 ms for 30 MB) is returned as it is."""
    if data.isascii():
        return data
    for lead, raw, escape in _BREAK_BYTES:
        # ``find`` and an int: see masking._PERCENT_BYTE.
        if lead in data and data.find(raw) != -1:
            data = data.replace(raw, escape)
    return data


def escaped_break_text(text: str) -> str:
    """``text`` (JSON) with each of ``BREAKS`` written as its escape (``escaped_breaks``)."""
    for mark in BREAKS:
        if mark in text:
            text = text.replace(mark, f"\\u{ord(mark):04x}")
    return text


def line(data: Any) -> str:
    """``data`` as compact JSON text (``encode``) on one line for every reader: without the
    final newline, each of ``BREAKS`` escaped (the same JSON data)."""
    return encode(data, pretty=False).decode("utf-8").rstrip("\n")


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
