"""Polling a trigger: one consume action run, its items as events, repeats dropped by state.

Infobip's pull endpoints (``GET /sms/1/inbox/reports``, ``GET /sms/3/reports``) hand each
item out once. So a poll whose answer is lost (a timeout after sending, a dropped connection,
an unreadable answer) may have taken items nobody will see again: that is never a silent
empty poll but an ``outcome_unknown`` error saying the items may be lost and where to find
them. The state the engine passes back is then unchanged, and the next poll goes on.

Items are read one by one (``items.py``): an item that cannot be read does not cost the
others, which Infobip will not hand out again. The poll returns the readable ones as events,
with a state that includes them, and the unreadable ones in ``PollResult.refused`` (the item
as Infobip sent it, its path and the problems by path), logged by path; nothing handed out is
dropped without a word.

The state is small JSON (``recent.py``): the digests of the last events' keys with the time
they came, bounded in count and age, so an item a poll hands out again is not returned twice.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from ..errors import InputError, OutcomeUnknownError
from .items import log_refused
from .pollstate import owned, with_owner
from .recent import Window, check_time, digest, state_of, window_from_state
from .runtime import TriggerRuntime

#: Runs the polling action with these values and returns its output (``component`` sends).
Fetch = Callable[[dict[str, Any]], Any]
AsyncFetch = Callable[[dict[str, Any]], Awaitable[Any]]


class PollResult(tuple[list[dict[str, Any]], dict[str, Any]]):
    """``(events, state)`` of one poll, as a pair (``events, state = poll(...)``), and
    ``refused``: the items Infobip handed out that could not be read, each
    ``{"path": "results[i]", "errors": [{"path", "message"}], "item": <as sent>}`` (empty when
    every item was read). Equal to the plain pair: ``refused`` is extra information."""

    refused: list[dict[str, Any]]

    def __new__(
        cls,
        events: list[dict[str, Any]],
        state: dict[str, Any],
        refused: list[dict[str, Any]] | None = None,
    ) -> PollResult:
        result = super().__new__(cls, (events, state))
        result.refused = list(refused or [])
        return result

    def __getnewargs__(self) -> tuple[Any, ...]:
        # copy and pickle rebuild it through __new__, which takes ``refused`` too.
        return (self[0], self[1], self.refused)

    @property
    def events(self) -> list[dict[str, Any]]:
        return self[0]

    @property
    def state(self) -> dict[str, Any]:
        return self[1]

    def to_json(self) -> dict[str, Any]:
        """``{"events", "state", "refused"}``: how the CLI and ``serve`` give a poll's result."""
        return {"events": self.events, "state": self.state, "refused": self.refused}


Polled = PollResult


def poll(
    trigger: TriggerRuntime,
    fetch: Fetch,
    state: Any,
    *,
    now: float | None = None,
    account: str = "",
) -> Polled:
    """``(events, new_state)``: the new events of one poll, and the state to keep; a
    :class:`PollResult`, whose ``refused`` lists the items that could not be read.

    ``state`` is what the previous poll returned (``None`` for the first); a state that is
    not, or one of another trigger or ``account`` (``pollstate.account_of``), is an
    InputError at ``state``, and a ``now`` (seconds since 1970; the clock when
    ``None``) that is not a time is one at ``now``, both before anything is fetched. Errors
    of the action propagate as they are (nothing was handed out: authentication,
    unreachable, ...), except an unknown outcome, which becomes an OutcomeUnknownError
    saying items may be lost.
    """
    window, values, clock = _start(trigger, state, now, account)
    try:
        output = fetch(values)
    except OutcomeUnknownError as exc:
        raise _lost(trigger, exc.details) from None
    return _finish(trigger, window, output, clock, account)


async def poll_async(
    trigger: TriggerRuntime,
    fetch: AsyncFetch,
    state: Any,
    *,
    now: float | None = None,
    account: str = "",
) -> Polled:
    """The async twin of :func:`poll`."""
    window, values, clock = _start(trigger, state, now, account)
    try:
        output = await fetch(values)
    except OutcomeUnknownError as exc:
        raise _lost(trigger, exc.details) from None
    return _finish(trigger, window, output, clock, account)


def _start(
    trigger: TriggerRuntime, state: Any, now: Any, account: str
) -> tuple[Window, dict[str, Any], int]:
    """The window the state holds, the values of the action's run and the poll's time in
    whole seconds; every input checked here, so nothing is fetched for a bad one."""
    source = trigger.trigger.polling
    if source is None:
        raise InputError([{"path": "trigger", "message": f"{trigger.name} cannot be polled"}])
    clock = check_time(time.time() if now is None else now, "now")
    mine = owned(state, trigger.name, account)
    return window_from_state(mine, clock), {"limit": source.limit}, clock


def _finish(
    trigger: TriggerRuntime, window: Window, output: Any, clock: int, account: str
) -> Polled:
    try:
        batch = trigger.read(output)
    except InputError as exc:
        # Not a list of items at all: whatever was handed out is lost; say so, never skip.
        raise _lost(trigger, {"errors": exc.errors}) from None
    events = batch.events
    fresh = window.admit((digest(trigger.key(event)) for event in events), clock)
    new_events = [event for event, new in zip(events, fresh, strict=True) if new]
    log_refused(f"{trigger.name} poll", batch.refused)
    state = with_owner(state_of(window), trigger.name, account)
    return PollResult(new_events, state, batch.refused)


def _lost(trigger: TriggerRuntime, details: dict[str, Any]) -> OutcomeUnknownError:
    action = trigger.trigger.polling.action if trigger.trigger.polling else ""
    look_up = details.get("lookUp") or "Infobip's logs of the last 48 hours"
    return OutcomeUnknownError(
        f"The {trigger.trigger.title} poll ({action}) lost its answer: Infobip hands each item "
        "out once, so items it handed out may now be lost; they are not returned by a later "
        f"poll. Look them up instead: {look_up}. Keep the previous state for the next poll.",
        {**details, "trigger": trigger.name, "action": action, "itemsMayBeLost": True},
    )
