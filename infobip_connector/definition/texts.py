"""Text as Infobip reads it: blank values, control characters, lengths in UTF-16 code units.

The schema patterns below are derived into every input string of ``schemas/`` (see
``schemas.py``); the functions say, for a value that broke one, which problem it has.
Infobip's platform is Java: its length limits (``@Size`` on a ``String``) count UTF-16
code units, so a character beyond U+FFFF (most emoji) counts twice, while JSON Schema's
``maxLength`` counts code points.
"""

from __future__ import annotations

import re

# Written as regex escapes (not characters): the patterns go into JSON Schemas, whose
# ECMA-262 dialect, jsonschema-rs and Python's re all read \\uXXXX the same way.
# Control characters: Unicode category Cc (C0, DEL and C1).
_CONTROLS = r"\u0000-\u001f\u007f-\u009f"
# Multi-line text keeps tab, line feed and carriage return.
_TEXT_CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
# Characters that show nothing: space separators and the line/paragraph separators.
_BLANKS = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_TEXT_BLANKS = _BLANKS + r"\t\n\r"

# Not blank, and no control character. Each class is followed by its complement, so a
# backtracking engine stays linear too.
LINE_PATTERN = f"^[{_BLANKS}]*[^{_BLANKS}{_CONTROLS}][^{_CONTROLS}]*$"
TEXT_PATTERN = f"^[{_TEXT_BLANKS}]*[^{_TEXT_BLANKS}{_TEXT_CONTROLS}][^{_TEXT_CONTROLS}]*$"
# An absolute http(s) URL with a host, without spaces or control characters.
HTTP_URL_PATTERN = f"^[Hh][Tt][Tt][Pp][Ss]?://[^\\s{_CONTROLS}/?#]+[^\\s{_CONTROLS}]*$"

_CONTROL = re.compile(f"[{_CONTROLS}]")
_TEXT_CONTROL = re.compile(f"[{_TEXT_CONTROLS}]")
_BLANK = re.compile(f"[{_TEXT_BLANKS}]*")

_CONTROL_NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return"}


def text_problem(value: str, *, multiline: bool) -> str | None:
    """Why ``value`` breaks ``LINE_PATTERN`` (or ``TEXT_PATTERN``); None when it does not."""
    found = (_TEXT_CONTROL if multiline else _CONTROL).search(value)
    if found is not None:
        char = found.group()
        name = _CONTROL_NAMES.get(char, "a control character")
        where = f"{name} (U+{ord(char):04X}) at position {found.start() + 1}"
        allowed = "; line breaks and tabs are fine" if multiline else ""
        return f"must not contain control characters: found {where}{allowed}"
    if _BLANK.fullmatch(value):
        return "must not be blank"
    return None


def utf16_length(value: str) -> int:
    """Length in UTF-16 code units: what Infobip's limits count."""
    if value.isascii():
        return len(value)
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def over_limit(value: str, limit: int) -> int | None:
    """The UTF-16 length of ``value`` if it exceeds ``limit``, else None (cheap when short)."""
    # Every code point is at most two code units: most values are decided without counting.
    if len(value) * 2 <= limit:
        return None
    units = utf16_length(value)
    return units if units > limit else None


def too_long(limit: int, value: str) -> str:
    units = utf16_length(value)
    note = ""
    if units != len(value):
        note = "; emoji and other characters beyond U+FFFF count as two"
    return (
        f"must be at most {limit} characters long as Infobip counts them "
        f"(UTF-16 code units; got {units}{note})"
    )
