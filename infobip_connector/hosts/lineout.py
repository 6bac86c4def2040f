"""A host's protocol stdout: whole lines out, in order, never holding the event loop.

``serve`` and the MCP server over stdio write their answers here, one mechanism for both.
A client that reads its end slowly, or not at all for a while, fills the pipe; a blocking
write would then hold the whole loop (every call in flight, the reading of stdin, the stop
signals) until the client reads. So a pipe or socket (made non-blocking for the host's life,
``nonblocking.py``) is written by :class:`PipeOutput`: what the pipe takes now is written,
the rest is queued, whole lines in order, and written when the loop reports room. A regular
file or a terminal (never a stall the loop must outlive) is written at once by
:class:`BlockingOutput`, as is a test's list.

The rules, the same for both hosts:

- **Backpressure.** Past :data:`HIGH_WATER` bytes queued the output is ``congested``: the
  host takes no new call until the client reads (the calls in flight run on), so a client
  that stops reading makes the host wait, not grow. ``room`` is called, and ``wait_room``
  returns, once it is not.
- **Failure.** A write that fails (the client closed its end: EPIPE) is never raised: every
  line not written whole is given to ``lost`` with why, once, and so is every line written
  later. Each line carries tags (the host's records of its answers: what the log names of
  one, or the message itself) so that each lost answer is logged in one line of its own.
- **Written.** ``written``, when given, is told the tags of each line once it is out whole;
  :meth:`Output.until_written` waits for one line (its ``write``'s mark).
- **The end.** :meth:`Output.drained` waits for the queue to empty only so long
  (``--grace``): a client that neither reads nor closes its end would otherwise keep the
  process alive for ever. What it has not taken then is given up (a line cut off mid-way
  too) and handed back, for the host to log each answer (:func:`not_read`'s reason).
"""

from __future__ import annotations

import asyncio
import os
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

from .nonblocking import nonblocking

#: Bytes of answers queued past which the host takes no new call.
HIGH_WATER = 4 * 1024 * 1024

T = TypeVar("T")

#: Told why stdout failed, and the tags of the lines it did not take.
Lost = Callable[[str, list[T]], None]
#: Told the tags of a line written whole.
Written = Callable[[list[T]], None]


def failed(exc: OSError) -> str:
    """Why a write failed, as a log line says it (``exc``: the write's error)."""
    return f"stdout cannot be written: {exc.strerror or exc}"


def not_read(timeout: float) -> str:
    """Why the answers :meth:`Output.drained` gave up were lost (``timeout``: seconds)."""
    return f"stdout was not read within the grace period ({timeout:g}s)"


class Output(Protocol[T]):
    """Where a host's answer lines go."""

    def attach(
        self, lost: Lost[T], room: Callable[[], None], written: Written[T] | None = None
    ) -> None:
        """``lost`` is called when a write fails; ``room`` when a congestion ends;
        ``written`` (optional: a host that needs to know) as each line goes out whole."""

    def write(self, data: bytes, tags: list[T]) -> int:
        """Write the whole lines ``data``, or queue what stdout cannot take now; never
        raises (a failure goes to ``lost``). Gives the mark :meth:`until_written` takes."""

    @property
    def broken(self) -> str | None:
        """Why stdout cannot be written, once a write failed; None until then."""

    def congested(self) -> bool:
        """Whether so much is queued that no new call should start."""

    async def wait_room(self) -> None:
        """Return once the output is not congested (or broken)."""

    async def until_written(self, mark: int) -> bool:
        """Wait until the line whose ``write`` gave ``mark`` is out whole: True, or False
        once it never will be (stdout failed, or :meth:`drained` gave it up)."""

    async def drained(self, timeout: float) -> list[T]:
        """Return once everything queued is written, writing has failed, or ``timeout``
        seconds have passed; then gives the tags of the lines given up on (none written
        whole), which are not written afterwards."""


class BlockingOutput(Generic[T]):
    """Each write goes out whole before it returns (``write``: a function that writes all
    of its bytes or raises OSError)."""

    def __init__(self, write: Callable[[bytes], None]) -> None:
        self._write = write
        self._broken: str | None = None
        self._lost: Lost[T] = lambda why, tags: None
        self._written: Written[T] | None = None

    def attach(
        self, lost: Lost[T], room: Callable[[], None], written: Written[T] | None = None
    ) -> None:
        self._lost, self._written = lost, written  # never congested: ``room`` never comes

    def write(self, data: bytes, tags: list[T]) -> int:
        if self._broken is None:
            try:
                self._write(data)
            except OSError as exc:
                self._broken = failed(exc)
            else:
                if self._written is not None:
                    self._written(tags)
                return 0
        self._lost(self._broken, tags)
        return 0

    @property
    def broken(self) -> str | None:
        return self._broken

    def congested(self) -> bool:
        return False

    async def wait_room(self) -> None:
        pass

    async def until_written(self, mark: int) -> bool:
        return self._broken is None  # every write went out whole, or failed, at once

    async def drained(self, timeout: float) -> list[T]:
        return []  # nothing is ever queued


