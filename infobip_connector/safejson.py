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

For what Infobip sent (answers, webhook bodies), :func:`loads_infobip` and
:func:`loads_infobip_digits` are as strict but for two things, so that one item never costs a
whole batch. A lone UTF-16 surrogate escape (``"\\ud800"``) or bytes that are not UTF-8: an SMS
text is UCS-2 on the air, so a sender can put an unpaired surrogate in a message, and a batched
answer or webhook body holding it would lose every other message of the batch (a consume hands
each item out once; a webhook's retries get the same refusal). Only after the strict read
failed for that reason, each of them is read as U+FFFD (the replacement character) and the
document read again, strictly; the count is returned and logged, so the change is never
silent. And integers past 64 bits, which orjson reads as floats (two different 20-digit
message IDs would become one): :func:`loads_infobip_digits` reads a document holding such a
number with the standard library, which keeps every digit (the event checks then refuse an
integer past 64 bits where one is declared), and reads a number past a double's range
(``1e400``: JSON's grammar allows it, strict JSON refuses it) as its literal text, logged, so
that it is kept as given rather than lose the batch. Every answer keeps every digit
(:func:`loads_answer`), but a send's is read by orjson alone (:func:`loads_send_answer`) and
read again with digits only when its output check or its accounting meets a number orjson
may have misread (``digits.py``).
"""

from __future__ import annotations

import json
import math
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import orjson

from .gcpause import paused_gc
from .redaction import get_logger

#: Deepest nesting accepted: orjson's own limit, far beyond any real input or answer.
MAX_DEPTH = 1024
#: Documents this long or longer are parsed with the cycle collector held back; a shorter
#: one makes too few objects for a collection to matter, and the pause would cost more.
PAUSE_FROM = 64 * 1024


class JsonError(ValueError):
    """The data is not strict JSON (or nests deeper than :data:`MAX_DEPTH`)."""


def encodes_as_utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8: False when it holds a lone UTF-16 surrogate,
    which no JSON writer, HTTP body or Infobip field can carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """The JSON value in ``data`` (UTF-8 bytes or text); raises :class:`JsonError` otherwise."""
    try:
        if len(data) < PAUSE_FROM:
            return orjson.loads(data)
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


log = get_logger("infobip_connector.safejson")

#: An escaped backslash (kept), a surrogate pair (kept) or a lone surrogate escape (replaced).
_ESCAPES = re.compile(
    rb"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
)
#: What orjson says about the two faults repaired here.
_REPAIRABLE = ("surrogate", "not valid UTF-8")
#: A number token of 19 digits or more: it may not fit in 64 bits.
_LONG_NUMBER = re.compile(rb"[:\[,]\s*-?[0-9]{19}")
#: What orjson says of a number literal past the range of a double (``1e400``).
_OUT_OF_RANGE = "infinity when parsed as double"
#: An exponent of -100 or below after a digit (``1e-400``). A number too small for a double
#: (below 1e-323) has one, or 100 zeros after its point, since the two add up to 323 or
#: more. The pattern starts with its one literal, ``-``, so that the engine skips from one
#: ``-`` to the next: 6 ms over a 17 MB answer, against 13 ms for each plain byte search
#: of ``e-`` and ``E-`` (common in text: a UUID's ``3e6e-4d1f``).
_LOW_EXPONENT = re.compile(rb"-(?<=[0-9][eE]-)0*[1-9][0-9]{2}")
_ZEROS = b"0" * 100
#: A digit that makes a number's mantissa not zero.
_NONZERO = re.compile(r"[1-9]")
#: One read at a time with the recursion limit raised (the limit is the interpreter's).
_DEEPER = threading.Lock()


def loads_infobip(
    data: bytes, what: str = "Infobip's answer", *, warn: bool = True
) -> tuple[Any, int]:
    """``(value, replaced)``: the JSON in ``data`` and how many undecodable characters were
    read as U+FFFD (0 for a clean document). Raises ``JsonError`` for anything else
    strict JSON refuses. ``what`` names the document in the warning logged for replacements
    (``warn=False``: none, for a document read again after a read that warned).
    """
    try:
        return loads(data), 0
    except JsonError as exc:
        if not any(reason in str(exc) for reason in _REPAIRABLE):
            raise
    repaired, replaced = repair(data)
    value = loads(repaired)
    if warn:
        _warn(replaced, what)
    return value, replaced


def loads_infobip_digits(
    data: bytes,
    what: str = "Infobip's body",
    *,
    warn: bool = True,
    warn_ranged: bool | None = None,
) -> tuple[Any, int]:
    """:func:`loads_infobip`, but integers of any size keep every digit (as Python ints), and
    a number literal past the range of a double (``1e400``) is kept as its literal text.

    The second: RFC 8259's grammar admits such a number, and refusing the document would
    lose every item of a consumed batch for one field; the text keeps it as given (the output
    rule and a trigger's item check then treat it as any value not of the declared type) and
    a WARNING names the document (never the value). So is a literal too small for a double
    (``1e-400``), which would read as 0. ``NaN``/``Infinity`` stay refused: they are not JSON
    at all. The count returned is of replaced characters, as for :func:`loads_infobip`;
    ``warn`` as there; ``warn_ranged``: whether the numbers kept as text are told (by
    default as ``warn``; a send's answer read again for its digits tells them alone, its
    first read having told what it replaced: ``transport/exchange.py``).

    The standard library's reader counts nesting against the interpreter's recursion limit
    from the depth of its caller; a document orjson accepts (:data:`MAX_DEPTH` levels) that
    it cannot read there is read again with room for :data:`MAX_DEPTH` more levels, so no
    depth orjson takes costs a digit.
    """
    depth_checked = True
    try:
        value, replaced = loads_infobip(data, what, warn=warn)
    except JsonError as exc:
        if _OUT_OF_RANGE not in str(exc):
            raise
        depth_checked = False  # orjson stopped at the number
        # orjson stopped at the number: any other repair is made (and told) here.
        clean, replaced = repair(data)
        if warn:
            _warn(replaced, what)
    else:
        if not _LONG_NUMBER.search(data) and not _may_underflow(data):
            return value, replaced
        del value
        clean = repair(data)[0] if replaced else data
    ranged: list[str] = []
    try:
        value = _read_keeping_digits(clean.decode("utf-8"), ranged, depth_checked)
    except RecursionError:
        raise JsonError(f"is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError:
        # Refused for another reason too (syntax): as strict JSON tells it.
        value = loads(clean)
    if ranged and (warn if warn_ranged is None else warn_ranged):
        log.warning(
            "%s held %d number(s) outside the range of a double; each was kept as its literal text",
            what,
            len(ranged),
        )
    return value, replaced


def loads_answer(
    data: bytes, *, warn: bool = True, warn_ranged: bool | None = None
) -> tuple[Any, int]:
    """Infobip's answer ``data`` as :func:`loads_infobip_digits` reads it: every answer but a
    send's, and a send's read again for its digits. ``warn`` and ``warn_ranged`` as there."""
    return loads_infobip_digits(data, "Infobip's answer", warn=warn, warn_ranged=warn_ranged)


def loads_send_answer(data: bytes) -> tuple[Any, bool]:
    """``(value, exact)``: a send's answer read by orjson alone (:func:`loads_infobip`, the hot
    path of a send), and whether that read kept every digit; where orjson stops at a number
    past a double's range (``1e400``), the answer is read as :func:`loads_answer` reads it,
    and is exact.

    orjson reads a whole number past 64 bits as a float, and a number too small for a
    double (``1e-400``) as 0.0: the caller checks its output and reads the answer again with
    digits where it meets a float that may be one of those (``digits.py``), rather than every
    answer being searched for them. Only an answer orjson read alone may need that.
    """
    try:
        return loads_infobip(data)[0], False
    except JsonError as exc:
        if _OUT_OF_RANGE not in str(exc):
            raise
    return loads_answer(data)[0], True


def repair(data: bytes) -> tuple[bytes, int]:
    """``data`` with each lone surrogate escape and each non-UTF-8 byte sequence as U+FFFD,
    and the number of replacements."""
    count = 0

    def escape(match: re.Match[bytes]) -> bytes:
        nonlocal count
        found = match.group()
        if len(found) != 6:  # an escaped backslash or a whole pair
            return found
        count += 1
        return b"\\ufffd"

    text = data.decode("utf-8", "replace")
    count += text.count("\ufffd") - data.count("\ufffd".encode())
    return _ESCAPES.sub(escape, text.encode("utf-8")), count


def _warn(replaced: int, what: str) -> None:
    if replaced:
        log.warning(
            "%s held %d character(s) that are not Unicode text (a lone UTF-16 surrogate or "
            "bytes that are not UTF-8); each was read as U+FFFD",
            what,
            replaced,
        )


def _integer(digits: str) -> int | str:
    # int() refuses more than 4,300 digits; such a number keeps its digits as text.
    return int(digits) if len(digits) <= 4000 else digits


def _in_range(ranged: list[str], literal: str) -> float | str:
    # A literal a double cannot hold is kept as its text (and counted), never infinity, nor 0
    # for a number that is not 0.
    number = float(literal)
    if math.isfinite(number) and (number or not _NONZERO.search(literal.lower().partition("e")[0])):
        return number
    ranged.append(literal)
    return literal


def _may_underflow(data: bytes) -> bool:
    """Whether ``data`` may hold a number literal too small for a double (``1e-400``)."""
    # ``find``, not ``in``: see masking._PERCENT_BYTE.
    return data.find(_ZEROS) != -1 or _LOW_EXPONENT.search(data) is not None


def _read_keeping_digits(text: str, ranged: list[str], depth_checked: bool) -> Any:
    """``text`` read by the standard library keeping every digit, at any depth orjson takes
    (``depth_checked``: orjson read the whole document). Raises ValueError as ``json.loads``
    does, and RecursionError for a document deeper than :data:`MAX_DEPTH`."""
    read = partial(
        json.loads,
        text,
        parse_constant=_no_constant,
        parse_int=_integer,
        parse_float=partial(_in_range, ranged),
    )
    try:
        value = read()
    except RecursionError:
        pass
    else:
        if depth_checked or not nested_deeper_than(value, MAX_DEPTH):
            return value
        raise RecursionError("nested deeper than MAX_DEPTH")
    # The document is no deeper than MAX_DEPTH (orjson took it, or refuses it next): the
    # limit is raised by that much for this read alone.
    with deeper_calls(MAX_DEPTH + 64):
        ranged.clear()
        value = read()
    if not depth_checked and nested_deeper_than(value, MAX_DEPTH):
        raise RecursionError("nested deeper than MAX_DEPTH")
    return value


@contextmanager
def deeper_calls(extra: int) -> Iterator[None]:
    """Python's limit of nested calls raised by ``extra`` for the block, for a walk of the
    standard library that takes a call per level of nesting; one such block at a time."""
    with _DEEPER:
        limit = sys.getrecursionlimit()
        raised = limit + extra
        sys.setrecursionlimit(raised)
        try:
            yield
        finally:
            # A limit another thread set meanwhile is the caller's own: it stays.
            if sys.getrecursionlimit() == raised:
                sys.setrecursionlimit(limit)


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` (read JSON) nests lists and objects more than ``limit`` levels deep
    (``[[]]`` is two). A walk with its own stack, so no depth of data can exhaust the
    interpreter's."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
