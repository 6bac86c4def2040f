"""The repeat windows: keys of events already returned, bounded in count and in time.

Infobip posts a webhook body again when it thinks a delivery failed (a timeout, a 5xx), and a
pull endpoint may hand out an item a previous, lost poll already returned; a trigger returns
each event once by remembering its key (the trigger module's ``event_key``) for a while.
Memory must stay bounded whatever arrives, so a window forgets a key after ``max_age``
seconds or once ``max_keys`` newer keys came, whichever is first. A repeat older than that is
returned again: the bounds are documented (README, "Triggers") so an engine can size them.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import InputError, member_path

#: Defaults of a webhook's in-process window: 100,000 events (about 15 MB at most), each for
#: as long as an event is accepted at all (``age.DEFAULT_MAX_EVENT_AGE``, a week), so that a
#: body posted again within that time is a repeat, and later one whose events are stale.
WEBHOOK_MAX_KEYS = 100_000
WEBHOOK_MAX_AGE = 7 * 24 * 3600.0
#: Defaults of a poll's window, kept in the state the engine stores (about 40 bytes a key):
#: the 48 hours Infobip keeps items for pulling, and ten polls of 100 items.
POLL_MAX_KEYS = 1_000
POLL_MAX_AGE = 48 * 3600.0
#: A poll state remembers keys as short digests: 64 bits, no collision in any real window.
_DIGEST_BYTES = 8
_STATE_VERSION = 1
#: The latest time a poll takes or a state holds: the end of the year 9999, in seconds.
LATEST_TIME = 253_402_300_799


class Window:
    """Keys with the time they were first seen, oldest first; not thread-safe on its own."""

    def __init__(self, max_keys: int, max_age: float) -> None:
        if max_keys < 1 or not max_age > 0:
            raise ValueError("a repeat window needs max_keys >= 1 and max_age > 0")
        self.max_keys = max_keys
        self.max_age = max_age
        self._seen: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def admit(self, keys: Iterable[str], now: float) -> list[bool]:
        """For each key, whether it is new (then remembered from ``now`` on).

        A key repeated within ``keys`` is new only the first time.
        """
        self._expire(now)
        fresh = []
        for key in keys:
            new = key not in self._seen
            if new:
                self._seen[key] = now
            fresh.append(new)
        while len(self._seen) > self.max_keys:
            self._seen.popitem(last=False)
        return fresh

    def _expire(self, now: float) -> None:
        # Oldest first, so stop at the first key still young enough. A clock that went back
        # (wall time in a poll state) keeps keys longer, never shorter.
        while self._seen:
            key, seen = next(iter(self._seen.items()))
            if now - seen < self.max_age:
                break
            del self._seen[key]

    def forget(self, keys: Iterable[str]) -> None:
        """Drop ``keys`` from the window (those not in it are ignored)."""
        for key in keys:
            self._seen.pop(key, None)

    def items(self) -> list[tuple[str, float]]:
        return list(self._seen.items())


class RecentKeys:
    """A webhook's repeat window in memory, shared by concurrent requests (thread-safe).

    ``clock`` is monotonic by default: a webhook's window lives as long as its process.
    """

    def __init__(
        self,
        max_keys: int = WEBHOOK_MAX_KEYS,
        max_age: float = WEBHOOK_MAX_AGE,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._window = Window(max_keys, max_age)
        self._clock = clock
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._window)

    def admit(self, keys: Iterable[str]) -> list[bool]:
        """Which of ``keys`` are new; all of one request are admitted at once, atomically,
        so two deliveries of the same body racing each other return its events once.

        Keys are kept as digests (16 characters), whatever their length.
        """
        digests = [digest(key) for key in keys]
        with self._lock:
            return self._window.admit(digests, self._clock())

    def to_state(self) -> dict[str, Any]:
        """The window as small JSON (``version``, ``recent``), to keep across a restart; only
        meaningful for a window on the wall clock (:meth:`from_state`)."""
        with self._lock:
            return state_of(self._window)

    @classmethod
    def from_state(
        cls, state: Any, *, max_keys: int = WEBHOOK_MAX_KEYS, max_age: float = WEBHOOK_MAX_AGE
    ) -> RecentKeys:
        """A window on the wall clock holding what :meth:`to_state` wrote (``None``: empty),
        so a process restarted does not return again what it returned before. A state that is
        not one: InputError naming the part at fault."""
        keys = cls(max_keys, max_age, clock=time.time)
        keys._window = window_from_state(
            state, int(time.time()), max_keys=max_keys, max_age=max_age
        )
        return keys

    def release(self, keys: Iterable[str]) -> None:
        """Forget ``keys`` (event keys, as ``admit`` took them), so their events count as new
        again: for a host that could not use the events it was given (its workflows did not
        start) and answers Infobip 5xx, so that Infobip's retry returns them once more.
        Keys not in the window are ignored."""
        digests = [digest(key) for key in keys]
        with self._lock:
            self._window.forget(digests)


def digest(key: str) -> str:
    """The short form a poll state keeps of an event key."""
    data = key.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=_DIGEST_BYTES).hexdigest()


def window_from_state(
    state: Any, now: int, *, max_keys: int = POLL_MAX_KEYS, max_age: float = POLL_MAX_AGE
) -> Window:
    """The poll window a state holds; ``None`` or ``{}`` is a first poll. ``now``: the poll's
    time in whole seconds (a time in the state later than it counts as ``now``, so a clock
    that went back never keeps a key for ever).

    A state that is not what :func:`state_of` wrote is an InputError naming the part at
    fault: an engine that lost or mangled its state must know, never silently start over
    (which would return events again).
    """
    window = Window(max_keys, max_age)
    if state is None or state == {}:
        return window
    problems = _state_problems(state, max_keys)
    if problems:
        raise InputError(
            problems, "The trigger state is not one a poll returned: " + problems[0]["message"]
        )
    entries = sorted(state["recent"].items(), key=lambda item: item[1])
    for key, seen in entries:
        window._seen[key] = float(min(seen, now))
    return window


def check_time(value: Any, path: str) -> int:
    """``value`` as whole seconds since the epoch, or an InputError at ``path``: a number,
    finite, from 1970 to the year 9999 (what a poll state can hold and read back)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 <= value <= LATEST_TIME  # also refuses NaN
    ):
        message = f"must be a time in seconds since 1970, 0 to {LATEST_TIME}"
        raise InputError([{"path": path, "message": message}], f"{path} {message}")
    return int(value)


