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
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import phonenumbers

from .definition import Action, Property, format_path, walk
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
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in _COUNTRY_CODES:
            return _possible_length(code, len(digits) - size)
    return False


@lru_cache(maxsize=4096)
def _possible_length(country_code: int, length: int) -> bool:
    if length == 0:
        return False
    number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int("1" * length))
    return bool(phonenumbers.is_possible_number(number))


def normalize_phone(raw: str) -> str:
    if raw.isdigit() and raw[0] != "0" and _possible_as_given(raw):
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


@dataclass(frozen=True)
class _Site:
    pattern: Path
    prop: Property


class ActionChecks:
    """The declared checks of one action, located once, applied to each execution."""

    def __init__(self, action: Action) -> None:
        sites = [_Site(p, prop) for p, prop in walk(action.as_property()) if p]
        self._phones = [s for s in sites if s.prop.format == "phone"]
        self._rules = [s for s in sites if s.prop.rules]
        self._ids = [s for s in sites if s.prop.generatedId]

    def apply(self, values: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
        """Normalise ``values`` in place (they are the runtime's own copy); raise InputError."""
        problems: Problems = []
        for site in self._phones:
            for parent, key, trail in _locate(values, site.pattern):
                try:
                    parent[key] = normalize_phone(parent[key])
                except ValueError as exc:
                    problems.append({"path": format_path(_flatten(trail)), "message": str(exc)})
        moment = now or utc_now()
        for site in self._rules:
            for parent, key, trail in _locate(values, site.pattern):
                path = _flatten(trail)
                for rule in site.prop.rules:
                    for p in RULES[rule](parent[key], moment):
                        where = (*path, p["path"]) if p["path"] else path
                        problems.append({"path": format_path(where), "message": p["message"]})
        if problems:
            problems.sort(key=lambda e: e["path"])
            raise InputError(problems)
        for site in self._ids:
            missing = [
                (parent, key)
                for parent, key, _ in _locate(values, site.pattern, include_missing=True)
                if key not in parent
            ]
            for (parent, key), new in zip(missing, new_ids(len(missing)), strict=True):
                parent[key] = new
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


def _locate(
    root: Any, pattern: Path, include_missing: bool = False
) -> list[tuple[Any, Any, Trail]]:
    """``(container, key, trail)`` for every place in ``root`` that ``pattern`` names.

    Walks level by level rather than recursively: a bulk has one place per recipient.
    """
    level: list[tuple[Any, Trail]] = [(root, ())]
    *inner, last = pattern
    for head in inner:
        following: list[tuple[Any, Trail]] = []
        for node, trail in level:
            if head == "*":
                if isinstance(node, list):
                    following.extend((item, (trail, i)) for i, item in enumerate(node))
            elif isinstance(node, dict) and head in node:
                following.append((node[head], (trail, head)))
        level = following
    places: list[tuple[Any, Any, Trail]] = []
    for node, trail in level:
        if last == "*":
            if isinstance(node, list):
                places.extend((node, i, (trail, i)) for i in range(len(node)))
        elif isinstance(node, dict) and (last in node or include_missing):
            places.append((node, last, (trail, last)))
    return places


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def new_ids(count: int) -> list[str]:
    """``count`` random (version 4) UUIDs, drawn from the OS in one call."""
    h = os.urandom(16 * count).hex()
    return [
        f"{h[i : i + 8]}-{h[i + 8 : i + 12]}-4{h[i + 13 : i + 16]}-{_VARIANT[h[i + 16]]}{h[i + 17 : i + 20]}-"
        f"{h[i + 20 : i + 32]}"
        for i in range(0, 32 * count, 32)
    ]
