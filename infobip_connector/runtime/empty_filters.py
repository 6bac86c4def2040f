"""Filters given empty: refused, never taken for "no filter".

The pruning (``values.py``) drops every empty member as a field nobody filled in. For a
member that goes into the URL (``in: query`` or ``in: path``: a report's ``bulkId``, a log's
``messageId`` list) that would turn a filter into no filter: ``{"bulkId": ""}`` (what a
chained ``{{send.bulkId}}`` gives when it comes out empty) would pull, and for a consume
take for good, the reports of every bulk. So such a member given ``null``, ``""``, ``[]``
or ``{}`` is a problem at its own path; a member that is absent is still "no filter". The
editor and the Airflow operator leave a field nobody filled in out of the input, so no form
sends one of these by itself. A required member given empty is left to the schema
("is required").
"""

from __future__ import annotations

from typing import Any

from ..definition.model import Property
from .problems import Parts, Problem


def url_members(root: Property) -> tuple[str, ...]:
    """The optional top-level inputs of ``root`` that go into the URL (query or path)."""
    return tuple(
        child.name
        for child in root.properties or []
        if child.name is not None and child.location != "body" and not child.required
    )


def empty_filter_problems(values: dict[str, Any], names: tuple[str, ...]) -> list[Problem]:
    """A problem for each member of ``names`` that ``values`` (the input, before pruning)
    gives empty: ``null``, ``""``, an empty list or an empty object."""
    problems: list[Problem] = []
    for name in names:
        if name not in values:
            continue
        value = values[name]
        given = _spelled_empty(value)
        if given is not None:
            problems.append(
                (
                    (name,),
                    f"was given empty ({given}); give a value to filter by, or leave "
                    f"{name} out to fetch without it",
                )
            )
    return problems


def unknown_empty_problems(values: Any, pruned: Any, prop: Property) -> list[Problem]:
    """A problem for each member of ``values`` (the input, before pruning) that ``prop``
    does not declare and the pruning dropped as empty (``{"bulkID": ""}``).

    The schema sees only ``pruned``, so without this a misspelled member given empty would
    vanish, and a misspelled filter would fetch (or consume) unfiltered. A given unknown
    member still in ``pruned`` is left to the schema, which reports it. Objects with free
    members (``values``) or several forms are not walked: their names are data.
    """
    problems: list[Problem] = []
    _walk(values, pruned, prop, (), problems, {})
    return problems


def _walk(
    value: Any,
    pruned: Any,
    prop: Property,
    path: Parts,
    out: list[Problem],
    known: dict[int, dict[str, Property]],
) -> None:
    if prop.values is not None or prop.forms:
        return
    # A tuple is a list wherever the input takes one (values._as_plain); the pruned
    # copy holds it as a list.
    if isinstance(value, list | tuple) and prop.items is not None:
        for index, item in enumerate(value):
            kept = pruned[index] if isinstance(pruned, list) and index < len(pruned) else None
            _walk(item, kept, prop.items, (*path, index), out, known)
        return
    if not isinstance(value, dict) or not prop.properties:
        return
    # Built once per property of the walk, not once per recipient of a bulk.
    declared = known.get(id(prop))
    if declared is None:
        declared = {child.name: child for child in prop.properties if child.name is not None}
        known[id(prop)] = declared
    kept_members = pruned if isinstance(pruned, dict) else {}
    for name, member in value.items():
        child = declared.get(name)
        if child is not None:
            _walk(member, kept_members.get(name), child, (*path, name), out, known)
        elif name not in kept_members:
            names = ", ".join(declared)
            out.append(((*path, name), f"unknown property {name!r}; expected one of: {names}"))


def _spelled_empty(value: Any) -> str | None:
    """How an empty ``value`` is written in JSON, None when it is not empty."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return None if value else '""'
    if isinstance(value, list | tuple):
        return None if value else "[]"
    if isinstance(value, dict):
        return None if value else "{}"
    return None