def _state_problems(state: Any, max_keys: int) -> list[dict[str, str]]:
    if not isinstance(state, dict):
        return [{"path": "state", "message": "must be the object a previous poll returned"}]
    version = state.get("version")
    if type(version) is not int or version != _STATE_VERSION:
        return [{"path": "state.version", "message": f"must be {_STATE_VERSION}"}]
    unknown = sorted(map(str, set(state) - {"version", "recent"}))
    if unknown:
        return [
            {
                "path": member_path("state", unknown[0][:40]),
                "message": "is not part of a trigger state",
            }
        ]
    recent = state.get("recent")
    if not isinstance(recent, dict):
        return [{"path": "state.recent", "message": "must be an object of key digests"}]
    if len(recent) > max_keys:
        return [{"path": "state.recent", "message": f"has more than {max_keys} keys"}]
    hex_length = 2 * _DIGEST_BYTES
    for key, seen in recent.items():
        if not isinstance(key, str) or len(key) != hex_length or key.strip("0123456789abcdef"):
            return [
                {
                    "path": "state.recent",
                    "message": f"has a key that is not a digest: {str(key)[:40]!r}",
                }
            ]
        if isinstance(seen, bool) or not isinstance(seen, int) or not 0 <= seen <= LATEST_TIME:
            return [
                {
                    "path": member_path("state.recent", key),
                    "message": "must be a time in whole seconds",
                }
            ]
    return []


def state_of(window: Window) -> dict[str, Any]:
    """The small JSON object an engine stores between polls (``version``, ``recent``)."""
    return {"version": _STATE_VERSION, "recent": {key: int(seen) for key, seen in window.items()}}
