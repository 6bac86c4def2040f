"""The stop signals of a worker process, held from its first moments to its last.

``serve`` and ``mcp`` (:data:`COMMANDS`) answer every request they read, also when told to
stop: SIGTERM (SIGINT, SIGHUP) makes them stop reading and answer. Their handlers can only
be installed once the event loop runs, after the imports of the component (a second or more
on a busy machine); a signal arriving before would end the process by the default action,
with the client's first requests unanswered. So the process blocks these signals first thing
(:func:`hold`: the package's first lines under the console script, ``__main__`` and the
CLI's ``main``): one that arrives stays pending, and is delivered to the worker's handler
the moment :func:`release` unblocks it. Once the worker has answered everything, it blocks
them again (:func:`hold`) for the rest of the process: the loop's closing restores the
default actions, and a signal arriving then (a supervisor sending SIGTERM, then SIGINT)
would turn a clean exit 0 into a death by signal. The mask is the main thread's alone, so the
signals are then also ignored (:func:`ignore`) for the threads started meanwhile.

A flood of signals (a supervisor repeating SIGTERM) fills the loop's wakeup socket faster than
the loop reads it. CPython then reports each signal it could not write there by queueing a
call from inside the signal handler, which takes a lock: a signal arriving while that lock is
held (by the interpreter, or by the handler of the signal before) waits for it for ever, and
the process neither answers nor exits. :func:`on_stop_signals` therefore sets the loop's
wakeup descriptor without that report (``warn_on_full_buffer=False``, as uvloop does): the
bytes already waiting wake the loop anyway.

POSIX only (``signal.pthread_sigmask``); elsewhere these do nothing. Only a process's own
entry point calls :func:`hold` (never a library call; the package's first lines do only in
the console script's own process): the mask is the calling thread's,
inherited by the threads it starts.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator, Sequence

#: The signals that ask a worker to stop.
NAMES = ("SIGTERM", "SIGINT", "SIGHUP")
#: The long-lived commands that answer a stop signal: held from their first moments.
COMMANDS = frozenset({"serve", "mcp"})

_held = False


def _numbers() -> set[signal.Signals]:
    return {getattr(signal, name) for name in NAMES if hasattr(signal, name)}


def hold() -> None:
    """Block the stop signals: one that arrives waits until :func:`release`."""
    global _held
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, _numbers())
        _held = True


def ignore() -> None:
    """From now on a stop signal does nothing, whichever thread it reaches (main thread only).

    :func:`hold` blocks the signals in the calling thread alone. Threads started while they
    were released (a request's reading thread, the event loop's worker threads) take them
    with the action of the moment: once the loop's handlers are gone, the default one, which
    ends the process. A worker that has answered everything ignores them for the rest of the
    process instead; one already pending is dropped.
    """
    if not _held:
        return
    for number in _numbers():
        with contextlib.suppress(ValueError, OSError):
            signal.signal(number, signal.SIG_IGN)


@contextlib.contextmanager
def kept_from_new_threads() -> Iterator[None]:
    """Threads started in the block never take a stop signal: only the main thread does.

    A new thread starts with the signal mask of the thread that starts it, so the signals
    are blocked here for that moment (one arriving meanwhile is delivered when the block
    ends). Otherwise, once the worker holds them again after its last answer, a late signal
    would go to such a thread, with the default action of that moment: the end of the
    process. POSIX only; elsewhere it does nothing.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _numbers())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


async def keep_from_loop_threads() -> None:
    """Keep the running loop's own threads from taking a stop signal (see
    :func:`kept_from_new_threads`); called while the signals are held, a no-op otherwise.

    - The default executor (asyncio runs its name lookups there, aiohttp's among them) makes
      its threads as work comes, with the mask of that moment: it is replaced by one whose
      threads block the stop signals first thing.
    - uvloop runs its name lookups on libuv's thread pool, made on first use, all its
      threads at once, each with the mask of the thread that makes it: it is made now, by
      one lookup of a numeric address (no resolver is asked), so its threads block them.
    """
    if not _held:
        return
    import asyncio
    import socket
    from concurrent.futures import ThreadPoolExecutor

    loop = asyncio.get_running_loop()
    loop.set_default_executor(
        ThreadPoolExecutor(thread_name_prefix="asyncio", initializer=_block_here)
    )
    if type(loop).__module__.partition(".")[0] == "uvloop":
        with contextlib.suppress(OSError):
            await loop.getaddrinfo("127.0.0.1", None, flags=socket.AI_NUMERICHOST)


