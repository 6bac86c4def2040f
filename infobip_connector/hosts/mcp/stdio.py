"""The MCP server's stdio transport: one JSON-RPC message per line on stdin and stdout.

The SDK's ``stdio_server`` reads and writes through anyio's file wrappers, so every line
read, every write and every flush is a trip to a worker thread and back, and each message
then passes through memory streams and two tasks of the transport's own. Here
``Server.run`` is handed two streams of the SDK's message type (``SessionMessage``) that do
the same work on the event loop itself: stdin is read as ``serve`` reads it
(``serve/lines.py``: a pipe is polled by the loop, a regular file read on a thread), and a
message sent is written to stdout whole, at once. Each line is parsed and each message
dumped with the SDK's own calls, as its transport does (``jsonrpc_message_adapter``,
``model_dump_json`` by alias without unset fields), so the wire is the same.

A line that is not a JSON-RPC message is handed to the server as the exception its parse
raised, as the SDK's transport hands it (the server logs it and reads on); so is a line
longer than :data:`MAX_LINE_BYTES`, which is skipped as it arrives rather than kept whole.

The protocol's stdout is a copy of file descriptor 1, taken before descriptor 1 is pointed
at stderr (as ``serve`` does, and as the SDK's transport does): whatever else writes to
stdout (a library's print, a C extension) lands in the log instead of corrupting the
messages. Descriptor 1 is put back when the server ends.

A client that reads its stdin slowly, or not at all for a while, fills the pipe: a blocking
write would then hold the whole event loop (every call, the signals, the reading of stdin)
until the client reads. So a pipe or socket is written without blocking
(:func:`nonblocking`): what the pipe takes now is written, and the rest waits for the loop
to report the descriptor writable, while the other tasks run on. Messages go out whole and
one after the other: each is queued whole before its send waits, so a send cancelled
halfway leaves its line (or the rest of it) to the next send, and what is still queued
when the server ends is written before the process exits (the end of input or a stop
signal cancels the sends still waiting): the wire never holds a broken line. That last
write waits ``--grace`` seconds at most, as ``serve``'s does: a client that neither reads
nor closes its end cannot keep the process alive; each answer it did not take is logged
on stderr in ``serve``'s line (``serve/lost.py``: id, and a send's IDs and key).
"""

from __future__ import annotations

import asyncio
import os
import select
import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from ...redaction import get_logger
from ..cliflags import GRACE
from ..nonblocking import nonblocking
from ..serve.command import MAX_LINE_BYTES
from ..serve.lines import Item, LineReader, TooLong
from ..serve.lost import LOST, lost_summary
from ..serve.output import output_closed
from .lineparse import encoded, parse_line

log = get_logger("infobip_connector.mcp")


class LineTooLong(ValueError):
    """A line of more than ``limit`` bytes was skipped; it was never read whole."""


