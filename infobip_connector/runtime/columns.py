"""The fields of a list of answer entries, read a column at a time and once.

A 100,000-entry answer is read field by field, by ``map`` over ``dict.get`` (in C), rather
than entry by entry in Python. The accounting (accounting.py) and the warning about
rejected messages (action_runtime.py) ask for the same fields (``status`` and its
``groupId``): each is read once, for both.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

from ..definition.model import Property

_get = dict.get


class Columns:
    """The entries of one list, with each field asked for read once into a list.

    ``of("status", "groupId")`` is the ``groupId`` of each entry's ``status``, ``None``
    where absent, in the entries' order. It raises TypeError when an entry (or, for a
    path, a value on the way) is not a dict: callers then read entry by entry. A dict of
    another type is read as a dict.

    ``fields``: when known, every name an entry may hold (the entries were fitted to a
    declared object, which allows no other member): the column of any other name is all
    None without a read.
    """

    __slots__ = ("_dicts", "_read", "entries", "fields")

    def __init__(self, entries: list[Any], fields: frozenset[str] | None = None) -> None:
        self.entries = entries
        self.fields = fields
        self._read: dict[tuple[str, ...], list[Any]] = {}
        self._dicts: dict[tuple[str, ...], bool] = {}

    def of(self, *path: str) -> list[Any]:
        column = self._read.get(path)
        if column is None:
            if len(path) > 1:
                column = _read(self.of(*path[:-1]), path[-1])
            elif self.fields is not None and path[0] not in self.fields:
                column = [None] * len(self.entries)
            else:
                column = _read(self.entries, path[0])
            self._read[path] = column
        return column

    def keep(self, path: tuple[str, ...], column: list[Any]) -> None:
        """Take ``column`` as the column at ``path``: read as ``of`` reads it, by the
        caller (a block of entries at a time), one value per entry."""
        if len(column) != len(self.entries):
            raise ValueError(f"a column of {len(column)} values for {len(self.entries)} entries")
        self._read[path] = column

    def dicts(self, *path: str) -> bool:
        """Whether every value at ``path`` (the entries themselves for none) is a plain
        ``dict``, not of another type: what the entry-by-entry tests ask of each."""
        known = self._dicts.get(path)
        if known is None:
            values = self.of(*path) if path else self.entries
            # Counted in a list, not gathered in a set: no hashing of a type per value.
            known = bool(values) and list(map(type, values)).count(dict) == len(values)
            self._dicts[path] = known
        return known


def _read(values: list[Any], name: str) -> list[Any]:
    """``dict.get(value, name)`` of each of ``values``; TypeError if one is no dict.

    Looked up with the first value's own key object when it has one equal to ``name``: a
    JSON parser gives every object of one document the same key objects, and a key that
    is the very object stored is found without comparing its characters.
    """
    first = values[0] if values else None
    if type(first) is dict and name in first:
        name = next(key for key in first if type(key) is str and key == name)
    return list(map(_get, values, repeat(name)))


def declared_fields(prop: Property | None) -> frozenset[str] | None:
    """The member names an object fitted to ``prop`` may hold, or None when any may be
    there (not a declared object, or one with free members)."""
    if prop is None or prop.type != "OBJECT" or prop.open_shape:
        return None
    return frozenset(child.name for child in prop.properties or [] if child.name)
