"""Where a value holds what a JSON writer refuses: the one walk for every place that asks.

A fast path (the input pruning of ``runtime.values``, orjson encoding a request body in
``transport.requestbody``) only learns *that* a value cannot be written; this walk, run
after such a refusal only, finds *where*: the first part in document order that breaks the
given :class:`Limits`, as a path (``messages[0].destinations[2].to``, under a root such as
``body``) and the kind of problem. Each caller words the kinds its own way, as its error
says what its place expects.

The kinds: ``surrogate`` (text with a lone UTF-16 surrogate, which no UTF-8 writer takes),
``integer`` (outside the limits' range), ``float`` (NaN or Infinity, where refused),
``depth`` (a container nested deeper than allowed), ``key`` (an object key that is not text;
the path is the object's), ``name`` (a key with a lone surrogate; the path is the key's, the
surrogate written as its escape ``\udc00``, so the path itself can be printed) and ``type``
(a value that is no JSON type: a set, a datetime).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from .errors import format_path, printable_name
from .safejson import encodes_as_utf8

__all__ = ["Kind", "Limits", "Parts", "Refused", "locate", "printable_name"]

Kind = Literal["surrogate", "integer", "float", "depth", "key", "name", "type"]
Parts = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """What a walk refuses beyond values of no JSON type, lone surrogates and keys that are
    not text: integers outside ``integers`` (inclusive bounds), non-finite floats unless
    ``non_finite`` is allowed, containers deeper than ``max_depth`` (the root is level 0;
    None: any depth). ``root`` starts every path (``""``: paths start at the first key)."""

    integers: tuple[int, int]
    non_finite: bool = False
    max_depth: int | None = None
    root: str = ""


@dataclass(frozen=True)
class Refused:
    """The first part refused: its ``path``, the ``kind`` of problem and the ``value`` at
    fault (the key itself for ``key`` and ``name``, the value otherwise); ``parts`` is the
    path as keys and indexes below the root (the key as given)."""

    path: str
    kind: Kind
    value: Any
    parts: Parts = ()


def locate(value: Any, limits: Limits) -> Refused | None:
    """The first part of ``value`` in document order that ``limits`` refuse, or None.

    Iterative (a stack, not recursion), so a value nested deeper than Python's recursion
    limit is walked too. Each object's keys are checked before its members' values.
    """
    low, high = limits.integers
    stack: list[tuple[Any, Parts, int]] = [(value, (), 0)]

    def refused(parts: Parts, kind: Kind, item: Any) -> Refused:
        return Refused(format_path(parts, limits.root, any_index=None), kind, item, parts)

    while stack:
        item, parts, depth = stack.pop()
        if item is None or isinstance(item, bool):
            continue
        if isinstance(item, str):
            if not encodes_as_utf8(item):
                return refused(parts, "surrogate", item)
        elif isinstance(item, int):
            if not low <= item <= high:
                return refused(parts, "integer", item)
        elif isinstance(item, float):
            if not limits.non_finite and not math.isfinite(item):
                return refused(parts, "float", item)
        elif isinstance(item, dict | list | tuple):
            if limits.max_depth is not None and depth >= limits.max_depth:
                return refused(parts, "depth", item)
            members: list[tuple[Any, Parts]]
            if isinstance(item, dict):
                for key in item:
                    if not isinstance(key, str):
                        return refused(parts, "key", key)
                    if not encodes_as_utf8(key):
                        return refused((*parts, key), "name", key)
                members = [(v, (*parts, k)) for k, v in item.items()]
            else:
                members = [(v, (*parts, n)) for n, v in enumerate(item)]
            # Reversed onto the stack, so the first refused part in order is found first.
            stack.extend((member, where, depth + 1) for member, where in reversed(members))
        else:
            return refused(parts, "type", item)
    return None