class _Stream:
    """``async with`` a stream closes it, as anyio's streams do."""

    async def aclose(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()


class ReadStream(_Stream):
    """Iterating a read stream receives from it until its end, as anyio's streams do."""

    async def receive(self) -> SessionMessage | Exception:
        raise NotImplementedError

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> SessionMessage | Exception:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None


class MessageReader(ReadStream):
    """``Server.run``'s read stream: the messages on the lines of a :class:`LineReader`.

    Yields a ``SessionMessage`` per line, or the exception a line that is no message
    raised; ends (``anyio.EndOfStream``) at the end of input. Before the lines of each read
    are handed on, ``output_closed`` (``serve/output.py``) tells whether stdout still has a
    reader; once it has none, ``gone`` is called (the server then runs nothing more).
    """

    def __init__(
        self, lines: LineReader, output_closed: Callable[[], bool] = lambda: False
    ) -> None:
        self._lines = lines
        self._waiting: deque[Item] = deque()
        self._ended = False
        self._output_closed = output_closed
        self._gone = False
        self.gone: Callable[[], None] = lambda: None

    async def receive(self) -> SessionMessage | Exception:
        """The next message (or a line's parse error); raises anyio.EndOfStream at the end."""
        while not self._waiting:
            group = [] if self._ended else await self._lines.next()
            if not group:
                self._ended = True
                raise anyio.EndOfStream
            if not self._gone and self._output_closed():
                self._gone = True
                self.gone()  # before any of these lines runs
            self._waiting.extend(group)
        return _message(self._waiting.popleft())

    def unread(self) -> list[SessionMessage | Exception]:
        """The messages of the lines read ahead or waiting in the input now, taken without
        waiting; the input is then closed (``LineReader.close``), so a later write fails.

        For a server that stopped: it answers them (not run) rather than leave a request
        the client wrote before the end without an answer.
        """
        items = [*self._waiting, *self._lines.ready()]
        self._waiting.clear()
        self._ended = True
        self._lines.close()
        return [_message(item) for item in items]

    async def aclose(self) -> None:
        self._ended = True


def _message(line: Item) -> SessionMessage | Exception:
    """The message of ``line``, or the exception to answer it with."""
    if isinstance(line, TooLong):
        log.warning("skipped a line of more than %d bytes", line.limit)
        return LineTooLong(f"a line of more than {line.limit} bytes, skipped")
    return parse_line(line)


class MessageWriter(_Stream):
    """``Server.run``'s write stream: each message sent is one line written whole to ``fd``.

    On a non-blocking ``fd`` (:func:`nonblocking`) a full pipe makes a send wait on the loop
    for room, never block it. Raises anyio.BrokenResourceError once ``fd`` cannot be written
    (the client closed its end), which the server takes as a closed connection.

    Each line keeps its message until it is out: ``written`` is told of each answer written
    whole, ``lost`` of each that never will be (``fd`` failed, or :meth:`flush` gave up), so
    the log names every lost answer (by default serve's line, ``serve/lost.py``).
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._lock = asyncio.Lock()  # one writer of the queue at a time
        # Whole lines not yet written, in order, the first maybe in part, with their
        # messages. A send queues its line before it waits, so a send cancelled while
        # waiting (for the lock, or for room) leaves its line here whole, for the next
        # send or for :meth:`flush` at the end.
        self._queue: deque[tuple[memoryview, types.JSONRPCMessage]] = deque()
        self._broken: str | None = None  # why ``fd`` cannot be written, once it cannot
        self.written: Callable[[types.JSONRPCMessage], None] = lambda message: None
        self.lost: Callable[[types.JSONRPCMessage, str], None] = log_lost

    def queue(self, item: SessionMessage) -> None:
        """Queue ``item``'s line without waiting: written by the next send or :meth:`flush`
        (for the answers of the end, which must not wait on a client that does not read)."""
        if self._broken is not None:
            self.lost(item.message, self._broken)
        else:
            self._queue.append((memoryview(encoded(item.message)), item.message))

    async def send(self, item: SessionMessage, /) -> None:
        self.queue(item)
        async with self._lock:
            while self._queue:  # the pipe may take part of a message at a time
                try:
                    self._write_some()
                except BlockingIOError:
                    await self._writable()
                except OSError as exc:
                    self._fail(f"stdout cannot be written: {exc.strerror}")
            if self._broken is not None:
                raise anyio.BrokenResourceError(self._broken)

    def flush(self, timeout: float) -> None:
        """Write what is still queued, waiting at most ``timeout`` seconds for room; for the
        end, with the loop no longer writing. What the client does not take by then (it
        neither reads nor closes its end), or cannot (it closed it), is given up and each
        answer told to ``lost`` rather than raised: the process is ending anyway.
        """
        deadline = time.monotonic() + timeout
        while self._queue:
            try:
                self._write_some()
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([], [self._fd], [], left)[1]:
                    self._fail(f"stdout was not read within the grace period ({timeout:g}s)")
            except OSError as exc:
                self._fail(f"stdout cannot be written: {exc.strerror}")

    def _write_some(self) -> None:
        """Write what ``fd`` takes of the first line; raises OSError (BlockingIOError: no
        room now)."""
        data, message = self._queue[0]
        done = os.write(self._fd, data)
        if done < len(data):
            self._queue[0] = (data[done:], message)
        else:
            self._queue.popleft()
            self.written(message)

    def _fail(self, why: str) -> None:
        """Give up every line queued (a line cut off mid-way too): each is lost, for ``why``."""
        self._broken = self._broken or why
        given_up = [message for _, message in self._queue]
        self._queue.clear()
        for message in given_up:
            self.lost(message, why)

    async def _writable(self) -> None:
        """Wait until the loop reports ``fd`` writable (the client read, or closed its end)."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_writer(self._fd, wake)
        try:
            await ready
        finally:
            loop.remove_writer(self._fd)

    async def aclose(self) -> None:
        pass  # the descriptor is the caller's (``stdio_streams``)


def log_lost(message: types.JSONRPCMessage, why: str) -> None:
    """Log the answer ``message`` as not delivered, in serve's line (``serve/lost.py``);
    a request or notification of the server's own is not an answer, and not logged."""
    if isinstance(message, types.JSONRPCResponse | types.JSONRPCError):
        answer = message.model_dump(by_alias=True, exclude_unset=True, mode="json")
        log.warning(LOST, lost_summary(answer, None, why=why))


@asynccontextmanager
async def stdio_streams(
    limit: int = MAX_LINE_BYTES, drain: float = GRACE
) -> AsyncIterator[tuple[MessageReader, MessageWriter]]:
    """The read and write streams of ``Server.run`` on this process's stdin and stdout.

    ``limit`` bounds a line, in bytes; ``drain``: the seconds the answers still queued at
    the end get to go out (``--grace``). Descriptor 1 points at stderr meanwhile, and the
    protocol's stdout is written without blocking (see the module's docstring).
    """
    sys.stdout.flush()
    wire = os.dup(1)
    os.dup2(2, 1)
    try:
        lines = LineReader(sys.stdin.fileno(), limit, asyncio.get_running_loop())
        lines.start()
        writer = MessageWriter(wire)
        with nonblocking(wire):
            try:
                yield MessageReader(lines, output_closed(wire)), writer
            finally:
                # Every answer already produced goes out whole before the process ends,
                # however its send ended (cancelled at the end of input, or by a stop
                # signal), the line cut off mid-way finished, if the client reads it
                # within ``drain`` seconds; each one it does not is logged.
                writer.flush(drain)
    finally:
        os.dup2(wire, 1)
        os.close(wire)