def _block_here() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, _numbers())


def wanted(argv: Sequence[str]) -> bool:
    """Whether the command line ``argv`` (without the program) runs one of :data:`COMMANDS`:
    read before the parser loads, so any argument naming one counts (a command that turns
    out to be another releases the signals once parsed)."""
    return any(word in COMMANDS for word in argv)


def held() -> bool:
    """Whether :func:`hold` blocked the signals (and :func:`release` has not yet)."""
    return _held


def take_pending() -> int:
    """How many different stop signals came while held; they are taken, not delivered.

    The one taking them acts on each itself, before anything else happens: delivered by
    :func:`release`, they would reach the loop's handler a turn or two later, after the
    loop may already have read and started a request waiting in the pipe. 0 when the
    signals are not held, or without POSIX signals.
    """
    if not _held or not hasattr(signal, "sigpending"):
        return 0
    taken = 0
    for number in sorted(signal.sigpending() & _numbers()):
        if signal.sigtimedwait([number], 0) is not None:
            taken += 1
    return taken


def release() -> None:
    """Unblock the stop signals held: any that arrived is delivered now, to the handlers of
    this moment. Does nothing when they are not held."""
    global _held
    if _held:
        _held = False
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _numbers())


def on_stop_signals(handler: Callable[[], None]) -> Callable[[], None]:
    """Call ``handler`` on each stop signal in the running event loop; gives the function
    that removes it again. Signals a loop cannot handle (Windows) keep their default action.
    The loop's wakeup descriptor is left without the report of a full one (module docstring):
    a loop that adds a signal handler later turns it on again.
    """
    import asyncio  # not at import time: this module is read first thing, before the loop

    loop = asyncio.get_running_loop()
    installed = []
    for name in NAMES:
        number = getattr(signal, name, None)  # no SIGHUP on Windows
        if number is None:
            continue
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(number, handler)
            installed.append(number)
    if installed:
        _no_report_when_full()

    def remove() -> None:
        for number in installed:
            loop.remove_signal_handler(number)

    return remove


def _no_report_when_full() -> None:
    """Keep the signal wakeup descriptor the loop set, minus the report of a full one.

    With the report, each signal that finds the descriptor full has the C signal handler
    queue a call under a lock that is not safe to take there: a signal that interrupts the
    holder (the interpreter running its queued calls, or another signal's handler) waits on
    it for ever. asyncio's loop sets the descriptor with the report on (uvloop's without):
    it is set again, the same descriptor, with every signal blocked meanwhile so that none
    comes to this thread while no descriptor is set. Main thread only, as the loop's handlers are.
    """
    if not hasattr(signal, "pthread_sigmask"):
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        fd = signal.set_wakeup_fd(-1)
        if fd != -1:
            signal.set_wakeup_fd(fd, warn_on_full_buffer=False)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def handling(handler: Callable[[], None], *, pending_first: bool = False) -> Iterator[None]:
    """``handler`` on each stop signal for the block (:func:`on_stop_signals`).

    The signals held since start-up are released once it is in place, so one that came
    meanwhile reaches it now; with ``pending_first``, such a signal is taken instead
    (:func:`take_pending`) and ``handler`` called for it before the block runs at all. When
    the block ends (every answer given) they are held again before the handler goes, so a
    later one waits for the exit rather than kill the process, and then ignored
    (:func:`ignore`).
    """
    remove = on_stop_signals(handler)
    was_held = held()
    if pending_first:
        for _ in range(take_pending()):
            handler()
    release()
    try:
        yield
    finally:
        if was_held:
            hold()
        remove()  # before the loop closes its wakeup socket (a signal then finds none set)
        ignore()
