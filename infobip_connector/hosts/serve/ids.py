"""Request ids that are numbers, answered with exactly the number the client wrote.

JSON-RPC 2.0 wants an answer's ``id`` to be the same value as its request's. The line
parser (orjson) reads an integer past 64 bits as a float, and a number written with a
fraction or an exponent (``2.50``, ``1E2``) as the nearest float: two distinct ids would
come back as one rounded float, and ``-0`` as ``0``. The specification only says ids
SHOULD NOT have fractional parts, so they are not refused; the id keeps its spelling from
the line instead
(:class:`NumberId`) and the answer carries that spelling (:func:`encode_answer`).

Only a line whose id was read as a float (or as a zero, on a line with a minus sign) is
scanned a second time, and only its top-level
members: nested values are skipped by a loop (no recursion, so the deepest params orjson
accepts are fine) whose strings are read by the json module's C ``scanstring``.
"""

from __future__ import annotations

import re

# The json module's string reader (C): public in json.decoder, though typeshed omits it.
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from .. import jsonout

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# A JSON number, as RFC 8259 writes it.
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
# The next character that opens or closes a string or a container.
_STRUCTURAL = re.compile(r'["\[\]{}]')
# A scalar other than a string: a number, true, false or null.
_SCALAR = re.compile(r"[^\s,\]}]+")
_MINUS = ord("-")
_HEAD = b'{"jsonrpc":"2.0","id":null'


class NumberId:
    """A numeric request id orjson cannot hold exactly, kept as written (``text``); also a
    string id holding half of a UTF-16 pair, as its JSON escape (UTF-8 cannot carry it)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NumberId) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def keep_spelling(raw: bytes, document: Any) -> None:
    """Replace each float ``id`` in ``document`` (a request object or a batch of them) by
        its spelling; ``raw`` is the line it was parsed from, JSON by the grammar (a number past
    a double's range is read as infinity, and so respelled, ``lenient.py``)."""
    if type(document) is dict:  # the usual line, one request: is its id a plain one?
        request_id = document.get("id")
        if type(request_id) is not float and (type(request_id) is not int or request_id != 0):
            return
    batch = isinstance(document, list)
    items = document if batch else [document]
    negative = _MINUS in raw  # an int: ``b"-" in`` raises and clears a TypeError inside
    if not any(isinstance(item, dict) and _respelled(item.get("id"), negative) for item in items):
        return
    text = raw.decode("utf-8")
    for item, span in zip(items, _id_spans(text, batch=batch), strict=True):
        if isinstance(item, dict) and _respelled(item.get("id"), negative) and span is not None:
            item["id"] = NumberId(text[span[0] : span[1]])


def _respelled(request_id: Any, negative: bool) -> bool:
    """Whether an id read as ``request_id`` may differ from its spelling: a float, or a
    zero when the line has a minus sign (``-0`` is read as ``0``)."""
    return type(request_id) is float or (negative and type(request_id) is int and request_id == 0)


def encode_answer(answer: dict[str, Any]) -> bytes:
    """One answer as a compact JSON line, a :class:`NumberId` written as it was given.

    Answers are built ``{"jsonrpc", "id", ...}`` in that order, so the encoded answer with
    a null id starts with :data:`_HEAD` and the spelling goes in its place. Raises what
    ``jsonout.encode`` raises for data that is not JSON.
    """
    request_id = answer.get("id")
    if not isinstance(request_id, NumberId):
        return jsonout.encode(answer, pretty=False)
    data = jsonout.encode({**answer, "id": None}, pretty=False)
    if not data.startswith(_HEAD):  # pragma: no cover - answers are built in this order
        raise ValueError("an answer must start with jsonrpc and id")
    return _HEAD[:-4] + request_id.text.encode("ascii") + data[len(_HEAD) :]


Span = tuple[int, int]


def _id_spans(text: str, *, batch: bool) -> list[Span | None]:
    """Where each request's numeric id is written (None: not a number, or no id)."""
    pos = _skip_space(text, 0)
    if not batch:
        return [_id_of(text, pos)[0] if text[pos] == "{" else None]
    found: list[Span | None] = []
    pos = _skip_space(text, pos + 1)  # past "["
    while text[pos] != "]":
        if text[pos] == "{":
            span, pos = _id_of(text, pos)
        else:
            span, pos = None, _skip_value(text, pos)
        found.append(span)
        pos = _skip_space(text, pos)
        if text[pos] == ",":
            pos = _skip_space(text, pos + 1)
    return found


def _id_of(text: str, pos: int) -> tuple[Span | None, int]:
    """Where the numeric ``id`` of the object at ``pos`` is written, and the object's end.

    A repeated ``id`` counts as the parser counts it: the last one wins.
    """
    span: Span | None = None
    pos = _skip_space(text, pos + 1)  # past "{"
    while text[pos] != "}":
        key, pos = scanstring(text, pos + 1)
        pos = _skip_space(text, _skip_space(text, pos) + 1)  # past ":"
        if key == "id":
            number = _NUMBER.match(text, pos)
            span = number.span() if number else None
        pos = _skip_space(text, _skip_value(text, pos))
        if text[pos] == ",":
            pos = _skip_space(text, pos + 1)
    return span, pos + 1


def _skip_value(text: str, pos: int) -> int:
    """The end of the JSON value starting at ``pos``, without recursing into it."""
    if text[pos] == '"':
        return int(scanstring(text, pos + 1)[1])
    if text[pos] not in "[{":
        scalar = _SCALAR.match(text, pos)
        return scalar.end() if scalar else pos
    depth = 0
    while True:
        char = text[pos]
        if char == '"':
            pos = scanstring(text, pos + 1)[1]
        else:
            depth += 1 if char in "[{" else -1
            pos += 1
            if depth == 0:
                return pos
        found = _STRUCTURAL.search(text, pos)
        if found is None:  # pragma: no cover - the line was read as JSON before
            return len(text)
        pos = found.start()


def _skip_space(text: str, pos: int) -> int:
    found = _WHITESPACE.match(text, pos)
    return found.end() if found else pos
