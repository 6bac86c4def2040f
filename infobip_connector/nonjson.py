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
the path is the object's) and ``type`` (a value that is no JSON type: a set, a datetime).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from .safejson import encodes_as_utf8

Kind = Literal["surrogate", "integer", "float", "depth", "key", "type"]


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
    fault (the key itself for ``key``, the value otherwise)."""

    path: str
    kind: Kind
    value: Any


def locate(value: Any, limits: Limits) -> Refused | None:
    """The first part of ``value`` in document order that ``limits`` refuse, or None.

    Iterative (a stack, not recursion), so a value nested deeper than Python's recursion
    limit is walked too. Each object's keys are checked before its members' values.
    """
    low, high = limits.integers
    stack: list[tuple[Any, str, int]] = [(value, limits.root, 0)]
    while stack:
        item, path, depth = stack.pop()
        if item is None or isinstance(item, bool):
            continue
        if isinstance(item, str):
            if not encodes_as_utf8(item):
                return Refused(path, "surrogate", item)
        elif isinstance(item, int):
            if not low <= item <= high:
                return Refused(path, "integer", item)
        elif isinstance(item, float):
            if not limits.non_finite and not math.isfinite(item):
                return Refused(path, "float", item)
        elif isinstance(item, dict | list | tuple):
            if limits.max_depth is not None and depth >= limits.max_depth:
                return Refused(path, "depth", item)
            if isinstance(item, dict):
                for key in item:
                    if not isinstance(key, str):
                        return Refused(path, "key", key)
                members = [(v, f"{path}.{k}" if path else k) for k, v in item.items()]
            else:
                members = [(v, f"{path}[{n}]") for n, v in enumerate(item)]
            # Reversed onto the stack, so the first refused part in order is found first.
            stack.extend((member, where, depth + 1) for member, where in reversed(members))
        else:
            return Refused(path, "type", item)
    return None
