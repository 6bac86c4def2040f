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


# Per thread (by ident): absent outside an answer scope, else _OPEN or _HELD (a large answer
# has paused the collector until the scope closes). A dict rather than a threading.local,
# whose attributes cost about ten times as much to read and set.
_answer_scopes: dict[int, object] = {}
_OPEN, _HELD = object(), object()
_ident = threading.get_ident


def open_answer_scope() -> object:
    """Open a scope from sending a request to shaping its output, on the calling thread;
    pass what it returns to ``close_answer_scope`` (in a ``finally``).

    A large answer that arrives in it (``hold_until_output``) pauses the collector until
    the scope closes, not only while it is parsed: otherwise the first allocation after
    the parse sets off a collection that walks every object of the answer, which the
    shaping then frees anyway (about a tenth of a 100,000-destination send). Only the
    synchronous send opens one: from the answer's arrival to the output there is no wait
    on the network or on another task, so the pause covers CPU work only, as every pause
    here does. Two plain calls rather than a context manager: every send opens one.
    """
    ident = _ident()
    outer = _answer_scopes.get(ident)
    _answer_scopes[ident] = _OPEN
    return outer


def close_answer_scope(outer: object) -> None:
    """Close the scope ``open_answer_scope`` opened (``outer``: what it returned),
    resuming the collector if an answer held it."""
    ident = _ident()
    if _answer_scopes.get(ident) is _HELD:
        paused_gc.__exit__()
    if outer is None:
        del _answer_scopes[ident]
    else:
        _answer_scopes[ident] = outer


def hold_until_output() -> None:
    """Pause the collector until the enclosing answer scope closes; no effect outside one
    or when already held. Called once a success's whole body has been read."""
    ident = _ident()
    if _answer_scopes.get(ident) is _OPEN:
        paused_gc.__enter__()
        _answer_scopes[ident] = _HELD
