"""The fields of a list of answer entries, read a column at a time and once.

A 100,000-entry answer is read field by field, by ``map`` over ``dict.get`` (in C), rather
than entry by entry in Python. The accounting (accounting.py) and the warning about
rejected messages (action_runtime.py) ask for the same fields (``status`` and its
``groupId``): each is read once, for both.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

_get = dict.get


class Columns:
    """The entries of one list, with each field asked for read once into a list.

    ``of("status", "groupId")`` is the ``groupId`` of each entry's ``status``, ``None``
    where absent, in the entries' order. It raises TypeError when an entry (or, for a
    path, a value on the way) is not a dict: callers then read entry by entry. A dict of
    another type is read as a dict.
    """

    __slots__ = ("_dicts", "_read", "entries")

    def __init__(self, entries: list[Any]) -> None:
        self.entries = entries
        self._read: dict[tuple[str, ...], list[Any]] = {}
        self._dicts: dict[tuple[str, ...], bool] = {}

    def of(self, *path: str) -> list[Any]:
        column = self._read.get(path)
        if column is None:
            holders = self.of(*path[:-1]) if len(path) > 1 else self.entries
            column = list(map(_get, holders, repeat(path[-1])))
            self._read[path] = column
        return column

    def dicts(self, *path: str) -> bool:
        """Whether every value at ``path`` (the entries themselves for none) is a plain
        ``dict``, not of another type: what the entry-by-entry tests ask of each."""
        known = self._dicts.get(path)
        if known is None:
            values = self.of(*path) if path else self.entries
            known = self._dicts[path] = set(map(type, values)) == {dict}
        return known
