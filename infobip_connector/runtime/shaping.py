"""Projecting Infobip's answer onto an action's declared output, one rule for every action.

Most answers already match: they pass the compiled output schema and are returned
untouched (a 100,000-message answer is not copied). Only an answer that does not match is
rebuilt, by this rule:

- an undeclared field is dropped (the output schemas declare every field of Infobip's
  response schemas, so this only removes what Infobip documents nowhere);
- ``null`` is a field not given, as in an input and in a trigger's items: it holds no data;
- a value of another type than declared is converted only when that is lossless and
  unambiguous: a whole number for text (``385911234567`` -> ``"385911234567"``; not for a
  date-time), a whole
  float for a whole number (``3.0`` -> ``3``), and a text that is the value written in JSON
  exactly (``"3"`` -> ``3``, ``"0.01"`` -> ``0.01``, ``"true"`` -> ``true``; not ``"03"``,
  ``"1e2"``, ``" 3"`` or ``"NaN"``);
- any other value is kept as Infobip gave it, never dropped: a read or a consume hands out
  data Infobip may not give again (a consumed report is gone from Infobip), so the output
  carries it whole, as a poll's refused item carries the item as given;
- except a *required* field (a send's message ``status``, a scheduled bulk's ``sendAt``,
  a consume's ``results``): the answer is about it, so one that is not usable makes the
  answer unreadable, an ``outcome_unknown`` naming it (never a silent drop either).

Every value that is not as declared is named in a WARNING (its path and what was declared,
never the value itself: it may be a phone number or a message), converted or kept.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..definition.model import Property, format_path

_INT64 = 2**63
#: Every whole number below this holds in a double exactly, and only one reads as each.
_EXACT = 2**53
#: What each declared type is called in a warning.
_CALLED = {
    "STRING": "text",
    "DATE_TIME": "a date-time text",
    "INTEGER": "a whole number",
    "NUMBER": "a number",
    "BOOLEAN": "true or false",
    "OBJECT": "an object",
    "ARRAY": "a list",
}

Parts = tuple[str | int, ...]


@dataclass
class Fitted:
    """The projected answer (None when it is not an object at all), and the places whose
    value was not as declared: ``converted`` ones now are, ``kept`` ones hold the value as
    given (the output check leaves those places alone), ``unusable`` ones are required."""

    value: Any = None
    converted: list[tuple[Parts, str]] = field(default_factory=list)
    kept: list[tuple[Parts, str]] = field(default_factory=list)
    #: Required fields that are not as declared: the output check reports them.
    unusable: list[tuple[Parts, str]] = field(default_factory=list)

    def notes(self) -> list[str]:
        """``path: what was declared, converted/kept as given`` per place, in path order."""
        said = [(p, f"{what}, converted") for p, what in self.converted]
        said += [(p, f"{what}, kept as given") for p, what in self.kept]
        return [f"{format_path(list(p))}: {what}" for p, what in sorted(said, key=_order)]


def fit(value: Any, prop: Property) -> Fitted:
    """``value`` (an answer of the output ``prop`` declares) projected by the module's rule."""
    fitted = Fitted()
    if not isinstance(value, dict):
        return fitted  # not an answer at all: the caller reports it
    fitted.value = _project(value, prop, (), fitted)
    return fitted


#: Marks, in ``blanked``'s tree of places, a place whose value is replaced.
_HERE = object()


def blanked(value: Any, places: Iterable[Parts]) -> Any:
    """``value`` with the value at each of ``places`` replaced by None, copied only along the
    way to them (``value`` itself is not changed).

    What the output check reads of a fitted answer: the values kept as given are not judged
    (their places' problems are left out), and one of them may be nested deeper than the
    validator reads, which would make the whole answer unreadable.
    """
    tree: dict[Any, Any] = {}
    for parts in places:
        node = tree
        for part in parts:
            node = node.setdefault(part, {})
        node[_HERE] = True
    return _blank(value, tree)


def _blank(value: Any, tree: dict[Any, Any]) -> Any:
    if _HERE in tree:
        return None
    copied: Any
    if type(value) is dict:
        copied = dict(value)
    elif type(value) is list:
        copied = list(value)
    else:
        return value
    for part, below in tree.items():
        if (type(copied) is dict and part in copied) or (
            type(part) is int and type(copied) is list and 0 <= part < len(copied)
        ):
            copied[part] = _blank(copied[part], below)
    return copied


def _project(value: Any, prop: Property, at: Parts, fitted: Fitted) -> Any:
    if prop.type == "OBJECT" and isinstance(value, dict):
        out = {}
        for child in prop.properties or []:
            name = child.name
            given = None if name is None else value.get(name)
            if name is not None and given is not None:
                out[name] = _project(given, child, (*at, name), fitted)
        return out
    if prop.type == "ARRAY" and isinstance(value, list):
        assert prop.items is not None
        items = prop.items
        # A null item is no value of the declared type: kept as given with a WARNING, as
        # any other such item (a consume's other items are data Infobip will not give again).
        return [_project(item, items, (*at, index), fitted) for index, item in enumerate(value)]
    done, converted = convert(value, prop.type)
    if done:
        if converted is not value:
            fitted.converted.append((at, _called(prop.type, value)))
        return converted
    # A required field is what the answer is about (a send's message status, the time a
    # bulk is scheduled for): one that is not usable leaves the output check to refuse it.
    (fitted.unusable if prop.required else fitted.kept).append((at, _called(prop.type, value)))
    return value


def convert(value: Any, kind: str) -> tuple[bool, Any]:
    """``(True, value as kind)`` when it is one or converts losslessly, else ``(False, value)``.

    The one conversion rule of Infobip's values, for an action's output here and for a
    trigger's items (``triggers/items.py``); ``kind`` is a leaf's declared type."""
    if kind in ("STRING", "DATE_TIME"):
        if isinstance(value, str):
            return True, value
        if type(value) is int and kind == "STRING":
            # Every digit kept (a number for an ID or a phone number); a float's text would
            # be a choice, and a number is no date-time.
            return True, str(value)
        return False, value
    if isinstance(value, str):
        value = _json_text(value)
        if value is None:
            return False, None
    if kind == "INTEGER":
        # From 2^53 on a double is not every whole number: 1.2345678901234567e16 reads as
        # ...568, so which whole number Infobip meant is not known.
        if type(value) is float and value.is_integer() and -_EXACT < value < _EXACT:
            return True, int(value)
        return type(value) is int, value
    if kind == "NUMBER":
        ok = type(value) is int or (type(value) is float and math.isfinite(value))
        return ok, value
    if kind == "BOOLEAN":
        return type(value) is bool, value
    return False, value  # an OBJECT or ARRAY given a leaf


def _json_text(text: str) -> Any:
    """The number or boolean ``text`` writes in JSON exactly (its one spelling), else None."""
    try:
        read = json.loads(text, parse_constant=lambda _: None)
    except ValueError:
        return None
    if type(read) not in (int, float, bool) or json.dumps(read) != text:
        return None
    return read


def _called(kind: str, value: Any) -> str:
    return f"declared {_CALLED.get(kind, kind)}, given {json_kind(value)}"


def json_kind(value: Any) -> str:
    """What ``value`` (read from JSON) is, in words: ``a list``, ``text``, ``an object``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _order(note: tuple[Parts, str]) -> list[tuple[int, str]]:
    return [(part, "") if isinstance(part, int) else (-1, part) for part in note[0]]