def write_all(fd: int) -> Callable[[bytes], None]:
    """Writes bytes whole to the blocking ``fd``: ``os.write`` may take part at a time."""

    def write(data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    return write


@contextmanager
def output_on(fd: int, loop: asyncio.AbstractEventLoop) -> Iterator[Output[Any]]:
    """The output for ``fd`` meanwhile: a :class:`PipeOutput` on a pipe or socket (made
    non-blocking until the end, ``nonblocking.py``), else a :class:`BlockingOutput`."""
    with nonblocking(fd) as pipe:
        yield PipeOutput(fd, loop) if pipe else BlockingOutput(write_all(fd))


class PipeOutput(Generic[T]):
    """Writes a non-blocking ``fd``; what it cannot take now waits for the loop to say so."""

    def __init__(
        self, fd: int, loop: asyncio.AbstractEventLoop, high_water: int | None = None
    ) -> None:
        self._fd = fd
        self._loop = loop
        self._high_water = HIGH_WATER if high_water is None else high_water
        # Lines not written yet, the first maybe in part: [bytes left, tags, mark].
        self._queue: deque[tuple[memoryview, list[T], int]] = deque()
        self._queued = 0  # bytes
        self._marks = 0  # bytes handed to write, ever: a line's mark is where it ends
        self._whole = 0  # the mark of the last line written whole (they go out in order)
        self._broken: str | None = None
        self._waiters: list[tuple[int, asyncio.Future[bool]]] = []  # (mark, waiter)
        self._roomers: list[asyncio.Future[None]] = []
        self._lost: Lost[T] = lambda why, tags: None
        self._room: Callable[[], None] = lambda: None
        self._written: Written[T] | None = None

    def attach(
        self, lost: Lost[T], room: Callable[[], None], written: Written[T] | None = None
    ) -> None:
        self._lost, self._room, self._written = lost, room, written

    def write(self, data: bytes, tags: list[T]) -> int:
        self._marks += len(data)
        mark = self._marks
        if self._broken is not None:
            self._lost(self._broken, tags)
        elif self._queue:  # behind what waits: in order
            self._enqueue(memoryview(data), tags, mark)
        else:
            try:
                done = os.write(self._fd, data)
            except BlockingIOError:
                done = 0
            except OSError as exc:
                self._enqueue(memoryview(data), tags, mark)
                self._fail(failed(exc))
                return mark
            if done < len(data):
                self._enqueue(memoryview(data)[done:], tags, mark)
                self._loop.add_writer(self._fd, self._writable)
            else:
                self._whole = mark
                if self._written is not None:
                    self._written(tags)
        return mark

    @property
    def broken(self) -> str | None:
        return self._broken

    def congested(self) -> bool:
        return self._queued > self._high_water

    async def wait_room(self) -> None:
        while self.congested():
            waiter = self._loop.create_future()
            self._roomers.append(waiter)
            await waiter

    async def until_written(self, mark: int) -> bool:
        if mark <= self._whole:
            return True
        if self._broken is not None:
            return False
        waiter: asyncio.Future[bool] = self._loop.create_future()
        self._waiters.append((mark, waiter))
        return await waiter

    async def drained(self, timeout: float) -> list[T]:
        if self._queue:
            waiter = self._loop.create_future()
            self._waiters.append((self._marks, waiter))
            timer = self._loop.call_later(timeout, self._wake_all)
            try:
                await waiter
            finally:
                timer.cancel()
        if not self._queue:
            return []
        # The client did not read it in time: it is dropped, the line cut off mid-way too.
        self._loop.remove_writer(self._fd)
        given_up = [tag for _, tags, _ in self._queue for tag in tags]
        self._clear()
        self._broken = self._broken or not_read(timeout)
        self._wake_all()
        return given_up

    def _enqueue(self, data: memoryview, tags: list[T], mark: int) -> None:
        self._queue.append((data, tags, mark))
        self._queued += len(data)

    def _writable(self) -> None:
        was_congested = self.congested()
        while self._queue:
            data, tags, mark = self._queue[0]
            try:
                done = os.write(self._fd, data)
            except BlockingIOError:
                break
            except OSError as exc:
                self._fail(failed(exc))
                return
            self._queued -= done
            if done < len(data):
                self._queue[0] = (data[done:], tags, mark)
                break
            self._queue.popleft()
            self._whole = mark
            if self._written is not None:
                self._written(tags)
        if not self._queue:
            self._loop.remove_writer(self._fd)
        self._wake()
        if was_congested and not self.congested():
            self._wake_roomers()
            self._room()

    def _fail(self, why: str) -> None:
        self._loop.remove_writer(self._fd)
        self._broken = why
        lost = [tag for _, tags, _ in self._queue for tag in tags]
        self._clear()
        self._wake_all()
        self._lost(why, lost)

    def _clear(self) -> None:
        """Forget every line queued: none of them will be written."""
        self._queue.clear()
        self._queued = 0

    def _wake(self) -> None:
        """Wake the waiters on lines written whole by now."""
        if not self._waiters:
            return
        still = []
        for mark, waiter in self._waiters:
            if mark > self._whole:
                still.append((mark, waiter))
            elif not waiter.done():
                waiter.set_result(True)
        self._waiters = still

    def _wake_all(self) -> None:
        """Wake every waiter: the lines still queued for them never go out (False)."""
        waiters, self._waiters = self._waiters, []
        for mark, waiter in waiters:
            if not waiter.done():
                waiter.set_result(mark <= self._whole)
        self._wake_roomers()

    def _wake_roomers(self) -> None:
        roomers, self._roomers = self._roomers, []
        for waiter in roomers:
            if not waiter.done():
                waiter.set_result(None)
