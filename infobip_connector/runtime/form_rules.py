"""Rules about which form a member takes, run in the same round as the schema's problems.

The rules of a place are skipped where the schema found a problem at or below it (one
problem, one message). But whether a member belongs at all, or which form it takes, often
depends on another member: a payment's ``type`` decides whether ``callbackData`` is a list
or an object, a button's ``type`` which members it has, ``catalogId`` whether an item needs
its origin. A problem inside such a member (``callbackData[0]: must not be empty``) does not
settle that; reported alone, it would be followed by the form problem once it is fixed
(``callbackData: must be an object of texts``), where every problem is to be told at once.

So these rules also run where the schema found a problem, on a value that may break the
schema anywhere: ``guarded`` lets a rule that cannot read it say nothing (the schema has
told what it could not read). A rule's problem at a place the schema also found wrong, or
inside a member it refuses as a whole, meets the schema's as problems.Covering says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

Problems = list[dict[str, str]]
Rule = Callable[[Any, datetime], Problems]

#: What reading a schema-invalid value as a valid one raises: a member missing or of
#: another type (``payment["type"]`` of a list, ``"25" * 60``), an option no table has.
_UNREADABLE = (LookupError, TypeError, AttributeError, ValueError, ArithmeticError)
#: The rules of a value itself: where the schema found it wrong, that is what is told.
_OF_THE_VALUE = frozenset({"instant", "noComma"})


def rules_where_tainted(rules: Mapping[str, Rule], parts: Mapping[str, Rule]) -> dict[str, Rule]:
    """The rules to run where the schema found a problem: every rule of ``rules`` but those
    of a value itself, a rule named in ``parts`` replaced by its part about forms (its
    other checks add up values that may be the ones at fault)."""
    return {
        name: parts.get(name, rule) for name, rule in rules.items() if name not in _OF_THE_VALUE
    }


def guarded(rule: Rule | None, value: Any, now: datetime) -> Iterable[dict[str, str]]:
    """``rule``'s problems with ``value``; none when there is no such rule or it cannot read
    ``value`` (a member it reads is itself missing or of another type)."""
    if rule is None:
        return ()
    try:
        return rule(value, now)
    except _UNREADABLE:
        return ()
