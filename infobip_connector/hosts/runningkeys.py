"""The execution keys of the sends a long-running host (``serve``, MCP) is running now.

Two sends with one ``idempotency_key`` carry the same IDs. Run at the same time, both are
sent unless the account has idempotent sending, and with it the second is refused as a
duplicate while the first's outcome is still open. So a host refuses a send whose key is
in use, in its own words (``refusal``), before anything is sent; the key is free again
once the first send has ended, however it ended. Thread-safe, for a host that runs sends
on threads (``serve`` and MCP run theirs on one event loop).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class RunningKeys:
    """A set of keys in use, claimed for the length of a ``with`` block."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    @contextmanager
    def held(self, key: str | None, refusal: Callable[[], Exception]) -> Iterator[None]:
        """Hold ``key`` (None: nothing to hold) for the block; raises ``refusal()`` when a
        block holding it is still running."""
        if key is None:
            yield
            return
        with self._lock:
            if key in self._keys:
                raise refusal()
            self._keys.add(key)
        try:
            yield
        finally:
            with self._lock:
                self._keys.discard(key)
