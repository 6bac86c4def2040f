"""Rules a JSON Schema cannot say, run on schema-valid values before any executor.

Which rule applies where is declared in ``connector.yaml`` (``format``, ``rules``,
``generatedId``); this module holds what each one means. Phone numbers are
normalised in place to Infobip's digits-only international form, and missing
client-assigned IDs are filled so every outcome can be reconciled.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

import phonenumbers

from .definition import Action, Property, format_path
from .errors import InputError
from .timeutil import PAST_GRACE, SCHEDULE_HORIZON, resolve_send_at, utc_now

Path = tuple[str | int, ...]
Problems = list[dict[str, str]]

_SEPARATORS = re.compile(r"[\s\-./()\u00a0]")
_LINK = re.compile(r"https?://\S", re.IGNORECASE)


# ---------------------------------------------------------------- phone numbers


_COUNTRY_CODES = phonenumbers.COUNTRY_CODE_TO_REGION_CODE


def _possible_as_given(digits: str) -> bool:
    """Whether digits already in Infobip's form are a possible number, without a full parse.

    A full parse costs around a hundred microseconds, which a 100,000-recipient bulk cannot
    afford. Whether a number is possible depends only on its country code and the length of
    the rest, so that answer is computed once per pair; a number that fails here still gets
    the full parse before it is refused.
    """
    size = _code_size(digits[:3])
    return size > 0 and _possible_length(int(digits[:size]), len(digits) - size)


@lru_cache(maxsize=1024)
def _code_size(head: str) -> int:
    """How many leading digits form the country calling code (codes are prefix-free); 0: none."""
    for size in (1, 2, 3):
        if int(head[:size]) in _COUNTRY_CODES:
            return size
    return 0


@lru_cache(maxsize=4096)
def _possible_length(country_code: int, length: int) -> bool:
    if length == 0:
        return False
    number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int("1" * length))
    return bool(phonenumbers.is_possible_number(number))


# (first three digits, length) → possible as given; a few thousand entries at most.
_possible_shapes: dict[tuple[str, int], bool] = {}


def normalize_phone(raw: str) -> str:
    if raw.isdigit() and raw[0] != "0":
        shape = (raw[:3], len(raw))
        possible = _possible_shapes.get(shape)
        if possible is None:
            possible = _possible_shapes[shape] = _possible_as_given(raw)
        if possible:
            return raw
    return _normalize_phone(raw)


@lru_cache(maxsize=4096)
def _normalize_phone(raw: str) -> str:
    """``+41 79 302 67 27``, ``0041793026727`` or ``41793026727`` → ``41793026727``.

    A number written with separators but without a country code is refused rather
    than guessed: ``(415) 555-2671`` could be dialled from anywhere.
    """
    text = raw.strip()
    if text.startswith("+"):
        international = "+" + _SEPARATORS.sub("", text[1:])
    elif text.startswith("00"):
        international = "+" + _SEPARATORS.sub("", text)[2:]
    elif text.isdigit():
        if text.startswith("0"):
            raise ValueError(
                f"{raw!r} starts with 0, a national trunk prefix: write it in international "
                "format with the country code, e.g. 41793026727"
            )
        international = "+" + text
    elif _SEPARATORS.sub("", text).isdigit():
        raise ValueError(
            f"{raw!r} has no country code: start it with + or 00, e.g. +1 415 555 2671"
        )
    else:
        raise ValueError(
            f"{raw!r} is not a phone number: only digits, spaces, - . ( ) and a leading +"
        )
    if not international[1:].isdigit():
        raise ValueError(
            f"{raw!r} is not a phone number: only digits, spaces, - . ( ) and a leading +"
        )
    try:
        number = phonenumbers.parse(international, None)
    except phonenumbers.NumberParseException:
        raise ValueError(f"{raw!r} does not start with a known country calling code") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(
            f"{raw!r} cannot be a phone number of country code +{number.country_code}: "
            "wrong number of digits"
        )
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))[1:]


# ---------------------------------------------------------------- object rules


def _delivery_time_window(window: dict[str, Any], now: datetime) -> Problems:
    start, end = window.get("from"), window.get("to")
    if (start is None) != (end is None):
        missing = "to" if end is None else "from"
        return [{"path": missing, "message": "give 'from' and 'to' together"}]
    if start is None or end is None:
        return []
    minutes = (end["hour"] * 60 + end["minute"]) - (start["hour"] * 60 + start["minute"])
    if minutes % (24 * 60) < 60:
        return [{"path": "to", "message": "must be at least one hour after 'from' (times in UTC)"}]
    return []


def _send_at(value: Any, now: datetime) -> Problems:
    try:
        moment = resolve_send_at(value)
    except ValueError as exc:
        return [{"path": "", "message": str(exc)}]
    if moment < now - PAST_GRACE:
        return [{"path": "", "message": f"{moment.isoformat()} is in the past"}]
    if moment > now + SCHEDULE_HORIZON:
        return [{"path": "", "message": f"{moment.isoformat()} is more than 180 days ahead"}]
    return []


def _preview_url_needs_link(content: dict[str, Any], now: datetime) -> Problems:
    if content.get("previewUrl") is True and not _LINK.search(content.get("text", "")):
        return [
            {
                "path": "previewUrl",
                "message": "is true, but the text has no http:// or https:// URL",
            }
        ]
    return []


RULES: dict[str, Callable[[Any, datetime], Problems]] = {
    "deliveryTimeWindow": _delivery_time_window,
    "sendAt": _send_at,
    "previewUrlNeedsLink": _preview_url_needs_link,
}


# ---------------------------------------------------------------- the pass over values


class _Plan:
    """The checks below one place of the input, keyed like the values they apply to."""

    __slots__ = ("flat", "generated", "idle", "keys", "only_phone", "prop", "star")

    def __init__(self, prop: Property | None = None) -> None:
        self.prop = prop if prop is not None and _has_checks(prop) else None
        self.keys: dict[str, _Plan] = {}
        self.star: _Plan | None = None
        # The common leaf (a recipient's number) is handled inline by the walk.
        self.only_phone = (
            self.prop is not None and self.prop.format == "phone" and not self.prop.rules
        )
        self.generated = self.prop is not None and self.prop.generatedId
        # Nothing to do where a value is given (a recipient's own messageId); set by _plan.
        self.idle = False
        # For an object whose checked members are all phone numbers or IDs (a recipient):
        # (phone member names, generated ID member names); see _Pass.recipients.
        self.flat: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    @property
    def empty(self) -> bool:
        return self.prop is None and not self.keys and self.star is None


def _has_checks(prop: Property) -> bool:
    return prop.format == "phone" or bool(prop.rules) or prop.generatedId


def _plan(prop: Property) -> _Plan:
    plan = _Plan(prop)
    for child in prop.properties or []:
        assert child.name is not None
        sub = _plan(child)
        if not sub.empty:
            plan.keys[child.name] = sub
    if prop.items is not None:
        sub = _plan(prop.items)
        if not sub.empty:
            plan.star = sub
    no_rule = plan.prop is None or (plan.prop.format != "phone" and not plan.prop.rules)
    plan.idle = no_rule and not plan.keys and plan.star is None
    children = plan.keys.items()
    if plan.prop is None and plan.star is None:
        phones = tuple(n for n, c in children if c.only_phone and not c.keys and not c.star)
        if all(n in phones or c.idle for n, c in children):
            plan.flat = (phones, tuple(n for n, c in children if c.generated))
    return plan


class _Pass:
    """One execution's walk: problems found and places still needing an ID."""

    __slots__ = ("missing_ids", "now", "problems")

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.problems: Problems = []
        self.missing_ids: list[tuple[dict[str, Any], str]] = []

    def enter(self, plan: _Plan, value: Any, trail: Trail) -> None:
        star = plan.star
        if star is not None and type(value) is list:
            if star.flat is not None:
                self.recipients(star.flat, value, trail)
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

    def recipients(
        self, flat: tuple[tuple[str, ...], tuple[str, ...]], items: list[Any], trail: Trail
    ) -> None:
        """``members`` for a list of flat objects, without a call per item: a bulk's cost."""
        phones, ids = flat
        missing = self.missing_ids
        possible = _possible_shapes
        for index, item in enumerate(items):
            if type(item) is not dict:
                continue
            for name in phones:
                if name in item:
                    raw = item[name]
                    # normalize_phone's first test, inline: most numbers of a bulk are
                    # already in Infobip's form and of a shape seen before.
                    if raw.isdigit() and raw[0] != "0" and possible.get((raw[:3], len(raw))):
                        continue
                    try:
                        item[name] = normalize_phone(raw)
                    except ValueError as exc:
                        self.problem(((trail, index), name), "", str(exc))
            for name in ids:
                if name not in item:
                    missing.append((item, name))

    def members(self, plan: _Plan, value: dict[str, Any], trail: Trail) -> None:
        for name, child in plan.keys.items():
            if name in value:
                if child.only_phone and not child.keys:
                    try:
                        value[name] = normalize_phone(value[name])
                    except ValueError as exc:
                        self.problem((trail, name), "", str(exc))
                elif not child.idle:
                    self.visit(child, value, name, value[name], (trail, name))
            elif child.generated:
                self.missing_ids.append((value, name))

    def visit(self, plan: _Plan, container: Any, key: Any, value: Any, trail: Trail) -> None:
        prop = plan.prop
        if prop is not None:
            if prop.format == "phone":
                try:
                    container[key] = normalize_phone(value)
                except ValueError as exc:
                    self.problem(trail, "", str(exc))
            for rule in prop.rules:
                for found in RULES[rule](value, self.now):
                    self.problem(trail, found["path"], found["message"])
        if plan.keys or plan.star is not None:
            self.enter(plan, value, trail)

    def problem(self, trail: Trail, below: str, message: str) -> None:
        path = _flatten(trail)
        self.problems.append(
            {"path": format_path((*path, below) if below else path), "message": message}
        )


