"""One attempt over an httpx transport: the pooled connections and a bounded answer.

The sync path and caller-given transports go through here; the pooled async path is
``aiohttp_sender.py``. Both return an ``answers.Answer`` or raise the transport's exception,
which ``client.py`` judges.
"""

from __future__ import annotations

import socket
import sys
import threading
from typing import Any

import httpx

from . import deadline
from .answers import Answer

#: The largest answer read: far above the 17 MB answer to 100,000 destinations, low enough
#: that a runaway answer is refused before it exhausts memory.
MAX_ANSWER_BYTES = 256 * 1024 * 1024

# Attempts go straight to an httpx transport rather than through an httpx.Client: a client
# would add a cookie jar (one pooled connection serves many accounts, so a cookie from one
# answer must never ride along with another's request), redirect handling (never wanted:
# the key must not travel to wherever a redirect points) and header merging, which cost
# more than the rest of a small send. Nothing the client adds is wanted here.

_pool_lock = threading.Lock()
_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=100, keepalive_expiry=5.0)
# Small requests go out in one segment instead of waiting for the server's delayed ACK.
_SOCKET_OPTIONS = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
_sync_transport: deadline.BoundedTransport | None = None


def pooled_transport() -> deadline.BoundedTransport:
    global _sync_transport
    with _pool_lock:
        if _sync_transport is None:
            _sync_transport = deadline.BoundedTransport(
                limits=_LIMITS, trust_env=False, socket_options=_SOCKET_OPTIONS
            )
        return _sync_transport


def _httpx_request(attempt: dict[str, Any]) -> httpx.Request:
    content: bytes | None = attempt["content"]
    method: str = attempt["method"]
    body = b"" if content is None else content
    request = httpx.Request(
        method,
        attempt["url"],
        headers=_wire_headers(
            method,
            attempt["url"],
            tuple(attempt["headers"].items()),
            None if content is None else len(content),
        ),
        # A stream given whole: httpx then adds no headers of its own (they are all in the
        # set above already) and leaves the copying and checking of them out.
        stream=httpx.ByteStream(body),
        extensions={"timeout": attempt["timeout"].as_dict()},
    )
    # Read already, as httpx makes a request given its content whole, so that a transport
    # may take ``request.content``. Set as ``Request.read`` sets it: its check that the
    # stream is an ``Iterable`` (an ABC) and its join cost a small send about a microsecond.
    request._content = body
    return request


#: (method, id of the URL, headers, body length) → (that URL, the request's headers).
_header_sets: dict[tuple[Any, ...], tuple[httpx.URL, httpx.Headers]] = {}
_MAX_HEADER_SETS = 256
#: Header names whose presence changes what httpx adds for a body.
_BODY_HEADERS = frozenset({"content-length", "transfer-encoding"})


def _wire_headers(
    method: str, url: httpx.URL, pairs: tuple[tuple[str, str], ...], length: int | None
) -> httpx.Headers:
    """A request's headers as httpx holds them, made once per distinct request shape.

    Exactly the ones httpx makes for the same method, URL, headers and a body of that
    length (its ``Host`` and ``Content-Length`` included); a request given them copies
    them as they are, where headers given as a dict, with ``content``, have each name and
    value checked and encoded and the whole set rebuilt: that cost a third of a small send.
    The same few shapes recur (one per key, target and body length); the cache is keyed by
    all the headers' text, so any change makes a set of its own. The URL is held by its
    entry, so its id is never another's while the entry lives, and an entry is used only
    for that very object. Never changed in place (``httpx.Request`` copies it); its repr
    masks the Authorization value, as httpx does for every ``Headers``.
    """
    key = (method, id(url), pairs, length)
    known = _header_sets.get(key)
    if known is not None and known[0] is url:
        return known[1]
    if length is not None and length > 1 and _BODY_HEADERS.isdisjoint(n.lower() for n, _ in pairs):
        # Another length of a known shape: httpx's set for a 1-byte body, whose
        # Content-Length (the one such header in it) says this length instead.
        headers = httpx.Headers(_wire_headers(method, url, pairs, 1))
        headers["Content-Length"] = str(length)
    else:
        body = None if length is None else bytes(length)
        headers = httpx.Request(method, url, headers=dict(pairs), content=body).headers
    if len(_header_sets) >= _MAX_HEADER_SETS:
        _header_sets.clear()
    _header_sets[key] = (url, headers)
    return headers


