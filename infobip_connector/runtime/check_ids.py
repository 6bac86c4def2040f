"""The IDs the checks give messages and the paths they report problems at.

Client-assigned IDs (``generatedId``) are drawn here when left out; an ID the idempotency
key derives must not equal one given elsewhere in the same send. Paths of places are kept
as nested pairs while the pass runs and spelled out only for an error message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from ..definition.model import format_path
from .check_plan import Plan
from .problems import Parts, Problem


def clash_problems(plan: Plan, values: Any, clashes: list[tuple[str, Trail, str]]) -> list[Problem]:
    """A derived ID equal to one given elsewhere: two messages would share an ID.

    Infobip would reject the second as a duplicate, and with idempotent sending a retry's
    duplicate rejection could be taken for proof that a message never sent was accepted.
    """
    given_at = {(name, value): parts for name, value, parts in given_ids(plan, values, ())}
    problems: list[Problem] = []
    for key, owner, derived in clashes:
        where = given_at.get((key, derived))
        other = format_path(where) if where is not None else f"another {key}"
        problems.append(
            (
                (*trail_parts(owner), key),
                f"would get {derived!r}, the ID the idempotency key derives for this message, "
                f"which {other} already gives: every message needs an ID of its own (give "
                "this one its own ID, or leave the other to the key)",
            )
        )
    return problems


def given_ids(plan: Plan, value: Any, parts: Parts) -> Iterator[tuple[str, str, Parts]]:
    """``(member name, ID, path)`` of every ID given in a list, in document order."""
    if type(value) is dict:
        for name, child in plan.keys.items():
            if name not in value:
                continue
            if child.unique and type(value[name]) is str:
                yield name, value[name], (*parts, name)
            else:
                yield from given_ids(child, value[name], (*parts, name))
    elif type(value) is list and plan.star is not None:
        for index, item in enumerate(value):
            yield from given_ids(plan.star, item, (*parts, index))


# A place's path is kept as nested pairs ``(parent, key)``: building a pair per recipient is
# cheap, and the flat path is only spelled out for an error message.
Trail = tuple[Any, ...]


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def below_parts(below: str) -> Parts:
    """``"body.placeholders[1]"`` → ``("body", "placeholders", 1)``."""
    return tuple(
        int(m.group(2)) if m.group(2) is not None else m.group(1) for m in _STEP.finditer(below)
    )


def trail_parts(trail: Trail) -> Parts:
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
