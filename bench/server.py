"""Loopback stand-in for Infobip, run as its own process: ``python -m bench.server``.

Every answer is a pre-built byte string (status line, headers and body) written with
one ``sendall``, so a response costs the server one system call and no formatting.
The chosen port is printed on the first line of stdout.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.workers import _payloads as p


def http_response(body: bytes, status: str = "200 OK") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: keep-alive\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def build_answers(bulk_size: int) -> dict[str, bytes]:
    return {
        p.SMS_PATH: http_response(p.sms_response()),
        p.SMS3_PATH: http_response(p.sms3_response()),
        p.WHATSAPP_PATH: http_response(p.whatsapp_response()),
        p.BALANCE_PATH: http_response(p.balance_response()),
        "bulk": http_response(p.bulk_response(bulk_size)),
    }


NOT_FOUND = http_response(b'{"requestError":{"serviceException":{"text":"not found"}}}', "404")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    answers: dict[str, bytes] = {}

    def do_POST(self) -> None:
        # Clients that leave Nagle on (httpx does) write the body only once the headers
        # are acknowledged; acknowledge now instead of after the delayed-ACK timer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        length = int(self.headers.get("Content-Length") or 0)
        remaining = length
        # Drain the body without keeping it: a 100,000-destination bulk is megabytes.
        while remaining:
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
        path = self.path.split("?", 1)[0]
        if path == p.SMS_PATH and length >= p.BULK_THRESHOLD_BYTES:
            path = "bulk"
        self.connection.sendall(self.answers.get(path, NOT_FOUND))

    def do_GET(self) -> None:
        self.connection.sendall(self.answers.get(self.path.split("?", 1)[0], NOT_FOUND))

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 4096
    allow_reuse_address = True


def exit_with_parent() -> None:
    # A harness killed without cleaning up must not leave the server behind.
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--bulk-size", type=int, default=100_000)
    args = parser.parse_args(argv)
    Handler.answers = build_answers(args.bulk_size)
    server = Server(("127.0.0.1", args.port), Handler)
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=exit_with_parent, daemon=True).start()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
