"""How the MCP server stops: end of input or a stop signal, with no call's outcome lost.

As ``serve`` does: on SIGTERM, SIGINT or SIGHUP (Docker, a desktop client, Ctrl-C) and, over
stdio, at the end of input, the server takes no new call, gives those in flight ``grace``
seconds and then cancels them, answers each (its result, or ``outcome_unknown`` with its
IDs and key) while the transport is open, and logs one line for each whose answer was not
seen written (``inflight.py``). A second signal cuts the grace short.

Over stdio the SDK's ``Server.run`` is handed wrapped streams: the read stream ends only
once the calls in flight have ended and their answers were written (the SDK's loop cancels
every handler when its input ends), and the write stream tells which answers went out.
Over HTTP uvicorn is told to exit once the calls have ended and their responses with them
(``httpanswers.py`` tells), so their answers go out on their open responses first; the
event streams a client holds open end then too (:func:`streams_ended`); uvicorn's own
signal handling (exit at once, the signal raised again) is left out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, MutableMapping
from typing import Any

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from ...redaction import get_logger
from .httpguard import App, Receive, Scope, Send  # the ASGI shapes, defined once
from .inflight import InFlight
from .stdio import MessageWriter, ReadStream, _Stream, log_lost  # the transport's protocol

log = get_logger("infobip_connector.mcp")

#: Seconds an HTTP server waits for open connections once stopping: by then the calls'
#: responses have ended (``InFlight.settle``); what is left is an idle event stream (GET),
#: which has nothing to deliver, or a read that is safe to ask for again.
HTTP_CLOSE_SECONDS = 1


def streams_ended(app: App, stopped: asyncio.Event) -> App:
    """``app`` (ASGI) whose event streams (GET: the server's own messages, none of them an
    answer) end once ``stopped`` is set, as when their client leaves; uvicorn would
    otherwise wait for them, then cancel them with an error in the log."""

    async def ended(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await app(scope, receive, send)
            return

        async def receiving() -> MutableMapping[str, Any]:
            message = asyncio.ensure_future(receive())
            stop = asyncio.ensure_future(stopped.wait())
            await asyncio.wait({message, stop}, return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
            if message.done():
                return message.result()
            message.cancel()
            return {"type": "http.disconnect"}

        sent: list[bool] = []  # a part sent, each: whether it was the last

        async def sending(message: MutableMapping[str, Any]) -> None:
            await send(message)
            sent.append(message["type"] == "http.response.body" and not message.get("more_body"))

        await app(scope, receiving, sending)
        if stopped.is_set() and sent and not sent[-1]:
            # The stream's last chunk: it ends cleanly, the client sees its end.
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    return ended


class Stopper:
    """Drives one server's stop: :meth:`begin` from a signal handler or the end of input."""

    def __init__(self, in_flight: InFlight) -> None:
        self.in_flight = in_flight
        self.done = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._then: list[Callable[[], None]] = []
        self._signals = 0

    def signalled(self) -> None:
        """A stop signal: the first starts stopping, another cuts the grace short."""
        self._signals += 1
        if self._signals > 1:
            self.in_flight.hurry()
            return
        log.warning("stopping: no new calls; those in flight get their grace period")
        self.begin()

    def output_gone(self) -> None:
        """Nobody reads stdout any more (the client closed its end): the calls read from now
        on are refused (``stopped``, nothing sent; their answers logged), as serve's are,
        and the server stops as on a signal."""
        if self._task is None:
            log.warning("stdout is closed (its reader is gone): stopping; answers go to this log")
        self.in_flight.refuse()
        self.begin()

    def begin(self) -> None:
        """Start stopping, unless it has started (the end of input after a signal)."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._stop())

    def then(self, action: Callable[[], None]) -> None:
        """Run ``action`` once stopped (at once if already)."""
        if self.done.is_set():
            action()
        else:
            self._then.append(action)

    async def _stop(self) -> None:
        """Stop taking calls, let those in flight end, wait for their answers to go out."""
        try:
            await self.in_flight.stop()
            await self.in_flight.settle()
        finally:
            self.done.set()
            for action in self._then:
                action()


class StoppingReader(ReadStream):
    """``Server.run``'s read stream: ``inner``'s messages until its end or a stop.

    Reading goes on while stopping (a new call is then answered ``stopped``). At the end of
    input, or once a stop has run, the stream ends (``anyio.EndOfStream``) only after the
    calls in flight have ended and their answers went out.
    """

    def __init__(self, inner: Any, stopper: Stopper) -> None:
        self._inner = inner
        self._stopper = stopper
        self._scope: anyio.CancelScope | None = None
        self._ended = False
        stopper.then(self._end)

    def _end(self) -> None:
        self._ended = True
        if self._scope is not None:
            self._scope.cancel()

    async def receive(self) -> SessionMessage | Exception:
        """The next message; raises anyio.EndOfStream once input ended or stopped."""
        if not self._ended:
            with anyio.CancelScope() as self._scope:
                try:
                    message: SessionMessage | Exception = await self._inner.receive()
                    return message
                except anyio.EndOfStream:
                    self._ended = True
            self._scope = None
        self._stopper.begin()  # the end of input stops the server as a signal does
        await self._stopper.done.wait()
        raise anyio.EndOfStream

    async def aclose(self) -> None:
        await self._inner.aclose()


class TellingWriter(_Stream):
    """``Server.run``'s write stream: ``inner``'s (a :class:`~.stdio.MessageWriter`), telling
    ``in_flight`` of each answer written whole, or lost (each one logged)."""

    def __init__(self, inner: MessageWriter, in_flight: InFlight) -> None:
        self._inner = inner
        self._in_flight = in_flight
        in_flight.watch()
        inner.written = self._written
        inner.lost = self._lost

    async def send(self, item: SessionMessage, /) -> None:
        await self._inner.send(item)

    def _written(self, message: types.JSONRPCMessage) -> None:
        if isinstance(message, types.JSONRPCResponse | types.JSONRPCError):
            self._in_flight.delivered(message.id)

    def _lost(self, message: types.JSONRPCMessage, why: str) -> None:
        # A tool call's line names its tool, outcome, IDs and key; any other answer's, what
        # the message itself says (serve's line).
        if not (
            isinstance(message, types.JSONRPCResponse | types.JSONRPCError)
            and self._in_flight.undelivered(message.id, why)
        ):
            log_lost(message, why)

    async def aclose(self) -> None:
        await self._inner.aclose()
