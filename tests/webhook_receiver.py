"""A loopback webhook endpoint for tests: keeps every post (path, headers, raw body) and
answers with scripted statuses (204 once the script is used up)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]
    data: bytes

    @property
    def body(self) -> Any:
        return json.loads(self.data)


class Hook:
    """``url`` takes POSTs; ``statuses`` are answered in order, then 204."""

    def __init__(self, *statuses: int) -> None:
        self.posts: list[Post] = []
        self._statuses = list(statuses)
        self._lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers["Content-Length"]))
                with hook._lock:
                    hook.posts.append(Post(self.path, dict(self.headers.items()), data))
                    status = hook._statuses.pop(0) if hook._statuses else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def bodies(self, path: str = "/hook") -> list[Any]:
        with self._lock:
            return [post.body for post in self.posts if post.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
