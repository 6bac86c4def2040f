"""Text as Infobip reads it: blank values, control characters, lengths in UTF-16 code units.

The schema patterns below are derived into every input string of ``schemas/`` (see
``schemas.py``); the functions say, for a value that broke one, which problem it has.
Infobip's platform is Java: its length limits (``@Size`` on a ``String``) count UTF-16
code units, so a character beyond U+FFFF (most emoji) counts twice, while JSON Schema's
``maxLength`` counts code points.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

# Written as regex escapes (not characters): the patterns go into JSON Schemas, whose
# ECMA-262 dialect, jsonschema-rs and Python's re all read \\uXXXX the same way. The few
# ranges beyond U+FFFF are written as the characters themselves (escapes differ between
# dialects); they read as code points in Python, jsonschema-rs and ECMA-262's "u" mode.
# Control characters: Unicode category Cc (C0, DEL and C1).
_CONTROLS = r"\u0000-\u001f\u007f-\u009f"
# Multi-line text keeps tab, line feed and carriage return.
_TEXT_CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
# Line and paragraph separators (Zl, Zp): line breaks, which a one-line value must not hold.
_LINE_BREAKS = r"\u2028\u2029"
# Space separators (Zs) other than the ASCII space.
_WIDE_SPACES = r"\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Characters that show nothing: Unicode's Default_Ignorable_Code_Point (zero-width
# spaces and joiners, bidi marks, the BOM, variation selectors, Hangul fillers, tags)
# and the braille blank. A text made of these and spaces is blank.
_INVISIBLE = (
    r"\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
# The other format characters (Cf): visible signs that reorder or join what follows.
_FORMATS = (
    r"\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2" "\U000110bd\U000110cd\U00013430-\U0001343f"
)
# Private use (Co, planes 15 and 16 whole) and noncharacters: no meaning outside one system.
_PRIVATE = (
    r"\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 15)
    )
    + "\U000f0000-\U0010ffff"
)
_BLANKS = " " + _WIDE_SPACES + _INVISIBLE
_TEXT_BLANKS = _BLANKS + _LINE_BREAKS + r"\t\n\r"
# What an identifier (an ID Infobip stores and echoes back) must not hold: anything that
# breaks a line, shows nothing, reorders text or means nothing outside one system.
_NOT_IN_IDS = _CONTROLS + _LINE_BREAKS + _WIDE_SPACES + _INVISIBLE + _FORMATS + _PRIVATE

# Not blank, and no control character (one-line values: no line break either). Each class
# is followed by its complement, so a backtracking engine stays linear too.
LINE_PATTERN = f"^[{_BLANKS}]*[^{_BLANKS}{_CONTROLS}][^{_CONTROLS}{_LINE_BREAKS}]*$"
TEXT_PATTERN = f"^[{_TEXT_BLANKS}]*[^{_TEXT_BLANKS}{_TEXT_CONTROLS}][^{_TEXT_CONTROLS}]*$"
# Visible characters and inner ASCII spaces only.
IDENTIFIER_PATTERN = f"^ *[^ {_NOT_IN_IDS}][^{_NOT_IN_IDS}]*$"
# An absolute http(s) URL with a host, without spaces or control characters (the rest of
# what makes a URL well-formed is checked by checks.py: see urls.py). No backslash: some
# parsers read it as a slash, others as part of the host.
# Nor what an identifier refuses: a bidi override or zero-width space in a URL only hides
# where it leads.
HTTP_URL_PATTERN = f"^[Hh][Tt][Tt][Pp][Ss]?://[^\\s{_NOT_IN_IDS}\\\\/?#]+[^\\s{_NOT_IN_IDS}\\\\]*$"

TextKind = Literal["text", "line", "identifier"]


def digits_pattern(low: int, high: int) -> str:
    """ASCII digits only, ``low`` to ``high`` of them (a mobile country code: 3, 3)."""
    return f"^[0-9]{{{low}}}$" if low == high else f"^[0-9]{{{low},{high}}}$"


def digits_said(low: int, high: int) -> str:
    """What ``digits_pattern(low, high)`` asks for, in words."""
    if low == high:
        return f"must be {low} digits (0-9)"
    joined = "or" if high == low + 1 else "to"
    return f"must be {low} {joined} {high} digits (0-9)"


_CONTROL = re.compile(f"[{_CONTROLS}]")
_TEXT_CONTROL = re.compile(f"[{_TEXT_CONTROLS}]")
_LINE_BREAK = re.compile(f"[{_LINE_BREAKS}]")
_NOT_IN_ID = re.compile(f"[{_NOT_IN_IDS}]")
_BLANK = re.compile(f"[{_TEXT_BLANKS}]*")
# Overrides (U+202D, U+202E) are kept: they reverse what is shown, so a value holding one
# does not read as it would be sent, and is refused rather than silently changed.
_DROPPABLE = re.compile(f"(?![\\u202d\\u202e])[{_INVISIBLE}]")

_CONTROL_NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return"}


def text_problem(value: str, *, kind: TextKind) -> str | None:
    """Why ``value`` breaks the pattern of its ``kind``; None when it does not.

    ``text`` is ``TEXT_PATTERN`` (multi-line), ``line`` ``LINE_PATTERN``, ``identifier``
    ``IDENTIFIER_PATTERN``; the character at fault is named by its code point.
    """
    found = (_TEXT_CONTROL if kind == "text" else _CONTROL).search(value)
    if found is not None:
        char = found.group()
        name = _CONTROL_NAMES.get(char, "a control character")
        where = f"{name} (U+{ord(char):04X}) at position {found.start() + 1}"
        allowed = "; line breaks and tabs are fine" if kind == "text" else ""
        return f"must not contain control characters: found {where}{allowed}"
    if _BLANK.fullmatch(value):
        return "must not be blank (spaces and invisible characters such as U+200B do not count)"
    if kind != "text" and (found := _LINE_BREAK.search(value)) is not None:
        return f"must be one line: found {_named(found)}"
    if kind == "identifier" and (found := _NOT_IN_ID.search(value)) is not None:
        return (
            "may only hold visible characters (no invisible, bidi, private-use or "
            f"non-character code points): found {_named(found)}"
        )
    return None


def strip_invisible(value: str) -> str:
    """``value`` without the characters that show nothing (bidi marks, zero-width spaces...).

    Contacts apps and spreadsheets wrap copied numbers in them (``\u202a+41 79…\u202c``).
    Bidi overrides stay (see ``_DROPPABLE``).
    """
    return value if value.isascii() else _DROPPABLE.sub("", value)


def _named(found: re.Match[str]) -> str:
    char = found.group()
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}{' ' + name if name else ''} at position {found.start() + 1}"


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
