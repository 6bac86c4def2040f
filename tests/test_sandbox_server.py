"""The sandbox over real sockets: concurrency, keep-alive, shutdown and the CLI entry."""

from __future__ import annotations

import asyncio
import asyncio.selector_events
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

ROOT = Path(__file__).resolve().parent.parent
SMS = "/sms/2/text/advanced"
HEADERS = {"Authorization": "App server-key"}


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def test_200_concurrent_async_requests_all_succeed() -> None:
    sandbox = Sandbox("server-key", deliver_reports=False)

    async def burst(url: str) -> list[int]:
        limits = httpx.Limits(max_connections=250, max_keepalive_connections=20)
        async with httpx.AsyncClient(
            base_url=url, headers=HEADERS, limits=limits, timeout=20
        ) as http:

            async def one(index: int) -> int:
                destination = {"to": "41", "messageId": f"c{index}"}
                body = {"messages": [{"text": "hi", "destinations": [destination]}]}
                response = await http.post(SMS, json=body)
                return response.status_code

            return list(await asyncio.gather(*(one(index) for index in range(200))))

    with SandboxServer(sandbox) as server:
        statuses = asyncio.run(burst(server.url))
    assert statuses == [200] * 200
    assert len(sandbox.accepted_message_ids) == 200


def test_200_concurrent_keep_alive_connections_are_served_quickly() -> None:
    sandbox = Sandbox(deliver_reports=False)
    request = b"GET /account/1/balance HTTP/1.1\r\nHost: x\r\nAuthorization: App k\r\n\r\n"

    async def connection(host: str, port: int) -> int:
        reader, writer = await asyncio.open_connection(host, port)
        answered = 0
        for _ in range(3):
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            answered += head.startswith(b"HTTP/1.1 200 ")
        writer.close()
        return answered

    async def run(url: str) -> list[int]:
        host, port = address(url)
        return list(await asyncio.gather(*(connection(host, port) for _ in range(200))))

    with SandboxServer(sandbox) as server:
        started = time.monotonic()
        answered = asyncio.run(run(server.url))
        elapsed = time.monotonic() - started
    assert answered == [3] * 200
    # Far below what a Nagle/delayed-ACK stall per answer (~40 ms x 3 rounds) would allow for.
    assert elapsed < 5


def test_keep_alive_connection_is_reused_and_answers_arrive_whole() -> None:
    sandbox = Sandbox(deliver_reports=False)
    with SandboxServer(sandbox) as server, socket.create_connection(address(server.url)) as sock:
        request = b"GET /account/1/balance HTTP/1.1\r\nHost: x\r\nAuthorization: App k\r\n\r\n"
        for _ in range(3):
            sock.sendall(request)
            data = b""
            while b"47.79" not in data:
                chunk = sock.recv(65536)
                assert chunk
                data += chunk
            assert data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert sandbox.request_counts["/account/1/balance"] == 3


def test_chunked_request_bodies_are_read() -> None:
    sandbox = Sandbox(deliver_reports=False)

    def body() -> object:
        yield b'{"messages": [{"text": "x", '
        yield b'"destinations": [{"to": "41", "messageId": "chunked"}]}]}'

    with SandboxServer(sandbox) as server:
        response = httpx.post(server.url + SMS, content=body(), headers=HEADERS)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert sandbox.accepted_message_ids == {"chunked"}


def test_stop_does_not_hang_with_hung_and_idle_connections() -> None:
    sandbox = Sandbox(deliver_reports=False)
    server = SandboxServer(sandbox).start()
    sandbox.script("POST", SMS, Fault(drop="hang"))
    idle = socket.create_connection(address(server.url))
    errors: list[BaseException] = []

    def hung_call() -> None:
        try:
            httpx.post(server.url + SMS, json={}, headers=HEADERS, timeout=30)
        except httpx.HTTPError as exc:
            errors.append(exc)

    worker = threading.Thread(target=hung_call)
    worker.start()
    deadline = time.monotonic() + 5
    while not sandbox.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    port = address(server.url)[1]
    started = time.monotonic()
    server.stop()
    # A hang would last the client's 30 s timeout; the bound leaves room for a loaded machine.
    assert time.monotonic() - started < 15
    worker.join(15)
    assert not worker.is_alive()
    assert errors and isinstance(errors[0], httpx.TransportError)
    assert idle.recv(1) == b""
    idle.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/account/1/balance", timeout=1)


def test_non_loopback_hosts_need_explicit_permission(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="allow_non_loopback"):
        SandboxServer(Sandbox(), host="0.0.0.0")
    SandboxServer(Sandbox(), host="0.0.0.0", allow_non_loopback=True)
    assert "warning" in capsys.readouterr().err
    for host in ("127.0.0.1", "localhost", "::1", "127.5.5.5"):
        SandboxServer(Sandbox(), host=host)


def test_url_before_start_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        _ = SandboxServer(Sandbox()).url


