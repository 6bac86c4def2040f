"""What the checks do below each place of an action's input, worked out once per action.

A ``Plan`` mirrors the property tree where anything is to be checked, normalised, filled
or generated, so the pass over values (``checks.py``) skips every place with nothing to do
and checks a list of recipients a list at a time where it can.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from ..definition.model import Property
from .phones import normalize_phone, normalize_sender
from .text_forms import Test, pattern_test
from .urls import callback_url_problem, http_url_problem

# Longer than any text (Plan.within).
_NEVER = sys.maxsize

# Rules a recipient's ID may have and still be checked a list at a time (_Pass.recipients).
_LISTED_ID_RULES = frozenset({"noComma"})


class Plan:
    """The checks below one place of the input, keyed like the values they apply to."""

    __slots__ = (
        "absent",
        "comma_free",
        "fill",
        "flat",
        "form",
        "generated",
        "idle",
        "keys",
        "leaf",
        "limit",
        "open_shape",
        "pattern",
        "prop",
        "rules",
        "short",
        "star",
        "tail",
        "unique",
        "visited",
        "within",
    )

    def __init__(self, prop: Property | None = None, in_list: bool = False) -> None:
        self.prop = prop if prop is not None and _has_checks(prop) else None
        self.keys: dict[str, Plan] = {}
        self.star: Plan | None = None
        checked = self.prop
        # What a text value itself is checked for: a format, or only its length.
        self.leaf = checked.format if checked is not None and checked.format in LEAVES else None
        self.limit = _utf16_limit(checked) if checked is not None and self.leaf is None else None
        # A format checked but kept as given (a URL): its message, or None when well-formed.
        self.form = _FORMS.get(checked.format or "") if checked is not None else None
        self.generated = checked is not None and checked.generatedId
        # The pattern the lean schema leaves to this pass, as text_forms.passes tests it.
        self.pattern: Test | None = pattern_test(checked) if checked is not None else None
        # What is sent when the value is left empty (``sentWhenEmpty``).
        self.fill = checked.sentWhenEmpty if checked is not None else None
        # IDs given in a list (a recipient's messageId) must differ from each other.
        self.unique = self.generated and in_list
        # ``noComma`` is a search in the text, made in the walk itself (it reads no clock);
        # the other rules of this place are called by name (``object_rules.RULES``).
        declared = checked.rules if checked is not None else ()
        self.comma_free = "noComma" in declared
        self.rules = tuple(rule for rule in declared if rule != "noComma")
        # Free members or forms below (read per visit: a property of the definition each).
        self.open_shape = checked is not None and checked.open_shape
        # Nothing to do where a value is given; set by plan_of.
        self.idle = False
        # The limit of a text whose only check is its length (a message's text): members
        # decides one of at most half as many characters without a call; set by plan_of.
        self.short: int | None = None
        # For an object whose checked members are all phone numbers or IDs (a recipient):
        # (phone member names, ID members as (name, length limit, whether noComma applies));
        # see _Pass.recipients.
        self.flat: tuple[tuple[str, ...], tuple[tuple[str, int | None, bool], ...]] | None = None
        # The members that need something when not given (an ID drawn, a value filled), in
        # the order of ``keys``; set by plan_of. A given member is found by its name.
        self.absent: tuple[tuple[str, Plan], ...] = ()
        # For the plain checks (plain_checks.py), set by plan_of: whether a given value here
        # is visited; an ASCII text is visited when its length doubled is over ``within``
        # (``short``; -1 for every text visited; _NEVER for none); whether it has rules or
        # free members to check.
        self.visited = False
        self.within = _NEVER
        self.tail = False

    @property
    def empty(self) -> bool:
        return self.prop is None and not self.keys and self.star is None


# Formats whose values are normalised here; their normalised form is within every limit.
LEAVES = {"phone": normalize_phone, "sms-sender": normalize_sender}


def _http_url(value: str, local: bool) -> str | None:
    problem = http_url_problem(value)
    return None if problem is None else f"must be an http:// or https:// URL: {problem}"


def _callback_url(value: str, local: bool) -> str | None:
    """A URL Infobip calls back (``notifyUrl``): the rules of a webhook's (``urls.py``)."""
    return _http_url(value, local) or callback_url_problem(value, local=local)


# Formats whose values are checked whole here (the schema pattern says less) and sent as given;
# the flag: callbacks may go to this machine (the connection is a sandbox here).
_FORMS: dict[str, Callable[[str, bool], str | None]] = {
    "http-url": _http_url,
    "callback-url": _callback_url,
}


def _utf16_limit(prop: Property) -> int | None:
    return prop.maxLength if prop.type == "STRING" else None


def _has_checks(prop: Property) -> bool:
    return (
        prop.format in LEAVES
        or prop.format in _FORMS
        or bool(prop.rules)
        or prop.generatedId
        or prop.sentWhenEmpty is not None
        or prop.open_shape
        or (prop.maxLength is not None and prop.type == "STRING")
    )


def plan_of(prop: Property, in_list: bool = False) -> Plan:
    plan = Plan(prop, in_list)
    for child in prop.properties or []:
        assert child.name is not None
        sub = plan_of(child, in_list)
        if not sub.empty:
            plan.keys[child.name] = sub
    if prop.items is not None:
        sub = plan_of(prop.items, True)
        if not sub.empty:
            plan.star = sub
    plan.absent = tuple(
        (name, sub) for name, sub in plan.keys.items() if sub.generated or sub.fill is not None
    )
    plan.idle = (
        plan.leaf is None
        and plan.form is None
        and plan.limit is None
        and not plan.unique
        and plan.fill is None
        and not (plan.prop is not None and (plan.prop.rules or plan.prop.open_shape))
        and not plan.keys
        and plan.star is None
    )
    plan.visited = plan.prop is not None and not plan.idle
    plan.within = -1 if plan.visited else _NEVER
    plan.tail = bool(plan.rules) or plan.open_shape
    if (
        plan.prop is not None
        and plan.limit is not None
        and plan.form is None
        and not plan.generated
        and plan.fill is None
        and not plan.prop.rules
        and not plan.prop.open_shape
        and not plan.keys
        and plan.star is None
    ):
        plan.short = plan.within = plan.limit
    if plan.prop is None and plan.star is None:
        phones: list[str] = []
        ids: list[tuple[str, int | None, bool]] = []
        for name, member in plan.keys.items():
            rules = set(member.prop.rules) if member.prop is not None else set()
            plain = member.prop is not None and not member.keys
            if plain and not rules and member.leaf == "phone":
                phones.append(name)
            elif plain and rules <= _LISTED_ID_RULES and member.generated:
                ids.append((name, member.limit, "noComma" in rules))
            elif not member.idle:
                break
        else:
            plan.flat = (tuple(phones), tuple(ids))
    return plan
