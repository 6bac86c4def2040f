"""A bulk's phone numbers settled by one regular-expression match instead of one each.

``normalize_phone`` settles a number already in Infobip's form by the compiled pattern of
its shape (first three digits and length, see phones.py). A 100,000-recipient bulk has
numbers of a few shapes, so here the patterns of the shapes present are joined into one
expression over the numbers written one per line, and a single match runs through them
up to the first number no pattern settles. The numbers before it are exactly those the
per-number test would have kept as given; that one and the rest still get that test.
The shapes present are found by a few searches over the same lines (``_heads``), not by
cutting a head out of every number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ..definition.model import PhoneCheck
from .phones import LINE_END, calling_code, fast_source

#: More shapes (heads times lengths) than this in one list: each number is tested on its own.
MAX_SHAPES = 16
#: Fewer numbers than this are tested one at a time: the expression for a new set of shapes
#: is compiled once, a cost a few numbers do not repay.
BULK = 32

Match = Callable[[str], "re.Match[str] | None"]


def settled_count(numbers: list[Any], check: PhoneCheck) -> int:
    """How many numbers at the start of ``numbers`` the fast path of ``normalize_phone``
    keeps as given (in Infobip's form and passing ``check``).

    0 when the list cannot be read this way (a member that is not text or holds a line
    break, too many shapes): then every number gets the per-number test.
    """
    try:
        text = "\n".join(numbers)
    except TypeError:
        return 0
    if text.count("\n") != len(numbers) - 1:
        return 0
    lines = text + "\n"
    lengths = frozenset(map(len, numbers))
    heads = _heads("\n" + lines, MAX_SHAPES // max(len(lengths), 1))
    if heads is None:
        return 0
    settled = _settled_lines(heads, lengths, check)(lines)
    if settled is None:
        return 0
    return len(numbers) if settled.end() == len(lines) else lines.count("\n", 0, settled.end())


def _heads(lines: str, most: int) -> frozenset[str] | None:
    """The first three characters of each line of ``lines`` (each line led and ended by a
    line break; a shorter line whole), or None when there are more than ``most``.

    Found by searches for a line whose head is not yet known, each from where the last one
    stopped: one scan in C for a bulk of a few heads, instead of a substring per number.
    """
    heads: set[str] = set()
    at = 0
    while True:
        known = "|".join(re.escape(h) if len(h) == 3 else rf"{re.escape(h)}(?=\n)" for h in heads)
        found = re.compile(rf"\n(?!{known})" if heads else "\n").search(lines, at)
        if found is None or found.end() == len(lines):
            return frozenset(heads)
        start = found.end()
        heads.add(lines[start : start + 3].split("\n", 1)[0])
        if len(heads) > most:
            return None
        at = start


@lru_cache(maxsize=256)
def _settled_lines(heads: frozenset[str], lengths: frozenset[int], check: PhoneCheck) -> Match:
    """A match of the lines, from the first, that a shape's pattern settles.

    Each branch is one shape: a calling code and a length, the shape's pattern ending at
    the line's end. A line is settled by the branch of its own shape only, as the
    per-number test looks up that shape alone: each pattern starts with its calling code,
    and no calling code starts another (they are a prefix code), so only the branches of
    a line's own code can match it; a length test picks the one of its length, when the
    lines differ in length. The repetition is possessive: a line once settled is never
    tried again, and no state is kept per line.
    """
    codes = sorted({code for head in heads if (code := calling_code(head)) is not None})
    branches = []
    for code in codes:
        for length in sorted(lengths):
            source = fast_source(code, length - len(str(code)), check, LINE_END)
            if source is not None:
                on_length = rf"(?=[^\n]{{{length}}}\n)" if len(lengths) > 1 else ""
                branches.append(rf"{on_length}(?:{source})")
    lines = "|".join(branches) or "(?!)"
    return re.compile(rf"(?:(?:{lines})\n)*+", re.ASCII).match
