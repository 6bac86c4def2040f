"""Rules a JSON Schema cannot say, run on schema-valid values before any executor.

Which rule applies where is declared in ``connector.yaml`` (``format``, ``rules``,
``generatedId``, ``sentWhenEmpty``); this module holds what each one means. Phone numbers
are normalised in place to Infobip's digits-only international form, missing
client-assigned IDs are filled so every outcome can be reconciled, and members Infobip
requires but a person left empty get their declared value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import islice, repeat
from typing import Any

from ..definition.model import Action, PhoneCheck, format_path
from ..definition.texts import over_limit, too_long
from .check_ids import Trail, below_parts, clash_problems, given_ids, new_ids, trail_parts
from .check_plan import LEAVES, Plan, plan_of
from .filter_rules import COMMA_SPLIT
from .form_rules import guarded
from .free_values import open_shape_problems
from .object_rules import FORM_RULES, RULES
from .phone_lines import BULK, settled_count
from .phones import normalize_phone, shapes
from .problems import Parts, Problem
from .text_forms import PatternFailed, Test, all_pass, passes
from .timeutil import utc_now

# Shorter lists of recipients are checked one at a time (_Pass.few_recipients).
FEW = 8


# ---------------------------------------------------------------- the pass over values


class _Pass:
    """One execution's walk: problems found and places still needing an ID."""

    __slots__ = (
        "_now",
        "check",
        "local",
        "missing_fills",
        "missing_ids",
        "patterns",
        "problems",
        "repeated",
        "seen",
        "shared",
        "taint",
        "too_long",
    )

    def __init__(
        self,
        now: datetime | None,
        check: PhoneCheck,
        taint: frozenset[Parts],
        local: bool = False,
        patterns: bool = False,
        shared: set[int] | None = None,
    ) -> None:
        # Read from the clock when a rule first asks (see ``now``): a small send runs no rule
        # but noComma, and a reading costs more than the rest of a small message's checks.
        self._now = now
        # The ids of the lists whose items are the caller's own objects (values.py): written
        # only after ``own`` has copied them.
        self.shared = shared
        # Whether the schema left the patterns of phone numbers and IDs to this pass.
        self.patterns = patterns
        self.local = local
        self.check: PhoneCheck = check
        self.taint = taint
        self.problems: list[Problem] = []
        # (object, member name, the object's trail): the trail names the place of a
        # derived ID (see idempotency.py) and is only spelled out when one is derived.
        self.missing_ids: list[tuple[dict[str, Any], str, Trail]] = []
        self.missing_fills: list[tuple[dict[str, Any], str, Any]] = []
        # ID member name → the values given; whether one was given twice.
        self.seen: dict[str, set[str]] = {}
        self.repeated = False
        # (ID member name, value) of the IDs already told too long: not told again as repeated.
        self.too_long: set[tuple[str, str]] = set()

    @property
    def now(self) -> datetime:
        """The time the rules judge by: the one given, else the clock's at the first ask."""
        now = self._now
        if now is None:
            now = self._now = utc_now()
        return now

    def own(self, items: list[Any]) -> None:
        """Copy the items of ``items`` before anything is written into them, if they are
        the caller's own objects (``shared``); no effect otherwise or once done."""
        shared = self.shared
        if shared and id(items) in shared:
            shared.discard(id(items))
            items[:] = [dict(item) if type(item) is dict else item for item in items]

    def enter(self, plan: Plan, value: Any, trail: Trail) -> None:
        star = plan.star
        if star is not None and type(value) is list:
            if self.shared and not (star.flat is not None and not self.taint and len(value) >= FEW):
                self.own(value)  # the walks below write where they stand
            if star.flat is not None and not self.taint:
                if len(value) < FEW:
                    self.few_recipients(star, value, trail)
                else:
                    self.recipients(star, value, trail)
            elif star.prop is None and star.star is None:
                # A list of objects (messages, destinations): go straight to their members.
                for index, item in enumerate(value):
                    if type(item) is dict:
                        self.members(star, item, (trail, index))
            else:
                for index, item in enumerate(value):
                    self.visit(star, value, index, item, (trail, index))
        if plan.keys and type(value) is dict:
            self.members(plan, value, trail)

    def recipients(self, plan: Plan, items: list[Any], trail: Trail) -> None:
        """``members`` for a list of schema-valid flat objects, without a call per item.

        This is a bulk's cost: a number already in Infobip's form is settled by one lookup
        and one compiled match (see phones.py); given IDs are checked a list at a time. The
        items are schema-valid objects (this path is only taken when the schema passed).
        ``plan``: the items' plan, with ``flat`` set.
        """
        assert plan.flat is not None
        phones, ids = plan.flat
        check = self.check
        table = shapes(check)
        get = dict.get
        for name in phones:
            # A bulk's numbers already in Infobip's form are settled by one match over all;
            # from the first that is not, each gets the per-number test.
            start = 0
            if len(items) >= BULK:
                start = settled_count(list(map(get, items, repeat(name))), check)
            if start < len(items):
                self.own(items)  # a number may be normalised in place
            for index, item in enumerate(islice(items, start, None), start):
                raw = item.get(name)
                if raw is not None:
                    match = table.get((raw[:3], len(raw)))
                    if match is None or not match(raw):
                        # A number the match settles is digits, which its pattern allows.
                        self.tested(plan.keys[name].pattern, raw)
                        try:
                            item[name] = normalize_phone(raw, check)
                        except ValueError as exc:
                            self.problem(((trail, index), name), "", str(exc))
        for name, limit, comma_free in ids:
            given = [item.get(name) for item in items]
            if None in given:
                self.own(items)  # the IDs are filled in place
                self.missing_ids.extend(
                    (item, name, (trail, index))
                    for index, item in enumerate(items)
                    if name not in item
                )
                given = [value for value in given if value is not None]
            test = plan.keys[name].pattern
            if self.patterns and test is not None and not all_pass(given, test):
                raise PatternFailed
            if limit is not None and given and max(map(len, given)) * 2 > limit:
                for index, item in enumerate(items):
                    if name in item and over_limit(item[name], limit):
                        self.given_id(name, limit, item[name], (trail, index))
                given = [value for value in given if not over_limit(value, limit)]
            if comma_free and "," in "".join(given):  # one search in C, not one per ID
                for index, item in enumerate(items):
                    if "," in item.get(name, ""):
                        self.problem(((trail, index), name), "", COMMA_SPLIT)
            # One set update in C instead of a lookup per recipient; which IDs repeat, and
            # where, is only worked out when some do (see duplicate_ids).
            seen = self.seen.setdefault(name, set())
            before = len(seen)
            seen.update(given)
            if len(seen) - before != len(given):
                self.repeated = True

    def few_recipients(self, plan: Plan, items: list[Any], trail: Trail) -> None:
        """``recipients`` for a short list (a single send's one or few destinations).

        The same checks, found and reported alike, one item at a time: setting up the
        column-wise checks of ``recipients`` costs more than they save on a few items.
        IDs still missing are listed in the same order (by member, then by item).
        """
        assert plan.flat is not None
        phones, ids = plan.flat
        for name in phones:
            test = plan.keys[name].pattern
            for index, item in enumerate(items):
                raw = item.get(name)
                if raw is not None:
                    self.phone(item, name, raw, test, ((trail, index), name))
        for name, limit, comma_free in ids:
            seen = self.seen.setdefault(name, set())
            test = plan.keys[name].pattern
            for index, item in enumerate(items):
                given = item.get(name)
                if given is None:
                    self.missing_ids.append((item, name, (trail, index)))
                    continue
                if self.patterns:
                    self.tested(test, given)
                if limit is not None and len(given) * 2 > limit and over_limit(given, limit):
                    self.given_id(name, limit, given, (trail, index))
                else:
                    if comma_free and "," in given:
                        self.problem(((trail, index), name), "", COMMA_SPLIT)
                    if given in seen:
                        self.repeated = True
                    seen.add(given)

    def members(self, plan: Plan, value: dict[str, Any], trail: Trail) -> None:
        # The given members, found by name (a message gives a few of the many it may have),
        # then the members needing something when not given.
        keys = plan.keys
        for name, given in value.items():
            child = keys.get(name)
            if child is None or child.idle:
                continue
            short = child.short
            if short is not None and type(given) is str and len(given) * 2 <= short:
                continue  # a text whose only check is its length, well within it
            if child.prop is None:
                self.enter(child, given, (trail, name))  # no checks here, only below
            else:
                self.visit(child, value, name, given, (trail, name))
        for name, child in plan.absent:
            if name not in value:
                if child.generated:
                    self.missing_ids.append((value, name, trail))
                else:
                    self.missing_fills.append((value, name, child.fill))

    def visit(self, plan: Plan, container: Any, key: Any, value: Any, trail: Trail) -> None:
        # plain_checks._run makes these checks again, yes or no, for a plain input the schema
        # passed: a check added here is added there (tests/test_plain_checks.py holds the two
        # paths equal, and fails when a Plan gains a part the plain checks were not told of).
        prop = plan.prop
        # Where the schema found a problem, here or below, it has been reported: this
        # place's own checks are skipped but for its FORM_RULES, its members get theirs.
        if prop is not None and not (self.taint and trail_parts(trail) in self.taint):
            if plan.leaf == "phone":
                self.phone(container, key, value, plan.pattern, trail)
            elif plan.leaf is not None:
                try:
                    container[key] = LEAVES[plan.leaf](value, self.check)
                except ValueError as exc:
                    self.problem(trail, "", str(exc))
            elif plan.generated:
                if self.patterns:
                    self.tested(plan.pattern, value)
                self.given_id(key, plan.limit, value, trail[0], unique=plan.unique)
            elif (
                plan.limit is not None
                and len(value) * 2 > plan.limit  # decides most texts without a call
                and over_limit(value, plan.limit)
            ):
                self.problem(trail, "", too_long(plan.limit, value))
            elif plan.form is not None and (message := plan.form(value, self.local)) is not None:
                self.problem(trail, "", message)
            if plan.comma_free and isinstance(value, str) and "," in value:
                self.problem(trail, "", COMMA_SPLIT)
            for rule in plan.rules:
                for found in RULES[rule](value, self.now):
                    self.problem(trail, found["path"], found["message"])
            if plan.open_shape:
                for below, message in open_shape_problems(value, prop):
                    self.problems.append(((*trail_parts(trail), *below), message))
        elif prop is not None and prop.rules:
            self.form_rules(prop.rules, value, trail)
        if plan.keys or plan.star is not None:
            self.enter(plan, value, trail)

    def form_rules(self, rules: Sequence[str], value: Any, trail: Trail) -> None:
        """The FORM_RULES of a place the schema found wrong at or below (problems.py says
        how their problems meet the schema's)."""
        if (*trail_parts(trail), "type") in self.taint:
            return  # the member that decides the forms is itself wrong: they are moot
        for rule in rules:
            for found in guarded(FORM_RULES.get(rule), value, self.now):
                self.problem(trail, found["path"], found["message"])

    def tested(self, test: Test | None, value: str) -> None:
        """Raise PatternFailed if the schema left ``value``'s pattern to this pass (``test``)
        and ``value`` breaks it."""
        if self.patterns and test is not None and not passes(value, test):
            raise PatternFailed

    def phone(self, container: Any, key: Any, raw: str, test: Test | None, trail: Trail) -> None:
        """Normalise the phone number ``raw``, ``container[key]``, or report why it is none.

        A number normalisation keeps as it is was in Infobip's form, digits only, which its
        pattern allows: only another one is tested against the pattern (``tested``).
        """
        try:
            normal = normalize_phone(raw, self.check)
        except ValueError as exc:
            self.tested(test, raw)
            self.problem(trail, "", str(exc))
            return
        if normal is not raw:
            self.tested(test, raw)
        container[key] = normal

    def given_id(
        self, name: str, limit: int | None, value: str, owner: Trail, *, unique: bool = True
    ) -> None:
        """A client-assigned ID given as member ``name`` of the object at ``owner``."""
        if limit is not None and len(value) * 2 > limit and over_limit(value, limit):
            self.problem((owner, name), "", too_long(limit, value))
            self.too_long.add((name, value))
            return
        if unique:
            seen = self.seen.setdefault(name, set())
            if value in seen:
                self.repeated = True
            seen.add(value)

    def duplicate_ids(self, plan: Plan, values: Any) -> None:
        """Report every repeated ID at its place, naming where it was first given."""
        first: dict[tuple[str, str], Parts] = {}
        for name, value, parts in given_ids(plan, values, ()):
            if parts in self.taint or (name, value) in self.too_long:
                continue
            earlier = first.setdefault((name, value), parts)
            if earlier is not parts:
                self.problems.append(
                    (
                        parts,
                        f"is the same as {format_path(earlier)} ({value!r}): every message "
                        "needs an ID of its own (Infobip rejects the second as a duplicate)",
                    )
                )

    def problem(self, trail: Trail, below: str, message: str) -> None:
        """``message`` at ``below`` (``""``, ``name`` or ``a.b[2]``) under ``trail``: as parts,
        so that two problems at one place are told as one."""
        self.problems.append(((*trail_parts(trail), *below_parts(below)), message))


