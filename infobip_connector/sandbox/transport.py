"""An httpx transport (sync and async) that answers from a ``Sandbox`` without any socket.

Faults look to the client exactly like their network counterparts: a dropped connection is a
``RemoteProtocolError``, a body cut short is a ``ReadError``, and waiting longer than the
request's read timeout is a ``ReadTimeout`` after that timeout has really elapsed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from .core import Reply, Sandbox


def _read_timeout(request: httpx.Request) -> float | None:
    timeouts = request.extensions.get("timeout")
    if isinstance(timeouts, dict):
        value = timeouts.get("read")
        if isinstance(value, int | float):
            return float(value)
    return None


class _CutShortStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Yields the first half of a body, then fails as a peer closing mid-transfer would."""

    def __init__(self, head: bytes, request: httpx.Request) -> None:
        self._head = head
        self._request = request

    def _error(self) -> httpx.ReadError:
        return httpx.ReadError("connection closed in the middle of the body", request=self._request)

    def __iter__(self) -> Iterator[bytes]:
        if self._head:
            yield self._head
        raise self._error()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._head:
            yield self._head
        raise self._error()


class SandboxTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Use as ``httpx.Client(transport=...)`` or ``httpx.AsyncClient(transport=...)``."""

    #: The sandbox answering runs in this process: it can post reports to loopback URLs.
    on_this_machine = True
    #: What the client's logs and errors name instead of the base URL's host, to which
    #: nothing is sent: ``GET sandbox:/sms/3/logs``.
    log_name = "sandbox"

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        # Set on close so that a hang without a read timeout still ends.
        self._closed = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        reply = self._reply(request, request.read())
        timeout = _read_timeout(request)
        if reply.drop == "hang":
            if self._closed.wait(timeout):
                raise httpx.RemoteProtocolError("sandbox transport closed", request=request)
            raise httpx.ReadTimeout("timed out waiting for the sandbox", request=request)
        if reply.delay:
            if timeout is not None and reply.delay > timeout:
                time.sleep(timeout)
                raise httpx.ReadTimeout("timed out waiting for the sandbox", request=request)
            time.sleep(reply.delay)
        return self._response(reply, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        reply = self._reply(request, await request.aread())
        timeout = _read_timeout(request)
        if reply.drop == "hang":
            await self._hang(timeout)
            raise httpx.ReadTimeout("timed out waiting for the sandbox", request=request)
        if reply.delay:
            if timeout is not None and reply.delay > timeout:
                await asyncio.sleep(timeout)
                raise httpx.ReadTimeout("timed out waiting for the sandbox", request=request)
            await asyncio.sleep(reply.delay)
        return self._response(reply, request)

    async def _hang(self, timeout: float | None) -> None:
        if timeout is not None:
            await asyncio.sleep(timeout)
            return
        while not self._closed.is_set():
            await asyncio.sleep(0.05)

    def _reply(self, request: httpx.Request, body: bytes) -> Reply:
        target = request.url.raw_path.decode("ascii", errors="replace")
        return self.sandbox.handle(request.method, target, request.headers, body)

    def _response(self, reply: Reply, request: httpx.Request) -> httpx.Response:
        if reply.drop == "before_response":
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        headers = {**reply.headers, "Content-Length": str(len(reply.body))}
        extensions = {"http_version": b"HTTP/1.1"}
        if reply.drop == "mid_body":
            stream = _CutShortStream(reply.body[: len(reply.body) // 2], request)
            return httpx.Response(
                reply.status, headers=headers, stream=stream, request=request, extensions=extensions
            )
        return httpx.Response(
            reply.status,
            headers=headers,
            content=reply.body,
            request=request,
            extensions=extensions,
        )

    def close(self) -> None:
        self._closed.set()

    async def aclose(self) -> None:
        self._closed.set()
