"""The pruning of a small input with nothing to prune, without the walk (``values.py``).

The walk's cost for a single message is in setting up each object and list: a budget of
values and characters, the path for a bulk's recipients, the flags. Nearly every single
message holds only non-empty texts, whole numbers, booleans and non-empty objects and lists
of them; such an input is copied here to what the walk gives, and anything else is left to
the walk at its first value that is not so. ``tests/test_plain_copy.py`` holds the two to the
same result.
"""

from __future__ import annotations

from typing import Any

from ..safejson import encodes_as_utf8
from .check_plan import Plan
from .input_limits import INTEGER_BOUND, MAX_TEXT_CHARS, PAUSE_FROM

#: An input of fewer values than this, all of them plain (``plain_copy``), is copied
#: without the walk (and, as it is under PAUSE_FROM, without pausing the collector).
PLAIN_UNDER = PAUSE_FROM
# Below MAX_DEPTH; deeper inputs (a Razorpay order's callbackData at 9) take the walk.
_PLAIN_DEPTH = 8
# No text can take the input past MAX_TEXT_CHARS: PLAIN_UNDER values of this length at most.
_PLAIN_CHARS = MAX_TEXT_CHARS // PLAIN_UNDER
_NO_PLANS: dict[str, Plan] = {}


class _NotPlain(Exception):
    """Raised mid-copy: the input is left to the pruning walk."""


def plain_copy(
    value: Any, plan: Plan | None = None, found: Found | None = None
) -> tuple[dict[str, Any], int] | None:
    """The pruning of a small input with nothing to prune, and its size; None for any other.

    A single message's input nearly always holds only non-empty texts, whole numbers,
    booleans, and non-empty objects and lists of them: such an input, of fewer than
    ``PLAIN_UNDER`` values, is copied as the walk would copy it (nothing dropped, emptied,
    shared or refused) at a fraction of its cost, which is in setting up each object and
    list. Anything else (an empty or ``None`` value, a float, another type, a key or text
    that is not UTF-8, more values, deeper nesting) is left to the walk, which tells it.

    With ``plan`` (the action's ``check_plan.plan_of``) and ``found``, the copy also notes in
    ``found`` each place of the copy the checks visit and each member they fill when not
    given, as ``plain_checks`` runs them: the checks' own walk is not needed then.
    """
    if type(value) is not dict or not value:
        return None
    try:
        if found is None:
            # A plan's notes go nowhere shared: with no Found given, into one thrown away.
            found = _UNNOTED if plan is None else Found()
        return _plain(value, 0, 1, plan, found)
    except _NotPlain:
        return None


class Found:
    """What the checks have to do in a plain copy (``plain_copy`` with a plan).

    ``places``: (plan, container, key, value) of each given value the checks visit (its
    plan has a property: a format, a limit, an ID, rules), in no particular order;
    ``missing``: (object, member name, plan) of each member the checks fill when not given
    (an ID, a ``sentWhenEmpty`` value), in the order the checks' walk lists them.
    """

    __slots__ = ("missing", "places")

    def __init__(self) -> None:
        self.places: list[tuple[Plan, Any, Any, Any]] = []
        self.missing: list[tuple[dict[str, Any], str, Plan]] = []


# Where a copy without a plan notes nothing (it has no plan to say what): never written.
_UNNOTED = Found()


def _plain(value: Any, depth: int, count: int, plan: Plan | None, found: Found) -> tuple[Any, int]:
    """``plain_copy`` of a non-empty dict or list ``value`` at ``depth``, with ``count``
    the values counted so far (``value`` included): the copy and the new count. ``plan``:
    the checks below ``value``, whose work is noted in ``found``."""
    count += len(value)
    if count >= PLAIN_UNDER or depth > _PLAIN_DEPTH:
        raise _NotPlain
    if type(value) is list:
        star = plan.star if plan is not None else None
        items = []
        for item in value:
            item, count = _plain_value(item, depth, count, star, found)
            items.append(item)
        if star is not None and star.prop is not None:
            found.places.extend((star, items, index, item) for index, item in enumerate(items))
        return items, count
    keys = plan.keys if plan is not None else _NO_PLANS
    members = {}
    for key, item in value.items():
        if type(key) is not str:
            raise _NotPlain
        child = keys.get(key)
        # An ASCII text, the most common member, is settled here rather than in a call.
        if type(item) is str and item and item.isascii() and len(item) <= _PLAIN_CHARS:
            members[key] = item
            # A text whose only check is its length, well within it, needs no visit.
            if child is not None and len(item) * 2 > child.within:
                found.places.append((child, members, key, item))
        else:
            item, count = _plain_value(item, depth, count, child, found)
            members[key] = item
            if child is not None and child.visited:
                found.places.append((child, members, key, item))
    # Names outside ASCII (rare) are looked at for what UTF-8 cannot write.
    if not all(map(str.isascii, members)) and not all(map(encodes_as_utf8, members)):
        raise _NotPlain
    if plan is not None and plan.absent:
        for name, child in plan.absent:
            if name not in members:
                found.missing.append((members, name, child))
    return members, count


def _plain_value(
    item: Any, depth: int, count: int, plan: Plan | None, found: Found
) -> tuple[Any, int]:
    """``item``, a member or item at ``depth``, as ``_plain`` copies it."""
    kind = type(item)
    if kind is dict or kind is list:
        if item:
            return _plain(item, depth + 1, count, plan, found)
    elif kind is str:
        if item and len(item) <= _PLAIN_CHARS and (item.isascii() or encodes_as_utf8(item)):
            return item, count
    elif kind is bool or (kind is int and -INTEGER_BOUND < item < INTEGER_BOUND):
        return item, count
    raise _NotPlain
