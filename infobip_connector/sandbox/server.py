"""The sandbox over real HTTP/1.1 sockets, for engines and tools that cannot take a transport.

Served by aiohttp's web server on a background thread (``infobip_connector.webserver``): one
task per connection, an idle timeout, a bounded body, and a small worker pool for
``Sandbox.handle`` (which validates synchronously and may take a while on a large bulk).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import sys
import threading
import time
from http import HTTPStatus
from types import TracebackType
from typing import TextIO
from urllib.parse import quote, unquote, urlsplit

from aiohttp import web

from ..webserver import BackgroundServer, BodyRefused, read_body
from . import wire
from .core import MAX_BODY_BYTES, Reply, Sandbox
from .idempotency import DEFAULT_GRACE_PERIOD
from .masking import MIN_KEY_LENGTH, long_keys, mask_of, spells_a_key, without_keys

#: The key the start line suggests: long enough for the connector, and not a word that
#: turns up in data (the connector masks its keys wherever they appear in text).
EXAMPLE_KEY = "sandbox-key-for-local-tests"
#: The connector's shortest key (``redaction.MIN_SECRET_LENGTH``; the sandbox layer does not
#: import the connector's, and a test keeps the two equal).
CONNECTOR_MIN_KEY_LENGTH = MIN_KEY_LENGTH
# An Authorization value written into a path: the scheme and what follows it.
_AUTH_IN_PATH = re.compile(r"\b(App|Bearer|Basic|IBSSO)(\s+)[^\s/?&]+", re.IGNORECASE)

# Idle keep-alive connections, and connections that never complete a request, are closed after
# this long; the connector's pooled clients drop idle connections sooner.
IDLE_TIMEOUT = 120.0
# A request body must arrive within this long once its headers have.
BODY_TIMEOUT = 60.0
# Threads that run Sandbox.handle; it takes the sandbox's lock, so more would only queue.
WORKERS = 4
_SERVER_HEADER = "infobip-sandbox"


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a literal loopback address (as written)."""
    if host.rstrip(".").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_address(host: str) -> bool:
    """Whether ``host`` is a name or an address as written (``127.1``, ``" 127.0.0.1"``: no)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return True
    labels = host.rstrip(".").split(".")
    if labels[-1].isdigit():
        return False  # a shortened IPv4 address: resolvers read 127.1 their own ways
    return all(re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", x) for x in labels)


def _not_shown(why: str, keys: tuple[str, ...]) -> str:
    """The log line of a request whose own line is not shown: why, unless that spells one
    of ``keys`` too (a key may be any text), then nothing but the bare statement."""
    said = f"(a request not shown: {why})"
    return said if not spells_a_key(said, keys) else "(-)"


def _masked_authorization(request: web.BaseRequest, keys: tuple[str, ...], mask: str) -> str:
    """The request's Authorization scheme, its value masked; the scheme too where it spells
    one of ``keys``, however escaped (the whole line is masked as written afterwards)."""
    value = request.headers.get("Authorization")
    if value is None:
        return "-"
    scheme, _, rest = value.strip().partition(" ")
    if not rest:
        return mask
    read = unquote(scheme)
    return f"{scheme if without_keys(read, keys, mask) == read else mask} {mask}"


def _presented_key(request: web.BaseRequest) -> str | None:
    value = request.headers.get("Authorization")
    return value.strip().partition(" ")[2].strip() or None if value else None


def _target(request: web.BaseRequest) -> str:
    target = request.raw_path
    if not target.startswith("/"):
        # An absolute-form request target (``POST http://host/path``), as proxies send.
        parts = urlsplit(target)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return target


def _plain(status: int) -> web.Response:
    """An answer the server gives on its own, in Infobip's error shape."""
    response = web.Response(
        status=status,
        body=wire.encode(wire.error_body(status)),
        headers={"Content-Type": wire.JSON_TYPE, "Server": _SERVER_HEADER},
    )
    response.force_close()
    return response


