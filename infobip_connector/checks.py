"""Rules a JSON Schema cannot say, run on schema-valid values before any executor.

Which rule applies where is declared in ``connector.yaml`` (``format``, ``rules``,
``generatedId``); this module holds what each one means. Phone numbers are
normalised in place to Infobip's digits-only international form, and missing
client-assigned IDs are filled so every outcome can be reconciled.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
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


@lru_cache(maxsize=65536)
def normalize_phone(raw: str) -> str:
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

    def __init__(self, action: Action, new_id: Callable[[], str] | None = None) -> None:
        sites = [_Site(p, prop) for p, prop in walk(action.as_property()) if p]
        self._phones = [s for s in sites if s.prop.format == "phone"]
        self._rules = [s for s in sites if s.prop.rules]
        self._ids = [s for s in sites if s.prop.generatedId]
        self._new_id = new_id or _uuid

    def apply(self, values: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
        """Normalise ``values`` in place (they are the runtime's own copy); raise InputError."""
        problems: Problems = []
        for site in self._phones:
            for parent, key, path in _locate(values, site.pattern):
                try:
                    parent[key] = normalize_phone(parent[key])
                except ValueError as exc:
                    problems.append({"path": format_path(path), "message": str(exc)})
        moment = now or utc_now()
        for site in self._rules:
            for parent, key, path in _locate(values, site.pattern):
                for rule in site.prop.rules:
                    for p in RULES[rule](parent[key], moment):
                        where = (*path, p["path"]) if p["path"] else path
                        problems.append({"path": format_path(where), "message": p["message"]})
        if problems:
            problems.sort(key=lambda e: e["path"])
            raise InputError(problems)
        for site in self._ids:
            for parent, key, _ in _locate(values, site.pattern, include_missing=True):
                if key not in parent:
                    parent[key] = self._new_id()
        return values


def _locate(
    node: Any, pattern: Path, path: Path = (), include_missing: bool = False
) -> Iterator[tuple[Any, Any, Path]]:
    """``(container, key, path)`` for every place in ``node`` that ``pattern`` names."""
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if not isinstance(node, list):
            return
        for index, item in enumerate(node):
            if rest:
                yield from _locate(item, rest, (*path, index), include_missing)
            else:
                yield node, index, (*path, index)
        return
    if not isinstance(node, dict):
        return
    if rest:
        if head in node:
            yield from _locate(node[head], rest, (*path, head), include_missing)
    elif head in node or include_missing:
        yield node, head, (*path, head)


def _uuid() -> str:
    # os.urandom + formatting is several times faster than uuid.uuid4() for large bulks.
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
