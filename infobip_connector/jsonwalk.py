"""A copy of JSON-like data with each leaf changed, walked without recursion.

Infobip's answers may nest up to 1,024 levels (``safejson``'s limit), past what Python's
call stack holds for a recursive copy: every walk that rebuilds an answer's data (masking a
key it echoes, writing a refused item) goes through here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Deeper than any JSON document the package reads (1,024 levels); only data that contains
#: itself goes on: refused as a call stack would refuse it.
MAX_DEPTH = 100_000


def map_leaves(
    value: Any, change: Callable[[Any], Any], key: Callable[[Any], Any] | None = None
) -> Any:
    """``value`` with every value that is not a dict or a list replaced by ``change(it)``.

    Dicts (of any dict type) come out as plain dicts with the same member order, their
    names passed through ``key`` when given; lists (of any list type) as plain lists. Depth
    costs no call stack. ``value`` itself is not changed. Raises RecursionError for data
    nested deeper than ``MAX_DEPTH``, which only data that contains itself is.
    """
    pending: list[tuple[Any, Any, int]] = []

    def one(item: Any, depth: int) -> Any:
        if isinstance(item, dict):
            copied: Any = {}
        elif isinstance(item, list):
            copied = []
        else:
            return change(item)
        if depth > MAX_DEPTH:
            raise RecursionError(f"data nested deeper than {MAX_DEPTH:,} levels")
        pending.append((item, copied, depth))
        return copied

    result = one(value, 1)
    while pending:
        source, target, depth = pending.pop()
        below = depth + 1
        if isinstance(source, dict):
            if key is None:
                for name, item in source.items():
                    target[name] = one(item, below)
            else:
                for name, item in source.items():
                    target[key(name)] = one(item, below)
        else:
            target.extend(one(item, below) for item in source)
    return result