class AnswerTooLarge(httpx.ReadError):
    """The answer grew past ``MAX_ANSWER_BYTES``; reading stopped (the outcome is unknown)."""


class AnswerBody:
    """An answer's bytes, collected chunk by chunk and refused past ``MAX_ANSWER_BYTES``.

    An answer, like any untrusted input, is bounded before it can exhaust memory; the
    failure is then one of the transport, mapped like a dropped connection.
    """

    __slots__ = ("_chunks", "_size")

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        bounded(self._size)
        self._chunks.append(chunk)

    def content(self) -> bytes:
        return self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)


def bounded(size: int) -> None:
    """Raise ``AnswerTooLarge`` when an answer of ``size`` bytes is past ``MAX_ANSWER_BYTES``."""
    if size > MAX_ANSWER_BYTES:
        limit = MAX_ANSWER_BYTES
        told = f"{limit >> 20} MiB" if limit % (1 << 20) == 0 else f"{limit:,} bytes"
        raise AnswerTooLarge(f"the answer is larger than {told}")


def _read_already(response: httpx.Response) -> bytes | None:
    """The body of ``response`` if its transport handed it over read (a transport in this
    process: the sandbox's, a mock), checked against ``MAX_ANSWER_BYTES``; else None.

    Such a body is in memory already, whole: there is nothing to wait for between chunks,
    so it is taken as it is rather than gathered again from httpx's chunk iterator.
    """
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return None
    bounded(len(content))
    return content


def run_attempt(
    transport: httpx.BaseTransport, attempt: dict[str, Any], limit: deadline.Deadline
) -> Answer:
    # By its class, not as the pooled one of the moment: the pool may be closed and
    # replaced (close_pooled_clients) while a send still holds its transport.
    if type(transport) is not deadline.BoundedTransport:
        # A caller's transport: deadline.Active reaches no socket of it, and its body is
        # read in chunks with the deadline checked between them.
        return _answer(transport.handle_request(_httpx_request(attempt)), limit)
    with deadline.Active(limit):
        return _answer(transport.handle_request(_httpx_request(attempt)), limit)


def _answer(response: httpx.Response, limit: deadline.Deadline) -> Answer:
    try:
        content = _read_already(response)
        if content is None:
            body = AnswerBody()
            for chunk in response.iter_bytes():
                body.add(chunk)
                limit.check()  # a caller's transport is not bounded by deadline.Active
            content = body.content()
    finally:
        response.close()
    return Answer(response.status_code, response.headers, content)


async def run_attempt_async(
    transport: httpx.AsyncBaseTransport, attempt: dict[str, Any], limit: deadline.Deadline
) -> Answer:
    import asyncio  # here: a sync run (a CLI step) never loads the event loop

    try:
        async with asyncio.timeout(max(limit.remaining(), 0.001)):
            response = await transport.handle_async_request(_httpx_request(attempt))
            try:
                content = _read_already(response)
                if content is None:
                    body = AnswerBody()
                    async for chunk in response.aiter_bytes():
                        body.add(chunk)
                    content = body.content()
            finally:
                await response.aclose()
    except TimeoutError:
        raise httpx.ReadTimeout("the execution deadline passed") from None
    return Answer(response.status_code, response.headers, content)


def close_pooled_clients() -> None:
    """Close the pooled synchronous connections (async ones: ``aclose_pooled_clients``)."""
    global _sync_transport
    with _pool_lock:
        transport, _sync_transport = _sync_transport, None
    if transport is not None:
        transport.close()


async def aclose_pooled_clients() -> None:
    """Close the pooled async connections of the running event loop."""
    # Nothing is pooled unless an async send has loaded the module; do not import aiohttp.
    # A module still being imported by another thread is listed without its functions;
    # it has opened no session yet either.
    close = getattr(sys.modules.get(f"{__package__}.aiohttp_sender"), "close_sessions", None)
    if close is not None:
        await close()
