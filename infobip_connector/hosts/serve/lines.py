"""Lines from a file descriptor (stdin) for an event loop, each bounded in size.

Whole lines are handed over in groups, one group per read, and at most
:data:`READ_AHEAD` groups are read ahead: when the worker is busy, the client's writes
wait in the pipe, not in memory.

A line longer than the limit is skipped as it arrives, never kept whole, and handed over
as :class:`TooLong`; the last line needs no newline (a client that closed its end
mid-line still gets an answer to what it wrote). Blank lines are dropped.
"""

from __future__ import annotations

import asyncio
import os
import select
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ...redaction import get_logger
from .. import stopsignals

log = get_logger("infobip_connector.serve")

#: Bytes asked for per read.
CHUNK = 1 << 16
#: Groups of lines read but not yet taken by the worker.
READ_AHEAD = 4
#: Reads at most taken by :meth:`LineReader.ready` (4 MiB): what a stopping worker answers.
READY_CHUNKS = 64


@dataclass(frozen=True)
class TooLong:
    """A line of more than ``limit`` bytes, skipped."""

    limit: int


Item = bytes | TooLong


class Splitter:
    """Cuts a stream of chunks into lines of at most ``limit`` bytes (without the newline)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._part = bytearray()
        self._skipping = False  # inside a line already over the limit

    def feed(self, chunk: bytes) -> list[Item]:
        """The lines that ``chunk`` completes, in order."""
        items: list[Item] = []
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                self._keep(chunk[start:])
                return items
            if self._part or self._skipping:
                self._keep(chunk[start:end])
                self._emit(items)
            else:  # the usual case, a line within one chunk: no copy through the buffer
                _append(items, chunk[start:end], self._limit)
            start = end + 1

    def finish(self) -> list[Item]:
        """The last line, when the stream ended without a newline."""
        items: list[Item] = []
        self._emit(items)
        return items

    def _keep(self, piece: bytes) -> None:
        if self._skipping:
            return
        if len(self._part) + len(piece) > self._limit:
            self._skipping = True
            self._part.clear()
            return
        self._part += piece

    def _emit(self, items: list[Item]) -> None:
        if self._skipping:
            items.append(TooLong(self._limit))
        else:
            _append(items, bytes(self._part), self._limit)
        self._skipping = False
        self._part.clear()


def _append(items: list[Item], line: bytes, limit: int) -> None:
    if len(line) > limit:
        items.append(TooLong(limit))
    elif line and not line.isspace():
        items.append(line)


class LineReader:
    """Reads ``fd`` for the loop; :meth:`next` gives the next group of lines.

    A pipe, socket or terminal is polled by the loop itself (no thread to wake for each
    request); what cannot be polled (a regular file) is read on a daemon thread with
    ``os.read``, so a worker that stops while it waits exits without waiting for it, and no
    buffered stream's lock is held at exit. An empty group means the end of input (or a
    read error, logged).
    """

    def __init__(
        self,
        fd: int,
        limit: int,
        loop: asyncio.AbstractEventLoop,
        take_now: Callable[[list[Item]], bool] | None = None,
    ) -> None:
        self._fd = fd
        # Offered each group read while none waits: true when it took the group itself.
        self._take_now = take_now
        self._splitter = Splitter(limit)
        self._loop = loop
        self._groups: asyncio.Queue[list[Item]] = asyncio.Queue()
        self._ended = False
        self._polled = False
        self._paused = False  # polled, but READ_AHEAD groups wait: the pipe holds the rest
        self._room = threading.Semaphore(READ_AHEAD)  # the thread's read-ahead

    def start(self) -> None:
        try:
            self._loop.add_reader(self._fd, self._readable)
        except (OSError, ValueError, NotImplementedError):
            # epoll refuses regular files; some loops (Windows) poll no pipes at all.
            with stopsignals.kept_from_new_threads():
                threading.Thread(target=self._read, name="serve-stdin", daemon=True).start()
        else:
            self._polled = True

    async def next(self) -> list[Item]:
        """The next group of lines; ``[]`` at the end of input. Frees room to read ahead."""
        group = await self._groups.get()
        if not self._polled:
            self._room.release()
        elif self._paused and not self._ended and self._groups.qsize() < READ_AHEAD:
            self._paused = False
            self._loop.add_reader(self._fd, self._readable)
        return group

    def ready(self) -> list[Item]:
        """The lines read ahead or waiting in the pipe now, taken without waiting.

        For a worker that stops: it answers them (``stopped``) rather than leave a request
        the client wrote before the stop without an answer. At most ``READY_CHUNKS`` reads;
        a regular file (read by the thread) gives what was read ahead only.
        """
        items = [item for group in self._drained() for item in group]
        for _ in range(READY_CHUNKS if self._polled else 0):
            if self._ended or not select.select([self._fd], [], [], 0)[0]:
                break
            items.extend(item for group in self._take(self._chunk()) for item in group)
        return items  # a line still being written (no newline yet) is not one

    def close(self) -> None:
        """Read no more, and close the pipe's end: a client that writes later gets EPIPE
        at once, rather than a line nobody will read or answer.

        For a stopping worker, right after it answered :meth:`ready`'s lines. The
        descriptor stays open, on the null device, so nothing else takes its number.
        """
        self._ended = True
        if self._polled:
            self._loop.remove_reader(self._fd)
        try:
            null = os.open(os.devnull, os.O_RDONLY)
        except OSError:
            return
        try:
            os.dup2(null, self._fd)
        except OSError as exc:
            log.debug("stdin left open (%s)", exc.strerror)
        finally:
            os.close(null)

    def _drained(self) -> list[list[Item]]:
        groups = []
        while not self._groups.empty():
            groups.append(self._groups.get_nowait())
        return groups

    def _take(self, chunk: bytes | None) -> list[list[Item]]:
        """The groups ``chunk`` completes (``None``: nothing to read yet; ``b""``: the end)."""
        if chunk is None:
            return []
        if not chunk:
            self._ended = True
            last = self._splitter.finish()
            return [last, []] if last else [[]]
        group = self._splitter.feed(chunk)
        return [group] if group else []

    def _chunk(self) -> bytes | None:
        try:
            return os.read(self._fd, CHUNK)
        except BlockingIOError:  # a descriptor its other users made non-blocking
            return None
        except OSError as exc:
            log.warning("reading stdin failed (%s); taken as its end", exc.strerror)
            return b""

    def _readable(self) -> None:
        take_now = self._take_now
        for group in self._take(self._chunk()):
            if group and take_now is not None and self._groups.empty() and take_now(group):
                continue  # started from here, a turn of the loop sooner
            self._groups.put_nowait(group)
        if self._ended or self._groups.qsize() >= READ_AHEAD:
            self._loop.remove_reader(self._fd)
            self._paused = not self._ended

    def _read(self) -> None:
        while not self._ended:
            self._room.acquire()
            chunk = self._chunk()
            if chunk is None:
                time.sleep(0.01)  # only a non-blocking regular file gets here
            groups = self._take(chunk)
            if not groups:
                self._room.release()  # nothing complete yet: read on
                continue
            try:
                for group in groups:
                    self._loop.call_soon_threadsafe(self._groups.put_nowait, group)
            except RuntimeError:  # the loop is closed: the worker has stopped
                return
