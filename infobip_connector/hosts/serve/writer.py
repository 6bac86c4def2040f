"""The answers' way out: written without ever holding the event loop on a full pipe.

A client that reads its end slowly, or not at all for a while, fills the pipe. A blocking
write would then hold the whole loop (every call in flight, the reading of stdin, the stop
signals) until the client reads. So a pipe or socket (made non-blocking for the worker's
life, ``hosts/nonblocking.py``) is written by :class:`PipeOutput`: what the pipe takes now
is written, the rest is queued, whole lines in order, and written when the loop reports
room. Past :data:`HIGH_WATER` bytes queued the output is congested and the worker starts
no new call (``worker.py``), so a client that stops reading makes the worker wait, not
grow. A regular file or a terminal (never a stall the loop must outlive) is written at
once by :class:`BlockingOutput`, as is a test's list.

Each queued line keeps the summaries of its answers (``lost.py``): once a write fails
(the client closed its end), those never delivered are logged, as for a failed write. At
the end the worker waits for the queue to empty only so long (``drained``'s ``timeout``,
``--grace``): a client that neither reads nor closes its end would otherwise keep the
process alive for ever, so what is still queued then is given up and logged the same way.
"""

from __future__ import annotations

import asyncio
import os
from collections import deque
from collections.abc import Callable
from typing import Protocol

#: Bytes of answers queued past which the worker starts no new call.
HIGH_WATER = 4 * 1024 * 1024

#: Makes the log line of an answer stdout could not take (``lost.lost_summary``).
Summary = Callable[[], str]
#: Told why stdout failed, and the summaries of the answers it did not take.
Lost = Callable[[str, list[Summary]], None]


class Output(Protocol):
    """Where a worker's answer lines go."""

    def attach(self, lost: Lost, room: Callable[[], None]) -> None:
        """``lost`` is called when a queued write fails; ``room`` when a congestion ends."""

    def write(self, data: bytes, summaries: list[Summary]) -> None:
        """Write the whole lines ``data``; raises OSError when stdout fails right away."""

    def congested(self) -> bool:
        """Whether so much is queued that no new call should start."""

    async def drained(self, timeout: float) -> list[Summary]:
        """Return once everything queued is written, writing has failed, or ``timeout``
        seconds have passed; then gives the summaries of the answers given up on (none
        written whole), which are not written afterwards."""


class BlockingOutput:
    """Each write goes out whole before it returns (``write`` raises OSError on failure)."""

    def __init__(self, write: Callable[[bytes], None]) -> None:
        self._write = write

    def attach(self, lost: Lost, room: Callable[[], None]) -> None:
        pass  # a write fails at once, to the caller; there is never a queue

    def write(self, data: bytes, summaries: list[Summary]) -> None:
        self._write(data)

    def congested(self) -> bool:
        return False

    async def drained(self, timeout: float) -> list[Summary]:
        return []  # every write went out whole, or failed, before it returned


class PipeOutput:
    """Writes a non-blocking ``fd``; what it cannot take now waits for the loop to say so."""

    def __init__(self, fd: int, loop: asyncio.AbstractEventLoop) -> None:
        self._fd = fd
        self._loop = loop
        # Lines not written yet, the first maybe in part: [bytes left, their summaries].
        self._queue: deque[tuple[memoryview, list[Summary]]] = deque()
        self._queued = 0  # bytes
        self._waiters: list[asyncio.Future[None]] = []
        self._lost: Lost = lambda why, summaries: None
        self._room: Callable[[], None] = lambda: None

    def attach(self, lost: Lost, room: Callable[[], None]) -> None:
        self._lost, self._room = lost, room

    def write(self, data: bytes, summaries: list[Summary]) -> None:
        if self._queue:  # behind what waits: in order
            self._enqueue(memoryview(data), summaries)
            return
        try:
            done = os.write(self._fd, data)
        except BlockingIOError:
            done = 0
        if done < len(data):
            self._enqueue(memoryview(data)[done:], summaries)
            self._loop.add_writer(self._fd, self._writable)

    def congested(self) -> bool:
        return self._queued > HIGH_WATER

    async def drained(self, timeout: float) -> list[Summary]:
        if self._queue:
            waiter = self._loop.create_future()
            self._waiters.append(waiter)
            timer = self._loop.call_later(timeout, self._wake)
            try:
                await waiter
            finally:
                timer.cancel()
        if not self._queue:
            return []
        # The client did not read it in time: it is dropped, the line cut off mid-way too.
        self._loop.remove_writer(self._fd)
        given_up = [summary for _, summaries in self._queue for summary in summaries]
        self._queue.clear()
        self._queued = 0
        return given_up

    def _enqueue(self, data: memoryview, summaries: list[Summary]) -> None:
        self._queue.append((data, summaries))
        self._queued += len(data)

    def _writable(self) -> None:
        was_congested = self.congested()
        while self._queue:
            data, summaries = self._queue[0]
            try:
                done = os.write(self._fd, data)
            except BlockingIOError:
                break
            except OSError as exc:
                self._fail(exc.strerror or str(exc))
                return
            self._queued -= done
            if done < len(data):
                self._queue[0] = (data[done:], summaries)
                break
            self._queue.popleft()
        if not self._queue:
            self._loop.remove_writer(self._fd)
            self._wake()
        if was_congested and not self.congested():
            self._room()

    def _fail(self, why: str) -> None:
        self._loop.remove_writer(self._fd)
        lost = [summary for _, summaries in self._queue for summary in summaries]
        self._queue.clear()
        self._queued = 0
        self._wake()
        self._lost(why, lost)

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