class ActionChecks:
    """The declared checks of one action, planned once, applied to each execution."""

    def __init__(self, action: Action) -> None:
        self._plan = _plan(action.as_property())

    def apply(self, values: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
        """Normalise ``values`` in place (they are the runtime's own copy); raise InputError."""
        walk_ = _Pass(now or utc_now())
        walk_.enter(self._plan, values, ())
        if walk_.problems:
            walk_.problems.sort(key=lambda e: e["path"])
            raise InputError(walk_.problems)
        for (container, key), new in zip(
            walk_.missing_ids, new_ids(len(walk_.missing_ids)), strict=True
        ):
            container[key] = new
        return values


# A place's path is kept as nested pairs ``(parent, key)``: building a pair per recipient is
# cheap, and the flat path is only spelled out for an error message.
Trail = tuple[Any, ...]


def _flatten(trail: Trail) -> Path:
    keys: list[str | int] = []
    while trail:
        trail, key = trail
        keys.append(key)
    return tuple(reversed(keys))


def new_ids(count: int) -> list[str]:
    """``count`` random version 4 UUIDs, drawn from the OS in one call.

    The variant digit is always 8 (of the allowed 8, 9, a, b), leaving 120 random bits; the
    formatting is the only per-ID work, which matters for a 100,000-recipient bulk.
    """
    h = os.urandom(16 * count).hex()
    return [
        f"{h[i : i + 8]}-{h[i + 8 : i + 12]}-4{h[i + 13 : i + 16]}-8{h[i + 17 : i + 20]}-"
        f"{h[i + 20 : i + 32]}"
        for i in range(0, 32 * count, 32)
    ]
