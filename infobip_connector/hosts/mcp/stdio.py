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

The messages go out through ``serve``'s output (``hosts/lineout.py``, one mechanism for
both hosts): a client that reads its stdin slowly, or not at all for a while, never holds
the event loop; a pipe or socket is written without blocking and what it cannot take yet
waits, whole lines in order, for the loop to report room. Each message is queued whole
before its send waits for it to go out, so a send cancelled halfway leaves its line (or
the rest of it) queued, and what is still queued when the server ends is written before
the process exits: the wire never holds a broken line. Past 4 MiB queued no new message
is read (``lineout.HIGH_WATER``, as ``serve`` takes no new request), so a client that
stops reading makes the server wait, not grow. A write that fails (the client closed its
end) stops the server as a closed stdout seen before a read does (``gone``). The last
write waits ``--grace`` seconds at most, as ``serve``'s does: a client that neither reads
nor closes its end cannot keep the process alive; each answer it did not take is logged
on stderr in ``serve``'s line (``serve/lost.py``: id, and a send's IDs and key).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from ...redaction import get_logger
from ..cliflags import GRACE
from ..lineout import BlockingOutput, Output, PipeOutput, not_read, output_on, write_all
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
    reader; once it has none, ``gone`` is called (the server then runs nothing more). No
    new lines are read while ``room`` waits (the answers' output is congested).
    """

    def __init__(
        self,
        lines: LineReader,
        output_closed: Callable[[], bool] = lambda: False,
        room: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._lines = lines
        self._waiting: deque[Item] = deque()
        self._ended = False
        self._output_closed = output_closed
        self._room = room
        self._gone = False
        self.gone: Callable[[], None] = lambda: None

    async def receive(self) -> SessionMessage | Exception:
        """The next message (or a line's parse error); raises anyio.EndOfStream at the end."""
        while not self._waiting:
            if self._room is not None and not self._ended:
                await self._room()  # back-pressure: the client reads its answers first
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
    """``Server.run``'s write stream: each message sent is one line written whole on
    ``output`` (``hosts/lineout.py``; a descriptor: the output for it).

    A send returns once its line is out: on a pipe the client does not read, it waits on
    the loop for room, never blocks it. Raises anyio.BrokenResourceError when its line
    never will be (the client closed its end), which the server takes as a closed
    connection.

    Each line keeps its message until it is out: ``written`` is told of each message
    written whole, ``lost`` of each that never will be (stdout failed, or :meth:`drain`
    gave up), so the log names every lost answer (by default serve's line,
    ``serve/lost.py``); ``gone`` is called once when stdout fails.
    """

    def __init__(self, output: Output[types.JSONRPCMessage] | int) -> None:
        self._output = _output_of(output) if isinstance(output, int) else output
        self._ending = False  # :meth:`drain` gives up: stdout did not fail
        self._failed = False
        self.written: Callable[[types.JSONRPCMessage], None] = lambda message: None
        self.lost: Callable[[types.JSONRPCMessage, str], None] = log_lost
        self.gone: Callable[[], None] = lambda: None
        self._output.attach(self._lost_all, lambda: None, self._written_all)

    @property
    def output(self) -> Output[types.JSONRPCMessage]:
        """Where the lines go (its congestion holds back reading)."""
        return self._output

    def queue(self, item: SessionMessage) -> int:
        """Queue ``item``'s line without waiting (for the answers of the end, which must
        not wait on a client that does not read): written as stdout takes it, or by
        :meth:`drain`. Gives its mark (``Output.until_written``)."""
        return self._output.write(encoded(item.message), [item.message])

    async def send(self, item: SessionMessage, /) -> None:
        if not await self._output.until_written(self.queue(item)):
            raise anyio.BrokenResourceError(self._output.broken)

    async def drain(self, timeout: float) -> None:
        """Wait for what is still queued to go out, ``timeout`` seconds at most; for the
        end. What the client does not take by then (it neither reads nor closes its end),
        or cannot (it closed it), is given up and each answer told to ``lost`` rather than
        raised: the process is ending anyway.
        """
        self._ending = True
        self._lost_all(not_read(timeout), await self._output.drained(timeout))

    def _lost_all(self, why: str, messages: list[types.JSONRPCMessage]) -> None:
        if not self._ending and not self._failed:
            self._failed = True
            self.gone()  # before the lines are logged: the server stops taking calls
        for message in messages:
            self.lost(message, why)

    def _written_all(self, messages: list[types.JSONRPCMessage]) -> None:
        for message in messages:
            self.written(message)

    async def aclose(self) -> None:
        pass  # the descriptor is the caller's (``stdio_streams``)


def _output_of(fd: int) -> Output[types.JSONRPCMessage]:
    """The output on ``fd`` as it is: written without blocking when it is non-blocking."""
    if os.get_blocking(fd):
        return BlockingOutput(write_all(fd))
    return PipeOutput(fd, asyncio.get_running_loop())


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
        loop = asyncio.get_running_loop()
        lines = LineReader(sys.stdin.fileno(), limit, loop)
        lines.start()
        with output_on(wire, loop) as output:
            writer = MessageWriter(output)
            closed = output_closed(wire)
            try:
                yield MessageReader(lines, closed, output.wait_room), writer
            finally:
                # Every answer already produced goes out whole before the process ends,
                # however its send ended (cancelled at the end of input, or by a stop
                # signal), the line cut off mid-way finished, if the client reads it
                # within ``drain`` seconds; each one it does not is logged. Shielded: an
                # end by cancellation still writes them.
                with anyio.CancelScope(shield=True):
                    await writer.drain(drain)
    finally:
        os.dup2(wire, 1)
        os.close(wire)