class ActionChecks:
    """The declared checks of one action, planned once, applied to each execution."""

    def __init__(self, action: Action) -> None:
        self._plan = plan_of(action.as_property())

    @property
    def plan(self) -> Plan:
        """What the checks do below each place of the input (``check_plan``)."""
        return self._plan

    def apply(
        self,
        values: dict[str, Any],
        now: datetime | None = None,
        *,
        check: PhoneCheck = "valid",
        taint: frozenset[Parts] = frozenset(),
        derive: Callable[[Any, list[Parts]], list[str]] | None = None,
        local: bool = False,
        patterns: bool = False,
        shared: set[int] | None = None,
    ) -> list[Problem]:
        """Normalise ``values`` in place (they are the runtime's own copy); list problems.

        ``shared``: the ids of lists in ``values`` whose items are the caller's own objects
        (``values.prune_counted``): their items are copied before anything is written into
        them, and only then (the set loses each list so copied).

        ``local``: the connection is a sandbox on this machine, so a URL Infobip calls back
        may be a loopback one.

        Places in ``taint`` (where the schema found a problem) are skipped. Missing IDs
        and the ``sentWhenEmpty`` values of missing members are filled only when there is
        nothing to report: random UUIDs, or ``derive(values, paths)`` of the places (one ID
        per path, such as ``("messages", 0, "destinations", 2, "messageId")``, read from the
        checked values with every such place still empty) when given.

        ``patterns``: the values were validated with the lean schema (text_forms.py), which
        leaves the patterns of phone numbers and IDs to this pass; one broken raises
        PatternFailed, before anything is filled in or derived.
        """
        # Any "now" that is not given (None, or an empty value where an engine passes one)
        # is the clock's.
        walk_ = _Pass(now or None, check, taint, local, patterns, shared)
        walk_.enter(self._plan, values, ())
        root = self._plan.prop
        if root is not None and () not in taint:
            # The action's own rules, between its inputs; the walk only applies members' rules.
            for rule in root.rules:
                for found in RULES[rule](values, walk_.now):
                    walk_.problem((), found["path"], found["message"])
        elif root is not None:
            walk_.form_rules(root.rules, values, ())
        if walk_.repeated:
            walk_.duplicate_ids(self._plan, values)
        if walk_.problems or taint:
            return walk_.problems
        missing = walk_.missing_ids
        if missing:  # else every ID was given: nothing to draw or derive
            if derive is None:
                fresh = new_ids(len(missing))
            else:
                fresh = derive(values, [(*trail_parts(owner), key) for _, key, owner in missing])
                clashes = [
                    (key, owner, new)
                    for (_, key, owner), new in zip(missing, fresh, strict=True)
                    if new in walk_.seen.get(key, ())
                ]
                if clashes:
                    return clash_problems(self._plan, values, clashes)
            for (container, key, _), new in zip(missing, fresh, strict=True):
                container[key] = new
        for container, key, fill in walk_.missing_fills:
            container[key] = copy.deepcopy(fill)
        return []