def _head(reply: Reply) -> bytes:
    """Status line and headers written by hand, for a body cut short on purpose."""
    try:
        reason = HTTPStatus(reply.status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {reply.status} {reason}", f"Server: {_SERVER_HEADER}"]
    lines += [f"{name}: {value}" for name, value in reply.headers.items()]
    lines += [f"Content-Length: {len(reply.body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class SandboxServer:
    """Serves a ``Sandbox`` on ``host:port`` from a background thread (``port=0``: any free).

    ``access_log`` receives one line per request (method, path, status, duration, the
    Authorization scheme with its key masked); ``None`` logs nothing.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        allow_non_loopback: bool = False,
        access_log: TextIO | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        idle_timeout: float = IDLE_TIMEOUT,
    ) -> None:
        if not is_loopback_host(host):
            if not allow_non_loopback:
                raise ValueError(
                    f"refusing to bind the sandbox to non-loopback host {host!r}; "
                    "pass allow_non_loopback=True to expose it to other machines"
                )
            print(
                f"warning: the Infobip sandbox on {host} is reachable from other machines; "
                "it accepts any request that carries a key and has no real security",
                file=sys.stderr,
            )
        self.sandbox = sandbox
        self.host = host
        self.port = port
        self._access_log = access_log
        self._max_body = max_body_bytes
        self._idle_timeout = idle_timeout
        self._server: BackgroundServer | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox server is not running; call start() first")
        host = self.host.strip("[]")
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self._server.port}"

    def start(self) -> SandboxServer:
        """Bind and serve. Raises ``OSError`` when the address cannot be bound."""
        if self._server is not None:
            return self
        server = BackgroundServer(
            self.host.strip("[]"),
            self.port,
            name="infobip-sandbox-server",
            keepalive_timeout=self._idle_timeout,
            workers=WORKERS,
        )
        self._server = server
        try:
            server.start(self._handle)
        except BaseException:
            self._server = None
            server.stop()
            raise
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        started = time.monotonic()
        response, shown = await self._answer(request)
        if self._access_log is not None:
            elapsed = (time.monotonic() - started) * 1000
            # The sandbox's key and the one the request presents (a base URL whose path may
            # hold the caller's key): one mask for every place of the line that shows one.
            keys = long_keys((self.sandbox.api_key, _presented_key(request)))
            mask = mask_of(keys)
            if mask is None:
                line = _not_shown("its keys leave no character to mask them with", keys)
            else:
                path = self._logged_path(request, keys, mask)
                auth = _masked_authorization(request, keys, mask)
                line = f"{request.method} {path} {shown} {elapsed:.1f} ms auth={auth}"
                # Once more over the whole line, as escaped: the escapes, the scheme or the
                # line's own words could spell a key with what is around them. Read once (its
                # escapes decoded), a line that still spells one is not shown.
                line = without_keys(line, keys, mask)
                if spells_a_key(unquote(line), keys):
                    line = _not_shown("its line, decoded, would spell a key", keys)
            line += "\n"
            try:
                self._access_log.write(line)
                self._access_log.flush()
            except (OSError, ValueError):
                pass  # a closed or broken log stream must not take requests down with it
        return response

    def _logged_path(self, request: web.BaseRequest, keys: tuple[str, ...], mask: str) -> str:
        """The request's path (not its query, which may carry anything) with ``keys``
        (however they were escaped) and any ``App …`` value masked by ``mask``; escaped again
        so that it stays one line of visible characters."""
        text = unquote(_target(request).partition("?")[0])
        text = without_keys(text, keys, mask)
        text = _AUTH_IN_PATH.sub(lambda m: f"{m.group(1)}{m.group(2)}{mask}", text)
        return quote(text, safe="/?&=:@!$'()*+,;~")

    async def _answer(self, request: web.BaseRequest) -> tuple[web.StreamResponse, str]:
        server = self._server
        if server is None:
            # stop() has begun: a request that slipped in meanwhile gets no answer.
            return self._drop(request), "no answer (server stopping)"
        try:
            body = await read_body(request, self._max_body, BODY_TIMEOUT)
        except BodyRefused as refused:
            return _plain(refused.status), str(refused.status)
        reply = await server.run_blocking(
            self.sandbox.handle, request.method, _target(request), dict(request.headers), body
        )
        if reply.drop == "hang":
            await self._hold(request, server.stopping)
            return self._drop(request), "no answer (hang)"
        if reply.delay and await self._wait(reply.delay, server.stopping):
            return self._drop(request), "no answer (server stopping)"
        if reply.drop == "before_response":
            return self._drop(request), "no answer (dropped)"
        if reply.drop == "mid_body":
            transport = request.transport
            if transport is not None:
                # Headers and half the body, then the connection closes.
                transport.write(_head(reply) + reply.body[: len(reply.body) // 2])
            return self._drop(request), f"{reply.status} (cut mid-body)"
        headers = {"Server": _SERVER_HEADER, **reply.headers}
        return web.Response(status=reply.status, headers=headers, body=reply.body), str(
            reply.status
        )

    @staticmethod
    async def _wait(seconds: float, stopping: threading.Event) -> bool:
        """Sleep ``seconds``; True when the server began stopping meanwhile."""
        deadline = time.monotonic() + seconds
        while not stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            await asyncio.sleep(min(remaining, 0.05))
        return True

    @staticmethod
    async def _hold(request: web.BaseRequest, stopping: threading.Event) -> None:
        """Leave the request unanswered until the client goes away or the server stops."""
        while not stopping.is_set():
            transport = request.transport
            if transport is None or transport.is_closing():
                return
            await asyncio.sleep(0.05)

    @staticmethod
    def _drop(request: web.BaseRequest) -> web.StreamResponse:
        transport = request.transport
        if transport is not None:
            transport.close()
        # Nothing of this reaches the client: its connection is already closed.
        return web.Response(status=500)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def run_server(
    host: str,
    port: int,
    api_key: str | None,
    *,
    out: TextIO | None = None,
    allow_non_loopback: bool = False,
    idempotent_sending: bool = False,
    grace_period: float | None = None,
) -> None:
    """Serve a sandbox until Ctrl-C; the start line and one line per request go to ``out``
    (stderr by default: stdout stays free for data). Never prints the key.

    ``idempotent_sending`` and ``grace_period`` (seconds; None: the default of 24 hours) are
    the account setting ``Sandbox.set_idempotent_sending`` emulates.

    Raises ``OSError`` when the address cannot be bound and ``ValueError`` for a non-loopback
    host without ``allow_non_loopback``.
    """
    stream = out if out is not None else sys.stderr
    if grace_period is None:
        grace_period = DEFAULT_GRACE_PERIOD
    server = SandboxServer(
        Sandbox(api_key, idempotent_sending=idempotent_sending, grace_period=grace_period),
        host,
        port,
        allow_non_loopback=allow_non_loopback,
        access_log=stream,
    )
    server.start()
    # The connector refuses keys under MIN_SECRET_LENGTH characters, so hint at one it takes.
    key_hint = (
        "<the key given with --api-key>"
        if api_key
        else f"{EXAMPLE_KEY}  (any key of {CONNECTOR_MIN_KEY_LENGTH} or more visible ASCII "
        "characters)"
    )
    try:
        print(
            "Infobip sandbox: a development emulator of Infobip's SMS and WhatsApp API. "
            "It sends nothing anywhere.\n"
            f"Listening on {server.url} ({_idempotency(idempotent_sending, grace_period)})\n"
            f"Point the connector at it: INFOBIP_BASE_URL={server.url} INFOBIP_API_KEY={key_hint}\n"
            "Press Ctrl-C to stop.",
            file=stream,
            flush=True,
        )
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print("Infobip sandbox stopped.", file=stream, flush=True)


def _idempotency(enabled: bool, grace_period: float) -> str:
    if not enabled:
        return "idempotent message sending off: a repeated messageId is sent again"
    return (
        f"idempotent message sending on: a messageId repeated within {grace_period:g} s is rejected"
    )
