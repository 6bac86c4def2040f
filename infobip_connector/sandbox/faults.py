"""Scripted and random faults: what the sandbox does instead of (or after) answering normally."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Drop = Literal["before_response", "mid_body", "hang"]
FaultKind = Literal["server_error", "unavailable", "rate_limited", "drop", "lost_answer"]
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour.

    ``status`` and ``body`` replace the answer (``body`` defaults to the legacy error body for
    ``status``); with neither, the client gets a 500 (``replaced_status``). ``process=True``
    first handles the request normally, so messages are accepted and recorded even though the
    client sees the fault: with no ``status`` but a ``delay`` or ``drop``, the normal answer is
    then delayed or dropped; with neither, the answer is lost and a 500 is seen instead.
    ``delay`` is latency before answering. ``drop`` closes the connection without an answer
    (``before_response``), after the headers and half the body (``mid_body``), or never
    answers until the client gives up or the server stops (``hang``).
    """

    status: int | None = None
    body: bytes | str | dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: Drop | None = None
    process: bool = False

    def __post_init__(self) -> None:
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP status code, not {self.status}")
        if self.delay < 0:
            raise ValueError("delay must not be negative")
        if self.drop is not None and self.drop not in get_args(Drop):
            raise ValueError(f"drop must be one of {get_args(Drop)}, not {self.drop!r}")

    @property
    def replaced_status(self) -> int | None:
        """The status that replaces the normal answer; None when the normal answer of a
        processed request is only delayed or cut (``process`` with a ``delay`` or ``drop``)."""
        if self.status is not None:
            return self.status
        if self.process and (self.delay or self.drop):
            return None
        return 500

    def describe(self) -> str:
        """What the client sees, e.g. ``fault 500`` or ``fault delay 2s, drop mid_body``."""
        parts = []
        status = self.replaced_status
        if status is not None and self.drop not in ("before_response", "hang"):
            parts.append(str(status))  # a connection closed before the answer shows none
        if self.delay:
            parts.append(f"delay {self.delay:g}s")
        if self.drop:
            parts.append(f"drop {self.drop}")
        return "fault " + ", ".join(parts)


_RANDOM_FAULTS: dict[FaultKind, Fault] = {
    "server_error": Fault(status=500),
    "unavailable": Fault(status=503),
    "rate_limited": Fault(status=429, headers={"Retry-After": "0"}),
    "drop": Fault(drop="before_response"),
    # Accepted, then the answer is lost: the case only idempotent message IDs can reconcile.
    "lost_answer": Fault(status=500, process=True),
}


def _matches(pattern: str, value: str) -> bool:
    return pattern == "*" or pattern == value


class FaultPlan:
    """Queued faults per (method, path), then a seeded random fault rate. Not thread-safe on its
    own: the sandbox calls it under its lock."""

    def __init__(self) -> None:
        self._scripted: list[tuple[str, str, deque[Fault]]] = []
        self._rate = 0.0
        self._random = random.Random(0)
        self._kinds: tuple[FaultKind, ...] = FAULT_KINDS
        self._paths: frozenset[str] | None = None

    def script(self, method: str, path: str, faults: tuple[Fault, ...]) -> None:
        key = (method.upper(), path)
        for entry_method, entry_path, queue in self._scripted:
            if (entry_method, entry_path) == key:
                queue.extend(faults)
                return
        self._scripted.append((key[0], key[1], deque(faults)))

    def set_rate(
        self,
        rate: float,
        seed: int,
        kinds: Collection[FaultKind],
        paths: Collection[str] | None,
    ) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        unknown = set(kinds) - set(FAULT_KINDS)
        if unknown or not kinds:
            raise ValueError(f"kinds must be a non-empty selection of {FAULT_KINDS}")
        self._rate = rate
        self._random = random.Random(seed)
        self._kinds = tuple(kind for kind in FAULT_KINDS if kind in kinds)
        self._paths = frozenset(paths) if paths is not None else None

    def pending(self) -> int:
        return sum(len(queue) for _, _, queue in self._scripted)

    def next_fault(self, method: str, path: str) -> Fault | None:
        for entry_method, entry_path, queue in self._scripted:
            if queue and _matches(entry_method, method) and _matches(entry_path, path):
                return queue.popleft()
        if self._rate <= 0.0 or (self._paths is not None and path not in self._paths):
            return None
        if self._random.random() >= self._rate:
            return None
        return _RANDOM_FAULTS[self._random.choice(self._kinds)]
