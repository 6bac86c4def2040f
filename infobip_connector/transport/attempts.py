"""One attempt over an httpx transport: the pooled connections and a bounded answer.

The sync path and caller-given transports go through here; the pooled async path is
``aiohttp_sender.py``. Both return an ``answers.Answer`` or raise the transport's exception,
which ``client.py`` judges.
"""

from __future__ import annotations

import socket
import sys
import threading
from functools import lru_cache
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
_sync_transport: httpx.HTTPTransport | None = None


def pooled_transport() -> httpx.HTTPTransport:
    global _sync_transport
    with _pool_lock:
        if _sync_transport is None:
            _sync_transport = deadline.bounded_transport(
                limits=_LIMITS, trust_env=False, socket_options=_SOCKET_OPTIONS
            )
        return _sync_transport


def _httpx_request(attempt: dict[str, Any]) -> httpx.Request:
    return httpx.Request(
        attempt["method"],
        attempt["url"],
        content=attempt["content"],
        headers=_wire_headers(tuple(attempt["headers"].items())),
        extensions={"timeout": attempt["timeout"].as_dict()},
    )


@lru_cache(maxsize=64)
def _wire_headers(pairs: tuple[tuple[str, str], ...]) -> httpx.Headers:
    """The headers of a request as httpx holds them, made once per distinct set of headers.

    A request copies an ``httpx.Headers`` it is given as it is, where a dict has each name
    and value checked and encoded again: that cost a sixth of a small send. The same few
    sets recur (one per key and body or none), and the cache is keyed by all their text, so
    any change makes a set of its own. Never changed in place (``httpx.Request`` copies it);
    its repr masks the Authorization value, as httpx does for every ``Headers``.
    """
    return httpx.Headers(dict(pairs))


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
        if self._size > MAX_ANSWER_BYTES:
            raise AnswerTooLarge(f"the answer is larger than {MAX_ANSWER_BYTES >> 20} MiB")
        self._chunks.append(chunk)

    def content(self) -> bytes:
        return self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)


def run_attempt(
    transport: httpx.BaseTransport, attempt: dict[str, Any], limit: deadline.Deadline
) -> Answer:
    body = AnswerBody()
    with deadline.Active(limit):
        response = transport.handle_request(_httpx_request(attempt))
        try:
            for chunk in response.iter_bytes():
                body.add(chunk)
                limit.check()  # a caller's transport is not bounded by deadline.Active
        finally:
            response.close()
    return Answer(response.status_code, response.headers, body.content())


async def run_attempt_async(
    transport: httpx.AsyncBaseTransport, attempt: dict[str, Any], limit: deadline.Deadline
) -> Answer:
    import asyncio  # here: a sync run (a CLI step) never loads the event loop

    try:
        async with asyncio.timeout(max(limit.remaining(), 0.001)):
            response = await transport.handle_async_request(_httpx_request(attempt))
            body = AnswerBody()
            try:
                async for chunk in response.aiter_bytes():
                    body.add(chunk)
            finally:
                await response.aclose()
    except TimeoutError:
        raise httpx.ReadTimeout("the execution deadline passed") from None
    return Answer(response.status_code, response.headers, body.content())


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
    aiohttp_sender = sys.modules.get(f"{__package__}.aiohttp_sender")
    if aiohttp_sender is not None:
        await aiohttp_sender.close_sessions()
