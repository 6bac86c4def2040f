"""Lifecycle of the editor's HTTP server: loopback only, foreground or background."""

from __future__ import annotations

import ipaddress
import sys
import threading
import webbrowser
from http.server import ThreadingHTTPServer
from types import TracebackType

from .api import EditorBackend
from .handler import EditorHandler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The page fires a validation per pause in typing; a short queue is plenty.
    request_queue_size = 32


class EditorServer:
    """A running (or ready) editor; use ``start()``/``stop()`` or ``with`` for a background one."""

    def __init__(self, httpd: ThreadingHTTPServer) -> None:
        self._httpd = httpd
        self._thread: threading.Thread | None = None
        self._serving = threading.Event()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._httpd.server_address[0]!s}:{self.port}/"

    def serve_forever(self) -> None:
        self._serving.set()
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._serving.clear()

    def start(self) -> EditorServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.serve_forever, name="infobip-editor", daemon=True
            )
            self._thread.start()
            self._serving.wait(5)
        return self

    def stop(self) -> None:
        # shutdown() waits for serve_forever to notice, so only ask when it is running.
        if self._serving.is_set():
            self._httpd.shutdown()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> EditorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _loopback(host: str) -> str:
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None or address.version != 4 or not address.is_loopback:
        raise ValueError(
            f"the editor only listens on a loopback IPv4 address such as 127.0.0.1, not {host!r}"
        )
    return host


def make_server(port: int = 8000, host: str = "127.0.0.1") -> EditorServer:
    """An editor bound to ``host:port`` (port 0 picks a free one); not yet serving."""
    bound_host = _loopback(host)
    handler = type("BoundEditorHandler", (EditorHandler,), {"backend": EditorBackend()})
    return EditorServer(_Server((bound_host, port), handler))


def run_editor(port: int, *, open_browser: bool = False) -> None:
    """Serve the editor in the foreground until interrupted (the ``editor`` command)."""
    server = make_server(port)
    print(f"Infobip connector editor on {server.url} (Ctrl+C to stop)", file=sys.stderr)
    if open_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
