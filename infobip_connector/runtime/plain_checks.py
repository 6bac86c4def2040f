"""The checks of a plain input made on its copy, without the checks' own walk (``checks.py``).

Nearly every execution sends one message whose input is plain (``plain_copy``): its copy
already passes by every place the checks visit, so the copy notes them (``Found``) and
this module runs each place's checks from that list, after the schema. Only an input that
passes everything is settled here: at its first problem (or anything this pass does not
settle alone: an ID to derive from an idempotency key, a value the schema validator cannot
read) the input is left to the generic path, which finds and tells every problem as it
always does. ``tests/test_plain_checks.py`` holds the two to the same result.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..definition.model import PhoneCheck
from ..definition.texts import over_limit
from .check_ids import new_ids
from .check_plan import LEAVES, Plan
from .free_values import open_shape_problems
from .object_rules import RULES
from .phones import normalize_phone
from .plain_copy import Found, plain_copy
from .timeutil import utc_now
from .validation import SchemaValidator

#: How many parts (slots) ``check_plan.Plan`` had when this module was written; a plan with
#: another part may ask for a check ``_run`` does not make (tests/test_plain_checks.py
#: compares them: a part added is a check to add here, then this count).
PLAN_PARTS = 20


class _Problem(Exception):
    """A check found a problem: the input is left to the generic path, which tells it."""


class PlainChecks:
    """One action's checks for plain inputs (``checked``), planned once."""

    __slots__ = ("_plan", "_schema")

    def __init__(self, plan: Plan, schema: SchemaValidator) -> None:
        """``plan``: the action's checks (``check_plan.plan_of``), with no rules of the action
        itself (between its inputs), which the generic path runs; ``schema``: its input's."""
        if plan.prop is not None and plan.prop.rules:
            raise ValueError("an action with rules between its inputs takes the generic path")
        self._plan = plan
        self._schema = schema

    def checked(
        self,
        values: Any,
        now: datetime | None,
        check: PhoneCheck,
        local: bool,
        derive: Callable[[Any, list[Any]], list[str]] | None,
    ) -> dict[str, Any] | None:
        """The checked, normalised values of a plain input without problems, as
        ``ActionRuntime.validate`` gives them (phone numbers and senders normalised,
        missing IDs drawn, ``sentWhenEmpty`` values filled); None for any other input, and
        for one with missing IDs to derive from an idempotency key (``derive`` given), for the
        generic path.

        ``now``: the time the rules judge by (the clock's, read at the first rule, when
        not given); ``check``: how phone numbers are checked; ``local``: a URL Infobip calls
        back may be a loopback one.
        """
        found = Found()
        copied = plain_copy(values, self._plan, found)
        if copied is None:
            return None
        ids = [place for place in found.missing if place[2].generated]
        if ids and derive is not None:
            return None
        result = copied[0]
        # The free-member values a copy holds are the given ones already (``_kept`` puts
        # back the same copies), and the checks rely on the schema's verdict.
        if not self._schema.valid(result):
            return None
        clock: list[datetime] = [now] if now else []
        try:
            writes = _run(found.places, check, local, clock)
        except _Problem:
            return None
        # Written once every check has run: a rule judges its value as given (the checks'
        # walk runs a place's rules before it normalises anything below it).
        for container, key, normal in writes:
            container[key] = normal
        if ids:
            for (container, key, _), new in zip(ids, new_ids(len(ids)), strict=True):
                container[key] = new
        if len(ids) < len(found.missing):
            for container, key, plan in found.missing:
                if not plan.generated:
                    # A copy each: the plan's value is shared by every execution.
                    container[key] = copy.deepcopy(plan.fill)
        return result


def _now(clock: list[datetime]) -> datetime:
    """The time the rules judge by: the one given, else the clock's at the first ask."""
    if not clock:
        clock.append(utc_now())
    return clock[0]


def _run(
    places: list[tuple[Plan, Any, Any, Any]], check: PhoneCheck, local: bool, clock: list[datetime]
) -> list[tuple[Any, Any, Any]]:
    """The checks of each place (``checks._Pass.visit`` on a schema-valid input); the
    normalised values to write, as (container, key, value). Raises ``_Problem`` at the first
    problem.

    The same checks as the visit's, in the same order, told only as a yes or no: a check
    added to the one is added to the other (``PLAN_PARTS`` counts the parts of a plan both
    read)."""
    writes: list[tuple[Any, Any, Any]] = []
    seen: dict[str, set[str]] = {}
    for plan, container, key, value in places:
        leaf = plan.leaf
        if leaf is not None:
            try:
                normal = (
                    normalize_phone(value, check) if leaf == "phone" else LEAVES[leaf](value, check)
                )
            except ValueError:
                raise _Problem from None
            if normal is not value:
                writes.append((container, key, normal))
        elif plan.generated:
            limit = plan.limit
            if limit is not None and len(value) * 2 > limit and over_limit(value, limit):
                raise _Problem
            if plan.unique:
                given = seen.setdefault(key, set())
                if value in given:
                    raise _Problem
                given.add(value)
        elif (
            (limit := plan.limit) is not None
            and len(value) * 2 > limit
            and over_limit(value, limit)
        ) or (plan.form is not None and plan.form(value, local) is not None):
            # Too long, else not of its form (a URL): the checks' walk tells one of the two.
            raise _Problem
        if plan.comma_free and isinstance(value, str) and "," in value:
            raise _Problem
        if plan.tail:
            _tail(plan, value, clock)
    return writes


def _tail(plan: Plan, value: Any, clock: list[datetime]) -> None:
    """The checks of a place beyond its value's form, limit and commas (``Plan.tail``)."""
    for rule in plan.rules:
        if RULES[rule](value, _now(clock)):
            raise _Problem
    if plan.open_shape:
        assert plan.prop is not None
        if open_shape_problems(value, plan.prop):
            raise _Problem
