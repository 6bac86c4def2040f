"""Whole numbers written as floats (``5.0``, ``-0.0``) go to Infobip as integers.

JSON Schema (Draft 2020-12) counts ``5.0`` as an integer, so an ``INTEGER`` property (or a
``NUMBER`` one declared ``maxNumberPrecision: 0``) accepts it; Python engines, YAML and
expression results produce such values routinely. Infobip's Java parser refuses them
(``limit=5.0`` in a query, ``"amount": 10.0`` in a body: "must be an integer"), so every such
value is turned into an ``int`` here, once for every action and every place (body, query or
path), after the schema has refused the non-integral ones (``5.5``) at their path.
"""

from __future__ import annotations

from typing import Any

from ..definition.model import Property

# Infobip's whole numbers are Java ints and longs; a float beyond them (1e300) stays a float
# and the schema's bounds refuse it as given, rather than show a 301-digit integer.
_LONG = 2.0**63


class _Plan:
    """The places below one property that hold whole numbers, keyed like its values."""

    __slots__ = ("every", "items", "leaf", "members")

    def __init__(self, leaf: bool = False) -> None:
        self.leaf = leaf
        self.members: dict[str, _Plan] = {}
        self.items: _Plan | None = None
        # Every member of an object with free members whose ``values`` are whole numbers.
        self.every: _Plan | None = None


def is_whole_number(prop: Property) -> bool:
    """Whether ``prop`` takes only whole numbers: ``INTEGER``, or a ``NUMBER`` without decimals."""
    return prop.type == "INTEGER" or (prop.type == "NUMBER" and prop.maxNumberPrecision == 0)


def _plan(prop: Property) -> _Plan | None:
    """The plan for ``prop``, or None when nothing below it is a whole number."""
    if is_whole_number(prop):
        return _Plan(leaf=True)
    plan = _Plan()
    for child in prop.properties or []:
        sub = _plan(child)
        if sub is not None and child.name is not None:
            plan.members[child.name] = sub
    if prop.items is not None:
        plan.items = _plan(prop.items)
    if prop.values is not None:
        plan.every = _plan(prop.values)
    for form in prop.forms or []:
        # A ONE_OF's list form plans its items, its object form its members: _fix tells
        # them apart by the value's type, as the forms are.
        if form.items is not None:
            plan.items = _plan(form.items)
        if form.values is not None:
            plan.every = _plan(form.values)
    return plan if plan.members or plan.items is not None or plan.every is not None else None


class WholeNumbers:
    """The whole-number places of one action's inputs (built once per action)."""

    def __init__(self, root: Property) -> None:
        self._plan = _plan(root)

    def normalise(self, values: dict[str, Any]) -> None:
        """Turn every integral float at a whole-number place of ``values`` into an int, in place.

        ``values`` must be schema-valid and the caller's own copy (``values.prune`` copies);
        anything else at those places is left as it is.
        """
        if self._plan is not None:
            _fix(values, self._plan)


def _fix(value: Any, plan: _Plan) -> Any:
    if plan.leaf:
        if type(value) is float and value.is_integer() and -_LONG <= value < _LONG:
            return int(value)
        return value
    if type(value) is dict and plan.every is not None:
        every = plan.every
        for name, member in value.items():
            value[name] = _fix(member, every)
    elif type(value) is dict:
        for name, sub in plan.members.items():
            if name in value:
                value[name] = _fix(value[name], sub)
    elif type(value) is list and plan.items is not None:
        items = plan.items
        for index, item in enumerate(value):
            value[index] = _fix(item, items)
    return value
