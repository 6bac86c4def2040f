"""A request as Infobip reads it: what makes two sends the same send, for the key ledger.

The connector's own request (``ActionRuntime.prepare``: the values read, checked and
normalised, then built by the executor) is the one source of truth of what a send sends.
Two spellings the connector already sends alike (a spaced phone number, ``null`` for an
absent member, ``2.0`` for ``2``) are alike here at once. What is left is the few ways
Infobip reads two different requests as one, each taken from the action's declaration in
``connector.yaml``, never from a list of field names:

- a member given as its declared ``default`` is the member left out (``flash: false``;
  ``sendingSpeedLimit.timeUnit: "MINUTE"``). The object holding it stays: an empty
  ``urlOptions`` still turns URL options on, where an absent one does not;
- a date-time a property declares an instant (``rules: [sendAt]`` or ``[instant]``) is its
  moment: ``…T11:00:00.000+0100`` is ``…T10:00:00.000+0000``;
- an array declared ``uniqueItems`` is a set (``deliveryTimeWindow.days``): its order
  does not count;
- an ID the execution key derived (``derived``) is a placeholder: it follows from the key
  and the content, which are compared anyway, and two spellings of one content (a default
  given or left out) derive two IDs.

Everything else stays as sent, so two requests that differ on the wire stay different: a
member whose declaration is not found where the body has it (an executor that renames
it) is compared as it is, never loosened.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC
from typing import TYPE_CHECKING, Any

import orjson

from .timeutil import infobip_datetime, parse_instant

if TYPE_CHECKING:
    from ..definition.model import Property
    from ..request import InfobipRequest

#: What stands for an ID derived from the execution key: a text no input can hold (half
#: of a UTF-16 pair, which every input text refuses), so a user's ID never reads as one.
DERIVED = "\udbff(derived from the key)"
#: The rules that make a property's text an instant (``runtime/checks.py``).
_INSTANT_RULES = frozenset({"sendAt", "instant"})


def as_read(request: InfobipRequest, declared: Property, derived: Collection[str]) -> Any:
    """``request`` (method, path, query, body) in the form in which two requests Infobip
    reads as one are equal; ``declared``: the action's inputs (``Action.as_property``)."""
    query = [[name, _plain(value, derived)] for name, value in request.query]
    body = _read(request.body, declared, derived)
    path = {name: _plain(value, derived) for name, value in request.path_params.items()}
    return [request.method, request.path, path, query, body]


def _read(value: Any, declared: Property | None, derived: Collection[str]) -> Any:
    """``value`` as Infobip reads it, by its declaration (None: not declared there)."""
    if declared is None:
        return _plain(value, derived)
    if isinstance(value, str):
        if value in derived:
            return DERIVED
        return _instant(value) if _INSTANT_RULES.intersection(declared.rules) else value
    if isinstance(value, dict):
        members = {p.name: p for p in declared.properties or ()}
        read = {}
        for name, member in value.items():
            child = members.get(name)
            if child is not None and _is_default(member, child.default):
                continue  # Infobip reads the default for a member left out
            read[name] = _read(member, child, derived)
        return read
    if isinstance(value, list):
        items = [_read(item, declared.items, derived) for item in value]
        if declared.uniqueItems:
            items.sort(key=orjson.dumps)
        return items
    return value


def _plain(value: Any, derived: Collection[str]) -> Any:
    """``value`` with only the derived IDs replaced: nothing is known of its shape."""
    if isinstance(value, str):
        return DERIVED if value in derived else value
    if isinstance(value, dict):
        return {name: _plain(member, derived) for name, member in value.items()}
    if isinstance(value, list):
        return [_plain(item, derived) for item in value]
    return value


def _is_default(value: Any, default: Any) -> bool:
    """Whether ``value`` is the declared ``default`` (none declared: never); a boolean is
    never a number here, as in JSON."""
    if default is None or isinstance(value, bool) is not isinstance(default, bool):
        return False
    return bool(value == default)


def _instant(text: str) -> str:
    """``text`` (a date-time with its offset) as the same moment in UTC, as Infobip writes
    it; ``text`` itself when it is not one (then compared as written)."""
    try:
        moment = parse_instant(text)
    except ValueError:
        return text
    return infobip_datetime(moment.astimezone(UTC))
