"""The sandbox over real HTTP/1.1 sockets, for engines and tools that cannot take a transport."""

from __future__ import annotations

import contextlib
import ipaddress
import select
import socket
import socketserver
import sys
import threading
import time
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TextIO
from urllib.parse import urlsplit

from . import wire
from .core import Reply, Sandbox

_MAX_BODY = 64 * 1024 * 1024
_IDLE_TIMEOUT = 120.0


def is_loopback_host(host: str) -> bool:
    if host.rstrip(".").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would resolve the host's FQDN, which can stall without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "infobip-sandbox"
    sys_version = ""
    timeout = _IDLE_TIMEOUT
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Without this, Nagle's algorithm and delayed ACKs add ~40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection)

    def finish(self) -> None:
        self.server.untrack(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request record is the log."""

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        target = self.path
        if not target.startswith("/"):
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {name: value for name, value in self.headers.items()}
        reply = self.server.sandbox.handle(self.command, target, headers, body)
        if reply.drop == "hang":
            self._hang()
            return
        if reply.delay and self.server.stopping.wait(reply.delay):
            self._drop()
            return
        if reply.drop == "before_response":
            self._drop()
            return
        self._send(reply)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > _MAX_BODY:
            self.close_connection = True
            self._send_plain(400 if length < 0 else 413)
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                self.close_connection = True
                self._send_plain(400)
                return None
            total += size
            if total > _MAX_BODY:
                self.close_connection = True
                self._send_plain(413)
                return None
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _send_plain(self, status: int) -> None:
        self._send(
            Reply(status, {"Content-Type": wire.JSON_TYPE}, wire.encode(wire.error_body(status)))
        )

    def _head(self, reply: Reply, length: int) -> bytes:
        try:
            reason = HTTPStatus(reply.status).phrase
        except ValueError:
            reason = "Unknown"
        lines = [f"HTTP/1.1 {reply.status} {reason}"]
        lines += [f"{name}: {value}" for name, value in reply.headers.items()]
        lines.append(f"Content-Length: {length}")
        lines.append(f"Date: {formatdate(usegmt=True)}")
        lines.append(f"Server: {self.server_version}")
        if self.close_connection:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _send(self, reply: Reply) -> None:
        body = b"" if self.command == "HEAD" else reply.body
        if reply.drop == "mid_body":
            self.wfile.write(self._head(reply, len(body)) + body[: len(body) // 2])
            self._drop()
            return
        # One write, so the status line, headers and body leave in one segment.
        self.wfile.write(self._head(reply, len(reply.body)) + body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _hang(self) -> None:
        """Hold the request unanswered until the client goes away or the server stops."""
        self.close_connection = True
        while not self.server.stopping.is_set():
            try:
                readable, _, _ = select.select([self.connection], [], [], 0.05)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    break
            except OSError:
                break
            if readable:
                # The client sent more (a pipelined request); keep ignoring it.
                time.sleep(0.05)
        self._drop()


class SandboxServer:
    """Serves a ``Sandbox`` on ``host:port`` from background threads (``port=0``: any free)."""

    def __init__(
        self,
        sandbox: Sandbox,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        allow_non_loopback: bool = False,
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
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the sandbox server is not running; call start() first")
        host = self.host.strip("[]")
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self._httpd.server_port}"

    def start(self) -> SandboxServer:
        if self._httpd is not None:
            return self
        host = self.host.strip("[]")
        server_class = _HTTPServer6 if ":" in host else _HTTPServer
        self._httpd = server_class((host, self.port), self.sandbox)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="infobip-sandbox-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.stopping.set()
        httpd.shutdown()
        # Idle keep-alive and hung connections would otherwise keep their threads alive.
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

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
    out: TextIO = sys.stdout,
    allow_non_loopback: bool = False,
) -> None:
    """Serve a sandbox until Ctrl-C. Prints where it listens; never prints the key."""
    server = SandboxServer(Sandbox(api_key), host, port, allow_non_loopback=allow_non_loopback)
    server.start()
    # The connector refuses keys under MIN_SECRET_LENGTH characters, so hint at one it takes.
    key_hint = (
        "<the key given with --api-key>"
        if api_key
        else "sandbox-key  (any key of 4 or more characters)"
    )
    print(
        "Infobip sandbox: a development emulator of Infobip's SMS and WhatsApp API. "
        "It sends nothing anywhere.\n"
        f"Listening on {server.url}\n"
        f"Point the connector at it: INFOBIP_BASE_URL={server.url} INFOBIP_API_KEY={key_hint}\n"
        "Press Ctrl-C to stop.",
        file=out,
        flush=True,
    )
    try:
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print("Infobip sandbox stopped.", file=out, flush=True)
