"""Bounding replay by the events' own time: an event older than a maximum age is stale.

A webhook body signed once can be posted again by whoever captured it (a proxy log, a
misdirected URL), and the repeat window only remembers what it saw while it lived. But
Infobip's events carry their own time (``receivedAt``, ``doneAt``, ``seenAt``, ``sentAt``), so
an event older than ``max_age`` is not returned as new: it is refused at that field's path.
Replay is then bounded to ``max_age``, which the repeat window covers when it lasts as long.

Infobip's times look like ``2019-07-01T10:00:00.000+0000``; an event without a readable time
with an offset cannot be bounded this way and is let through (README says so).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..runtime.problems import given
from .recent import WEBHOOK_MAX_AGE

#: The fields that say when an event happened, the first present one counts.
EVENT_TIMES = ("receivedAt", "doneAt", "seenAt", "sentAt")
#: Default maximum age (seconds): a week. Far above the 48 hours a message stays valid for
#: delivery and a day of Infobip's retries to an unreachable receiver (a weekend's outage of
#: the receiver included), so no genuine event is refused, while a replay is bounded.
DEFAULT_MAX_EVENT_AGE = WEBHOOK_MAX_AGE


def event_time(event: dict[str, Any]) -> tuple[str, float] | None:
    """``(field, seconds since 1970)`` of ``event``'s own time, None when it has none."""
    for name in EVENT_TIMES:
        value = event.get(name)
        if isinstance(value, str):
            when = _parse(value)
            if when is not None:
                return name, when
    return None


def _parse(text: str) -> float | None:
    # fromisoformat (3.11) reads "+0000" and "Z" too; a time without an offset is ambiguous.
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when.timestamp() if when.tzinfo is not None else None


def stale(
    events: list[dict[str, Any]], positions: list[int], max_age: float, now: float
) -> tuple[set[int], list[dict[str, Any]]]:
    """The positions in ``events`` that are older than ``max_age`` seconds at ``now``, and
    their refusals (``{"path", "errors", "item"}`` as for unreadable items)."""
    old: set[int] = set()
    refusals = []
    for at, (event, index) in enumerate(zip(events, positions, strict=True)):
        found = event_time(event)
        if found is None or now - found[1] <= max_age:
            continue
        old.add(at)
        message = (
            f"is older than the maximum event age ({max_age:g} s): not a new event (a replay, "
            "or a delivery later than any retry of Infobip's)" + given(event[found[0]])
        )
        path = f"results[{index}]"
        refusals.append(
            {
                "path": path,
                "errors": [{"path": f"{path}.{found[0]}", "message": message}],
                "item": event,
            }
        )
    return old, refusals
