"""Hold the cycle collector back while a bulk's data is built or parsed.

Checking a 100,000-destination input or parsing a 100,000-message answer creates hundreds of
thousands of dicts and lists at once. Each burst of allocations triggers full collections
that walk every object the process holds, although these containers form no cycles and are
freed by reference counting. Measured on a 100,000-destination Send SMS, the collections
cost about 40 % of the whole execution. The pause covers synchronous work only (never an
``await`` or a network wait), so garbage from other code is collected right after it.
"""

from __future__ import annotations

import gc
import threading


class _PausedGc:
    """Disable automatic collection inside ``with paused_gc:``; nested and threaded uses compose.

    Collection resumes when the last block exits, and only if it was enabled when the first
    one entered, so an application that turned it off keeps it off. A class rather than a
    generator-based context manager: a small send enters it more than once.
    """

    __slots__ = ("_depth", "_lock", "_resume")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._resume = False

    def __enter__(self) -> None:
        # acquire/release rather than ``with self._lock``: a small send enters and leaves
        # this more than once, and the with-protocol's lookups cost more than the work.
        lock = self._lock
        lock.acquire()
        try:
            if not self._depth:
                self._resume = _isenabled()
                _disable()
            self._depth += 1
        finally:
            lock.release()

    def __exit__(self, *exc_info: object) -> None:
        lock = self._lock
        lock.acquire()
        try:
            self._depth -= 1
            if not self._depth and self._resume:
                _enable()
        finally:
            lock.release()


_isenabled, _disable, _enable = gc.isenabled, gc.disable, gc.enable
paused_gc = _PausedGc()
