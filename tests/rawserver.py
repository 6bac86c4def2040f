"""A loopback HTTP/1.1 server made of plain sockets, for answers no well-behaved server sends.

Each request is read whole (headers and ``Content-Length`` body, recorded in ``bodies``);
then the handler writes whatever it likes on the socket: a body one byte at a time, headers
one byte at a time, nothing at all, or any status, headers and bytes.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from typing import Any

Handler = Callable[[socket.socket, "RawServer"], None]


class RawServer:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.bodies: list[bytes] = []
        self.received = threading.Event()
        self.stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> RawServer:
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def sent_json(self, index: int = 0) -> Any:
        return json.loads(self.bodies[index])

    def _accept(self) -> None:
        self._listener.settimeout(0.05)
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    body += chunk
                self.bodies.append(body)
                self.received.set()
                self.handler(conn, self)
            except OSError:
                return  # the client gave up: that is what most handlers wait for


def answer(status: int, body: bytes, headers: dict[str, str] | None = None) -> Handler:
    """A complete answer of any status, headers and bytes."""

    def handle(conn: socket.socket, server: RawServer) -> None:
        lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    return handle


def trickle_body(interval: float) -> Handler:
    """Headers at once, then one body byte every ``interval`` seconds, for a long time."""

    def handle(conn: socket.socket, server: RawServer) -> None:
        size = 1000
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {size}\r\n\r\n".encode()
        )
        for _ in range(size):
            if server.stopping.wait(interval):
                return
            conn.sendall(b" ")

    return handle


def trickle_headers(interval: float) -> Handler:
    """The status line and headers one byte every ``interval`` seconds, never finished."""

    def handle(conn: socket.socket, server: RawServer) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for _ in range(1000):
            if server.stopping.wait(interval):
                return
            conn.sendall(b"X")

    return handle


def hang(conn: socket.socket, server: RawServer) -> None:
    """Read the request, then say nothing until the server stops or the client leaves."""
    conn.settimeout(0.05)
    while not server.stopping.is_set():
        try:
            if conn.recv(1) == b"":
                return
        except TimeoutError:
            continue
