"""The sandbox over real sockets: concurrency, keep-alive, shutdown and the CLI entry."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
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
    assert time.monotonic() - started < 2
    worker.join(3)
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


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_run_server_prints_how_to_connect_and_stops_on_ctrl_c() -> None:
    secret = "do-not-print-me-7731"
    code = (
        f"from infobip_connector.sandbox import run_server; run_server('127.0.0.1', 0, {secret!r})"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        banner = "".join(lines)
        assert "emulator" in banner and "sends nothing" in banner
        url = banner.split("Listening on ")[1].split()[0]
        assert f"INFOBIP_BASE_URL={url} INFOBIP_API_KEY=" in banner
        ok = httpx.get(url + "/account/1/balance", headers={"Authorization": f"App {secret}"})
        assert ok.status_code == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out
    assert secret not in banner + out + err
