"""Problems found in an input, gathered from every pass and reported in reading order.

A problem is ``(parts, message)``: the path as a tuple (``("messages", 0, "text")``) and
what is wrong, or a function that says it (explaining costs time, and only the first
``MAX_LISTED_ERRORS`` are shown). The schema pass and the rule pass report into one list;
places the schema found wrong are *tainted*, and the rules skip them, so one problem gets
one message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from ..definition.model import format_path
from ..errors import MAX_LISTED_ERRORS, InputError
from ..redaction import snippet

Parts = tuple[str | int, ...]
Problem = tuple[Parts, "str | Callable[[], str]"]


def taint(problems: Iterable[Problem]) -> frozenset[Parts]:
    """Every place at or above a problem: the rules of those places are not run."""
    places: set[Parts] = set()
    for parts, _ in problems:
        for end in range(len(parts), -1, -1):
            prefix = parts[:end]
            if prefix in places:
                break
            places.add(prefix)
    return frozenset(places)


class Covering(str):
    """A message refusing a member as a whole for what another member decides (it does not
    belong to a header of that type; ``callbackData`` is a list where the payment's type
    takes an object): told at its place instead of the schema's problem there, and the
    problems inside the member are moot, so they are not listed."""

    __slots__ = ()


def input_error(problems: list[Problem], document: Any) -> InputError:
    """One InputError listing ``problems`` as they appear in ``document``, first ones first
    (but for a Covering message, which wins its place and the places inside it).

    Object members are ordered as the person wrote them (members that are missing come
    after the ones given, by name), list items by index: ``[5]`` before ``[500]``.
    """
    first: dict[Parts, str | Callable[[], str]] = {}
    covered: list[Parts] = []
    for parts, message in problems:
        if type(message) is Covering:
            covered.append(parts)
            if type(first.get(parts)) is not Covering:
                first[parts] = message
        else:
            first.setdefault(parts, message)
    if covered:
        first = {
            parts: message
            for parts, message in first.items()
            if not any(len(parts) > len(c) and parts[: len(c)] == c for c in covered)
        }
    positions: dict[int, dict[str, int]] = {}
    ordered = sorted(first, key=lambda parts: _reading_key(parts, document, positions))
    listed = [
        {"path": format_path(parts), "message": str(said(first[parts]))}
        for parts in ordered[:MAX_LISTED_ERRORS]
    ]
    # InputError keeps the first MAX_LISTED_ERRORS and reports the total: the others are
    # counted with placeholders rather than explained.
    rest = [{"path": "", "message": ""}] * (len(ordered) - len(listed))
    return InputError(listed + rest)


def shown(value: Any) -> str:
    """``value`` as a refusal quotes it: JSON, masked, cut to 60 characters (masked before it
    is cut: a cut key would no longer be recognised)."""
    return snippet(json.dumps(value, ensure_ascii=False, default=str), 60)


def given(value: Any) -> str:
    """`` (got "2027-02-29T10:00")``: what a refusal ends with, after what is wrong and what
    is expected, so the value given is said once, the field being the error's path."""
    return f" (got {shown(value)})"


def said(message: str | Callable[[], str]) -> str:
    return message if isinstance(message, str) else message()


def _reading_key(
    parts: Parts, document: Any, positions: dict[int, dict[str, int]]
) -> list[tuple[int, str]]:
    key: list[tuple[int, str]] = []
    node = document
    for part in parts:
        if isinstance(part, int):
            key.append((part, ""))
            node = node[part] if isinstance(node, list | tuple) and 0 <= part < len(node) else None
        elif isinstance(node, dict):
            order = positions.get(id(node))
            if order is None:
                order = positions[id(node)] = {k: i for i, k in enumerate(node) if type(k) is str}
            key.append((order.get(part, len(order)), part))
            node = node.get(part)
        else:
            key.append((0, part))
            node = None
    return key