def raw_exchange(url: str, request: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes, return everything the server answers before it closes or goes quiet."""
    with socket.create_connection(address(url), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body


def post_raw(url: str, body: bytes, content_type: str | None = "application/json") -> bytes:
    headers = f"POST {SMS} HTTP/1.1\r\nHost: x\r\nAuthorization: App server-key\r\n"
    if content_type is not None:
        headers += f"Content-Type: {content_type}\r\n"
    headers += f"Content-Length: {len(body)}\r\n\r\n"
    return raw_exchange(url, headers.encode() + body)


def service_exception(answer: bytes) -> tuple[int, str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, json.loads(body)["requestError"]["serviceException"]["messageId"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message_id"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "BAD_REQUEST"),
        (
            b'{"messages": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
            "application/json",
            400,
            "BAD_REQUEST",
        ),
        (b"{" * 100_000, "application/json", 400, "BAD_REQUEST"),
        (b'{"messages": [', "application/json", 400, "BAD_REQUEST"),
        (b"\xff\xfe not json at all", "application/json", 400, "BAD_REQUEST"),
        (b"messages=1", "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (b'{"messages": []}', "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ],
    ids=["deep-array", "deep-member", "unclosed-objects", "truncated", "binary", "form", "text"],
)
def test_bad_bodies_get_infobip_errors_never_silence(
    body: bytes, content_type: str, status: int, message_id: str
) -> None:
    sandbox = Sandbox("server-key", deliver_reports=False)
    with SandboxServer(sandbox) as server:
        answer = post_raw(server.url, body, content_type)
        assert service_exception(answer) == (status, message_id)
        # The server is still serving after the bad body.
        ok = httpx.get(server.url + "/account/1/balance", headers=HEADERS)
        assert ok.status_code == 200
    assert sandbox.accepted_message_ids == set()


def test_oversized_bodies_are_413_whether_announced_or_streamed() -> None:
    sandbox = Sandbox("server-key", deliver_reports=False)
    with SandboxServer(sandbox, max_body_bytes=1000) as server:
        announced = (
            f"POST {SMS} HTTP/1.1\r\nHost: x\r\nAuthorization: App server-key\r\n"
            "Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
        ).encode()
        assert service_exception(raw_exchange(server.url, announced)) == (
            413,
            "PAYLOAD_TOO_LARGE",
        )

        def chunks() -> Iterator[bytes]:
            for _ in range(20):
                yield b" " * 100

        streamed = httpx.post(server.url + SMS, content=chunks(), headers=HEADERS)
        assert streamed.status_code == 413
        assert streamed.json()["requestError"]["serviceException"]["messageId"] == (
            "PAYLOAD_TOO_LARGE"
        )
    assert sandbox.requests == []


def test_slow_clients_hold_no_threads_and_are_cut_off_when_idle() -> None:
    sandbox = Sandbox("server-key", deliver_reports=False)
    with SandboxServer(sandbox, idle_timeout=1.0) as server:
        threads_before = threading.active_count()
        slow = []
        for _ in range(200):
            sock = socket.create_connection(address(server.url), timeout=10)
            # Half a request line, and then nothing.
            sock.sendall(b"POST /sms/2/text/adv")
            slow.append(sock)
        ok = httpx.get(server.url + "/account/1/balance", headers=HEADERS, timeout=10)
        assert ok.status_code == 200
        assert threading.active_count() <= threads_before + 8
        try:
            for sock in slow:
                # Closed by the server after the idle timeout: end of stream, not a hang.
                assert sock.recv(1024) == b""
        finally:
            for sock in slow:
                sock.close()


def test_answers_leave_in_one_write_with_tcp_nodelay(monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[bytes] = []
    nodelay: list[int] = []
    original_write = asyncio.selector_events._SelectorSocketTransport.write  # type: ignore[attr-defined]

    def spy(self: Any, data: bytes) -> None:
        sock = self.get_extra_info("socket")
        nodelay.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writes.append(bytes(data))
        original_write(self, data)

    monkeypatch.setattr(asyncio.selector_events._SelectorSocketTransport, "write", spy)  # type: ignore[attr-defined]
    sandbox = Sandbox("server-key", deliver_reports=False)
    body = {"messages": [{"text": "hi", "destinations": [{"to": "41", "messageId": "w1"}]}]}
    with SandboxServer(sandbox) as server:
        response = httpx.post(server.url + SMS, json=body, headers=HEADERS)
    assert response.status_code == 200
    answers = [w for w in writes if w.startswith(b"HTTP/1.1 ")]
    assert len(answers) == 1 and len(writes) == 1
    assert answers[0].endswith(response.content)
    assert all(nodelay)


def test_a_request_that_arrives_while_stopping_gets_no_answer_not_an_assertion() -> None:
    """stop() clears the server before aiohttp has finished: a request handled in between
    is dropped like any other when the server stops, never an AssertionError."""
    server = SandboxServer(Sandbox())  # never started, as after stop()
    closed: list[bool] = []

    class Transport:
        def close(self) -> None:
            closed.append(True)

    class Request:
        transport = Transport()

    _, shown = asyncio.run(server._answer(Request()))  # type: ignore[arg-type]
    assert shown == "no answer (server stopping)"
    assert closed == [True]
