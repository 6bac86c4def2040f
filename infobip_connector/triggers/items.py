"""One batched body read item by item: the readable items become events, the others are
refused on their own, each with its path, its reasons and the item as Infobip sent it.

Infobip batches items of unrelated messages in one body (a webhook call, a consume answer).
A consume hands each item out once, and a webhook refused as a whole gets the same refusal on
every retry, so one unreadable item must not cost the others: a body whose *shape* is wrong
(not an object with a ``results`` list) is refused whole, but an item is refused alone.

Each field is read strictly, the same for JSON and XML (``xmlbody`` gives XML leaves their
declared type first): a declared field of the wrong type is a problem at its path, never
silently dropped; a value of another type converts by the output rule (``shaping.convert``:
only when lossless, so a whole number given for text keeps every digit and ``"01"`` is no
whole number); an integer must fit in 64 bits (what every JSON writer downstream can write).
Undeclared fields are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..definition.model import Property
from ..errors import InputError
from ..jsonwalk import map_leaves
from ..redaction import get_logger
from ..runtime.shaping import convert
from .results import refused

log = get_logger("infobip_connector.triggers")

_INT64 = 2**63
#: What a leaf of each declared type must be, in a problem's words.
_EXPECTED = {
    "STRING": "text",
    "DATE_TIME": "text",
    "NUMBER": "a number",
    "BOOLEAN": "true or false",
}
#: Where a problem's path names its item.
_ITEM = re.compile(r"results\[(\d+)\]")


@dataclass
class Batch:
    """``events`` (the readable items, shaped and checked) and ``refused``: one
    ``{"path", "errors", "item"}`` per unreadable item (``path`` is ``results[i]``, ``errors``
    its problems by path, ``item`` the item as given, JSON-writable); ``positions`` the index
    in ``results`` of each event."""

    events: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    #: The index in ``results`` of each event.
    positions: list[int] = field(default_factory=list)


def shape(value: Any, prop: Property, path: str, problems: list[dict[str, str]]) -> Any:
    """``value`` as ``prop`` declares it; each mismatch appended to ``problems`` by path."""
    if prop.type == "OBJECT":
        if not isinstance(value, dict):
            problems.append({"path": path, "message": "must be an object"})
            return None
        out = {}
        for child in prop.properties or []:
            given = value.get(child.name)
            if given is not None:
                shaped = shape(given, child, f"{path}.{child.name}", problems)
                if shaped is not None:
                    out[child.name] = shaped
        return out
    if prop.type == "ARRAY":
        if not isinstance(value, list):
            problems.append({"path": path, "message": "must be a list"})
            return None
        assert prop.items is not None
        return [shape(item, prop.items, f"{path}[{i}]", problems) for i, item in enumerate(value)]
    shaped, expected = _leaf(value, prop.type)
    if expected:
        problems.append({"path": path, "message": f"must be {expected}"})
    return shaped


def _leaf(value: Any, kind: str) -> tuple[Any, str]:
    """``(value as kind, "")``, or ``(None, what was expected)``.

    Converted by the output rule (``shaping.convert``: only when lossless, so ``"01"`` is no
    whole number and a float no text); a whole number must also fit in 64 bits."""
    done, converted = convert(value, kind)
    if done and (type(converted) is not int or -_INT64 <= converted < _INT64):
        return converted, ""
    if kind == "INTEGER":
        return None, "a whole number of at most 64 bits"
    return None, _EXPECTED.get(kind, "a declared type")


def item_of(path: str) -> int | None:
    """The index of the item ``path`` names (``results[3].x`` -> 3), None for the body."""
    found = _ITEM.match(path)
    return int(found.group(1)) if found else None


def split(
    items: list[Any], problems: list[dict[str, str]]
) -> tuple[set[int], list[dict[str, Any]]]:
    """The indexes of the items with problems, and their refusals in order.

    Raises the InputError for ``problems`` when one of them is about the body, not an item.
    """
    by_item: dict[int, list[dict[str, str]]] = {}
    for problem in problems:
        index = item_of(str(problem.get("path", "")))
        if index is None or index >= len(items):
            raise refused(problems)
        by_item.setdefault(index, []).append(problem)
    return set(by_item), [
        {"path": f"results[{i}]", "errors": errors, "item": writable(items[i])}
        for i, errors in sorted(by_item.items())
    ]


def writable(value: Any) -> Any:
    """``value`` with integers past 64 bits as their digits, so any JSON writer can write it
    (copied without recursion: a refused item may be nested as deep as an answer may be)."""
    return map_leaves(value, _writable_scalar, str)


def _writable_scalar(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and not -_INT64 <= value < _INT64:
        return str(value)
    return value


def one_by_one(read: Any, items: list[Any]) -> tuple[list[tuple[int, Any]], list[dict[str, str]]]:
    """``read`` (a module's ``events_from_body``) run on each item alone: the ``(index,
    result)`` of those it reads, and the problems of the others re-pathed to their index."""
    done: list[tuple[int, Any]] = []
    problems: list[dict[str, str]] = []
    for index, item in enumerate(items):
        try:
            (result,) = read({"results": [item]})
        except InputError as exc:
            for problem in exc.errors:
                where = str(problem.get("path", ""))
                where = f"results[{index}]" + where[len("results[0]") :]
                problems.append({**problem, "path": where})
        else:
            done.append((index, result))
    return done, problems


def log_refused(where: str, refused: list[dict[str, Any]]) -> None:
    """A WARNING per refused item: its path and first problems, never its contents (they
    are a person's message), for ``where`` (``"newInboundSms webhook"``)."""
    for item in refused:
        log.warning(
            "%s: %s refused (%s); the other items were read, this one is in the refused items",
            where,
            item["path"],
            "; ".join(f"{e['path']}: {e['message']}" for e in item["errors"][:3]),
        )
