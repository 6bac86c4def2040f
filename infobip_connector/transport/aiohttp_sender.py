"""The pooled async path to Infobip, on aiohttp; its results look like httpx's to the client.

httpx's async connection pool spends milliseconds of CPU per request once many requests are
in flight (measured on 2 cores: about 3,300 µs per send with 100 in flight, against 290 µs
for aiohttp), so an engine running many steps at once would be held back by it. This module
sends one attempt and hands back an ``Answer`` or the httpx exception that means the
same thing, so retries, error mapping and redaction stay in ``client.py``, once. Transports
given by the caller (the sandbox, tests) still go through httpx.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import threading
import warnings
import weakref
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import aiohttp
import certifi
import httpx
from yarl import URL

from .answers import Answer
from .attempts import AnswerBody, bounded

# As many connections as the benchmark has requests in flight; more only queue at Infobip.
MAX_CONNECTIONS = 100
KEEPALIVE_SECONDS = 5.0


with warnings.catch_warnings():
    # aiohttp discourages subclassing its session in general; only __del__ is replaced.
    warnings.simplefilter("ignore", DeprecationWarning)

    class _PooledSession(aiohttp.ClientSession):
        def __del__(self, *args: Any) -> None:
            # A session outlives the event loop it served when an engine runs
            # ``asyncio.run`` per batch without ``aclose_pooled_clients()``; its sockets
            # went with the loop, and an "unclosed session" error would only be noise.
            if not self.closed and self._loop.is_closed():
                return
            super().__del__(*args)


class _PooledConnector(aiohttp.TCPConnector):
    def __del__(self, *args: Any) -> None:
        if not self.closed and self._loop.is_closed():
            return
        super().__del__(*args)

    async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
        """The connection the request is written to, once it has one (pooled or new).

        Until then (waiting for one of the pool's ``MAX_CONNECTIONS``, or connecting) not a
        byte of the request was written; the attempt's ``told`` (``request``), carried by its
        timeout, hears of the moment. Only what returns here is told: a cancellation inside
        leaves it untold.
        """
        connection = await super().connect(req, traces, timeout)
        # ``getattr``: a copy of the timeout (``copy``, ``attr.evolve``) has the slot unset.
        told = getattr(timeout, "told", None)
        if told is not None:
            told.connected()
        return connection


class Told(Protocol):
    """What an attempt tells once it holds a connection (the exchange it belongs to)."""

    def connected(self) -> None: ...


class _AttemptTimeout(aiohttp.ClientTimeout):
    """An attempt's limits, carrying whom its connection is told to (``told``).

    aiohttp hands the very timeout a request was given to ``connect``: the notice rides
    on an object every attempt makes anyway, found without a lookup, kept by nothing once
    the attempt is over (a task-keyed table, or a context variable, made objects and
    entries per send; see docs/performance.md).
    """

    __slots__ = ("told",)
    told: Told | None


_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession] = (
    weakref.WeakKeyDictionary()
)
_ssl_context: ssl.SSLContext | None = None
_lock = threading.Lock()


def _session() -> aiohttp.ClientSession:
    loop = asyncio.get_running_loop()
    session = _sessions.get(loop)
    if session is None or session.closed:
        with _lock:  # engines may run one event loop per thread
            session = _new_session(loop)
    return session


def _new_session(loop: asyncio.AbstractEventLoop) -> aiohttp.ClientSession:
    global _ssl_context
    session = _sessions.get(loop)
    if session is None or session.closed:
        # A session holds its loop, so the weak keys alone would keep every finished loop
        # (``asyncio.run`` per batch) alive with its session; a new loop drops them.
        for stale in [old for old in _sessions if old.is_closed()]:
            del _sessions[stale]
        if _ssl_context is None:
            # The same certificate store as the synchronous path (httpx uses certifi).
            _ssl_context = ssl.create_default_context(cafile=certifi.where())
        connector = _PooledConnector(
            limit=MAX_CONNECTIONS, keepalive_timeout=KEEPALIVE_SECONDS, ssl=_ssl_context
        )
        session = _sessions[loop] = _PooledSession(
            connector=connector,
            # One session serves every account: nothing one answer sets may ride along.
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            raise_for_status=False,
        )
        # Left alone, aiohttp sends a GET, PUT or DELETE once more by itself after the
        # connection dropped under it; whether a request may go again is the exchange's to
        # judge by its kind (a consume's items are handed out once). aiohttp's own test
        # client turns it off the same way; tests/test_aiohttp_no_repeat.py fails if a
        # later aiohttp repeats by other means.
        session._retry_connection = False
    return session


async def request(
    method: str,
    url: httpx.URL,
    content: bytes | None,
    headers: Mapping[str, str],
    timeout: httpx.Timeout,
    deadline: float,
    told: Told | None = None,
) -> Answer:
    """One attempt; raises the httpx exception a failure would have raised over httpx.

    ``told.connected()`` is called once the attempt holds a connection, before any byte of
    it is written: before that, a cancellation (or a failure) leaves nothing at Infobip.
    """
    limits = _AttemptTimeout(
        total=deadline,
        connect=timeout.pool,  # waiting for a pooled connection, then connecting
        sock_connect=timeout.connect,
        sock_read=timeout.read,
    )
    # The class is frozen (attrs); its one slot of ours is set past that.
    object.__setattr__(limits, "told", told)
    try:
        async with _session().request(
            method,
            _yarl_url(url),
            data=content,
            headers=headers,
            timeout=limits,
            allow_redirects=False,  # the key must not travel to wherever a redirect points
        ) as answer:
            stream = answer.content
            if stream.is_eof():
                # The whole body came with the head (a small answer): taken as it is,
                # without an iterator to wait on.
                content = stream.read_nowait()
                bounded(len(content))
                return Answer(answer.status, answer.headers, content)
            body = AnswerBody()
            async for chunk in stream.iter_any():
                body.add(chunk)
            return Answer(answer.status, answer.headers, body.content())
    except Exception as exc:
        raise _as_httpx(exc) from None


#: The most endpoints whose parsed URL is kept; past it the table starts again.
_MAX_URLS = 256
# id(httpx URL) → (that URL, its yarl form); the entry holds the URL, so the id is no
# other object's while the entry lives.
_yarl_urls: dict[int, tuple[httpx.URL, URL]] = {}


def _yarl_url(url: httpx.URL) -> URL:
    """``url`` as aiohttp takes it, parsed once per URL object.

    The text is already checked and encoded by the connection policy. Known by the object
    rather than by its value: an httpx URL renders its whole text to be hashed, about as
    much work as the rest of this module does for an attempt, while the exchange hands the
    same object for every request to one endpoint (``exchange._url`` keeps it).
    """
    known = _yarl_urls.get(id(url))
    if known is not None and known[0] is url:
        return known[1]
    parsed = URL(str(url), encoded=True)
    if len(_yarl_urls) >= _MAX_URLS:
        _yarl_urls.clear()
    _yarl_urls[id(url)] = (url, parsed)
    return parsed


def _as_httpx(exc: Exception) -> Exception:
    """The httpx exception with the same meaning for the retry policy.

    Only the class decides: connect failures and connect timeouts prove nothing was sent;
    everything after the connection was made may have reached Infobip. The words are the
    exception's; where they cannot be read (an attribute an older aiohttp leaves unset),
    its class names it, and the meaning stays.
    """
    text = _words(lambda: str(exc), exc)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(text)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(_words(lambda: _connect_text(exc), exc))
    if isinstance(exc, asyncio.TimeoutError):  # a read timeout, or the deadline
        return httpx.ReadTimeout(text)
    if isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        return httpx.InvalidURL(text)
    if isinstance(exc, aiohttp.ClientError) and "content-encoding" in text.lower():
        # aiohttp words it as an HTTP 400 ("400, message: Can not decode ..."), which read
        # inside the error for a 200 answer would say the wrong status.
        return httpx.DecodingError(_decoding_text(text))
    if isinstance(exc, aiohttp.ClientError):
        return httpx.RemoteProtocolError(text)
    return exc


def _words(read: Callable[[], str], exc: Exception) -> str:
    """``read()``, or the class name of ``exc`` when it is empty or cannot be read."""
    try:
        return read() or type(exc).__name__
    except Exception:
        return type(exc).__name__


def _connect_text(exc: aiohttp.ClientConnectorError) -> str:
    """Why the connection failed, as the synchronous path words it (``[Errno 111]
    Connection refused``), without aiohttp's ``ssl:default``, which reads as if TLS were
    involved even for a plain ``http`` URL."""
    # A certificate's failure is its own: before aiohttp 3.14 that error sets no
    # ``os_error`` at all (reading it raised AttributeError).
    cause: BaseException = getattr(exc, "certificate_error", None) or exc.os_error
    errno = getattr(cause, "errno", None)
    if isinstance(cause, socket.gaierror | ssl.SSLError) or type(errno) is not int or not errno:
        # A name lookup's or TLS's own words: their numbers are no system errno.
        return str(cause) or type(cause).__name__
    # asyncio words it "Connect call failed (host, port)": the system's text says why.
    return f"[Errno {errno}] {os.strerror(errno)}"


def _decoding_text(text: str) -> str:
    # "...Can not decode content-encoding: brotli (br). Please install `Brotli`', url=..."
    named = text.lower().rpartition("content-encoding:")[2].strip()
    encoding = named.split("'")[0].split(". ")[0].strip(" .") or "compressed"
    return f"the answer's body could not be decoded (Content-Encoding: {encoding})"


async def close_sessions() -> None:
    """Close the session of the running event loop."""
    with _lock:
        session = _sessions.pop(asyncio.get_running_loop(), None)
    if session is not None:
        await session.close()
