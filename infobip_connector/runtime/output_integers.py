"""Whether an answer holds a float where the action's output declares a whole number.

JSON Schema counts ``2.0`` as an integer, so an answer holding one passes the output check
and would reach the output as the float ``2.0``, unwarned, while the same answer with any
other field off its declared type is fitted (``shaping.py``): ``2.0`` becomes ``2``, a float
past 2^53 is kept with a WARNING. One answer must not come out two ways: the runtime fits an
answer this finds a float in, as it fits one the output check refuses.

The places are read a column at a time (``map`` over ``dict.get``, in C), so a
100,000-message answer costs a few passes in C, and a small one a few lookups.
"""

from __future__ import annotations

from itertools import chain, repeat
from typing import Any

from ..definition.model import Property

_get = dict.get


class _Items:
    """The items of a list, with what below them holds whole numbers."""

    __slots__ = ("below",)

    def __init__(self, below: _Node) -> None:
        self.below = below


#: A declared whole number.
_LEAF = "INTEGER"

_Node = str | _Items | dict[str, Any]


def _node(prop: Property) -> _Node | None:
    """The places below ``prop`` that hold whole numbers, as ``shaping`` walks them: declared
    members and list items (None: no whole number below)."""
    if prop.type == "INTEGER":
        return _LEAF
    if prop.type == "ARRAY" and prop.items is not None:
        below = _node(prop.items)
        return None if below is None else _Items(below)
    if prop.type == "OBJECT":
        members = {}
        for child in prop.properties or []:
            sub = _node(child)
            if sub is not None and child.name is not None:
                members[child.name] = sub
        return members or None
    return None


class IntegerPlaces:
    """The whole-number places of one action's declared output (``prop``)."""

    __slots__ = ("_root",)

    def __init__(self, prop: Property) -> None:
        self._root = _node(prop)

    def hold_float(self, output: Any) -> bool:
        """Whether ``output`` (the executor's output, not yet fitted) has a float at one of
        them; values of other types there are the output check's to judge."""
        return self._root is not None and _float_in(output, self._root)


#: From this many items a list is read a column at a time.
_COLUMNS_FROM = 64


def _float_in(value: Any, node: _Node) -> bool:
    # One small answer: a few lookups, a call per object or list on the way.
    if type(node) is _Items:
        if type(value) is not list:
            return False
        below = node.below
        if len(value) >= _COLUMNS_FROM:
            return _floats(value, below)
        if type(below) is str:
            return list(map(type, value)).count(float) > 0
        return any(_float_in(item, below) for item in value)
    if type(value) is not dict:
        return False
    assert isinstance(node, dict)
    for name, below in node.items():
        found = value.get(name)
        if found is None:
            continue
        if type(below) is str:
            if type(found) is float:
                return True
        elif _float_in(found, below):
            return True
    return False


def _floats(values: list[Any], node: _Node) -> bool:
    # Many values at one place, a column at a time: a few passes in C.
    if type(node) is str:
        try:
            # Whole numbers add up in C to a whole number; one float makes the sum a float.
            return type(sum(values)) is float
        except (TypeError, OverflowError):  # None, text, a number past a double's range
            return list(map(type, values)).count(float) > 0
    if type(node) is _Items:
        if list(map(type, values)).count(list) != len(values):
            values = [value for value in values if type(value) is list]
        return _floats(list(chain.from_iterable(values)), node.below)
    assert isinstance(node, dict)
    if list(map(type, values)).count(dict) != len(values):
        values = [value for value in values if type(value) is dict]
    return any(
        _floats(list(map(_get, values, repeat(name))), below) for name, below in node.items()
    )
