"""An aiohttp web server on a thread of its own: the sandbox's and the editor's HTTP side.

Both servers are used from synchronous code (tests, the CLI, engines), so each one runs an
event loop on a background thread. aiohttp brings what the hand-written ``http.server``
handlers lacked: one task per connection instead of one thread, an idle timeout that also
covers a client that never finishes its request line and headers, limits on header sizes,
and answers written in one piece (status line, headers and body coalesced; asyncio sockets
have ``TCP_NODELAY`` on).

The listening socket is bound in the caller's thread, so a port in use or a host that cannot
be bound raises ``OSError`` right there instead of inside the server thread. This module has
no knowledge of Infobip or of the connector's client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from .redaction import get_logger

Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]
T = TypeVar("T")

# Enough for the 200-connection bursts the tests and benchmarks open at once.
DEFAULT_BACKLOG = 1024


class _ClientMistakesUnlogged(logging.Filter):
    """A malformed request line or header is the client's mistake, already answered with a
    400 by aiohttp; logging it with a traceback would print one per bad request."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, HttpProcessingError)


# This filter first: the redacting one renders the traceback and drops ``exc_info``.
logging.getLogger("infobip_connector.webserver").addFilter(_ClientMistakesUnlogged())
log = get_logger("infobip_connector.webserver")


class BodyRefused(Exception):
    """A request body over its size limit (``status`` 413) or too slow to arrive (408)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def read_body(request: web.BaseRequest, limit: int, timeout: float) -> bytes:
    """The whole body (chunked or not): at most ``limit`` bytes, within ``timeout`` seconds.

    An announced length over the limit is refused before anything is read. Raises
    ``BodyRefused``.
    """
    if request.content_length is not None and request.content_length > limit:
        raise BodyRefused(413)
    chunks: list[bytes] = []
    total = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.content.iter_any():
                total += len(chunk)
                if total > limit:
                    raise BodyRefused(413)
                chunks.append(chunk)
    except TimeoutError:
        raise BodyRefused(408) from None
    return b"".join(chunks)


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (``port=0``: any free one), not yet listening.

    Raises ``OSError`` (``EADDRINUSE`` for a port in use, ``EADDRNOTAVAIL`` for a host that is
    not local) and ``OverflowError``/``ValueError`` for a port outside 0..65535.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # Lets a restarted server reuse a port still in TIME_WAIT; a port another socket
        # listens on still fails with EADDRINUSE.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


class BackgroundServer:
    """Binds at once; ``start(handler)`` serves from a daemon thread with its own event loop.

    ``keepalive_timeout`` (seconds) closes a connection that is idle between requests or that
    has not completed a request since it opened. ``workers`` bounds the threads that
    ``run_blocking`` hands synchronous work to. ``stopping`` is set when ``stop`` begins, so a
    handler that holds a request open on purpose can let go.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        name: str,
        keepalive_timeout: float,
        workers: int,
        backlog: int = DEFAULT_BACKLOG,
        shutdown_timeout: float = 1.0,
    ) -> None:
        self._sock = bind_socket(host, port)
        self._name = name
        self._keepalive_timeout = keepalive_timeout
        self._backlog = backlog
        self._shutdown_timeout = shutdown_timeout
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.ServerRunner | None = None
        self._thread: threading.Thread | None = None
        self.stopping = threading.Event()
        address = self._sock.getsockname()
        self.host: str = address[0]
        self.port: int = address[1]

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, handler: Handler) -> None:
        """Serve ``handler``; returns once connections are being accepted."""
        if self._thread is not None:
            return
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._serve, args=(handler, ready, failure), name=self._name, daemon=True
        )
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]

    def _serve(
        self, handler: Handler, ready: threading.Event, failure: list[BaseException]
    ) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._open(handler))
        except BaseException as exc:  # handed to start(), which raises it in the caller
            failure.append(exc)
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _open(self, handler: Handler) -> None:
        server = web.Server(
            handler,
            keepalive_timeout=self._keepalive_timeout,
            access_log=None,
            # Premature disconnects and malformed requests are logged here at DEBUG only.
            logger=log,
        )
        self._runner = web.ServerRunner(
            server, handle_signals=False, shutdown_timeout=self._shutdown_timeout
        )
        await self._runner.setup()
        site = web.SockSite(self._runner, self._sock, backlog=self._backlog)
        await site.start()

    async def run_blocking(self, function: Callable[..., T], *args: Any) -> T:
        """Run synchronous ``function(*args)`` on the bounded worker pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, function, *args)

    def stop(self) -> None:
        """Stop accepting, close every connection (idle, busy or held open) and join."""
        self.stopping.set()
        loop, thread, runner = self._loop, self._thread, self._runner
        self._thread = None
        if loop is not None and thread is not None and runner is not None:
            future = asyncio.run_coroutine_threadsafe(runner.cleanup(), loop)
            with contextlib.suppress(Exception):
                future.result(timeout=self._shutdown_timeout + 5)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._sock.close()
