"""The execution deadline as a real bound on the synchronous path, not a per-read timeout.

httpx's timeouts bound each socket operation: a server that sends its headers and then one
byte every 0.3 s never trips a 1 s read timeout, and would hold a synchronous ``execute``
for as long as it likes. Every socket operation of the pooled transport (connect, TLS
handshake, each write and read) therefore gets at most the time left before the deadline
of the execution running on the calling thread; past it, the operation times out and the
client reports the outcome as unknown. Transports given by the caller cannot be reached
that way; their bodies are read in chunks and the deadline is checked between them
(``Deadline.check``).

(The async path needs none of this: aiohttp's ``total`` and ``asyncio.timeout`` bound the
whole attempt.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

# A socket timeout of 0 would switch the socket to non-blocking mode (a different error).
_EXPIRED = 0.001


class Deadline:
    """The end of one execution, in ``time.monotonic()`` seconds."""

    __slots__ = ("ends", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def check(self) -> None:
        """Raise ``httpx.ReadTimeout`` once the deadline has passed."""
        if time.monotonic() >= self.ends:
            raise httpx.ReadTimeout("the execution deadline passed while reading the answer")


_current = threading.local()


class Active:
    """Bind ``deadline`` to this thread's socket operations for the ``with`` block."""

    __slots__ = ("_deadline", "_outer")

    def __init__(self, deadline: Deadline) -> None:
        self._deadline = deadline

    def __enter__(self) -> None:
        self._outer = getattr(_current, "deadline", None)
        _current.deadline = self._deadline

    def __exit__(self, *exc_info: object) -> None:
        _current.deadline = self._outer


def _clamp(timeout: float | None) -> float | None:
    deadline: Deadline | None = getattr(_current, "deadline", None)
    if deadline is None:
        return timeout
    left = max(deadline.remaining(), _EXPIRED)
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the deadline of the calling thread."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(host, port, _clamp(timeout), local_address, socket_options)
        return _Stream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _clamp(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class BoundedTransport(httpx.HTTPTransport):
    """An ``httpx.HTTPTransport`` whose socket operations end by the deadline bound to the
    calling thread (``Active``); an attempt knows it by its class.

    httpx takes no network backend, so the one of its connection pool is replaced here,
    before the first connection is made: every instance is bounded, however it is made.
    Should a later httpx arrange its pool differently, the test of the trickling server
    fails; the chunked read still bounds the body meanwhile.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        pool = getattr(self, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.NetworkBackend):
            pool._network_backend = _Backend(backend)  # type: ignore[union-attr]
