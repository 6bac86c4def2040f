"""Lifecycle of the editor's HTTP server: loopback only, foreground or background.

Served by aiohttp's web server on a background thread (``infobip_connector.webserver``): one
task per connection, so slow or idle clients hold no threads, and they are cut off after
``IDLE_TIMEOUT``; backend calls (validation, runs) go to a small worker pool.
"""

from __future__ import annotations

import ipaddress
import sys
import threading
import webbrowser
from types import TracebackType

from ...webserver import BackgroundServer
from .api import EditorBackend
from .handler import EditorHandler

# A browser keeps a connection open between the page's calls; one that sends nothing (or an
# unfinished request) for this long is closed.
IDLE_TIMEOUT = 15.0
# Threads for backend calls: a run against Infobip can take up to its deadline.
WORKERS = 4


class EditorServer:
    """A bound editor; use ``start()``/``stop()`` or ``with`` for a background one."""

    def __init__(self, host: str, port: int, *, idle_timeout: float = IDLE_TIMEOUT) -> None:
        self._server = BackgroundServer(
            host,
            port,
            name="infobip-editor",
            keepalive_timeout=idle_timeout,
            workers=WORKERS,
        )
        self._handler = EditorHandler(
            EditorBackend(), self._server.host, self._server.port, self._server.run_blocking
        )
        self._stopped = threading.Event()

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self.port}/"

    def serve_forever(self) -> None:
        """Serve until ``stop()`` is called or the process is interrupted (Ctrl-C)."""
        self.start()
        while not self._stopped.wait(0.2):
            pass

    def start(self) -> EditorServer:
        self._server.start(self._handler)
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._server.stop()

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
    """An editor bound to ``host:port`` (port 0 picks a free one); not yet serving.

    Raises ``ValueError`` for a host that is not loopback and ``OSError`` when the port cannot
    be bound (in use, or not permitted).
    """
    return EditorServer(_loopback(host), port)


def run_editor(port: int, *, host: str = "127.0.0.1", open_browser: bool = False) -> None:
    """Serve the editor in the foreground until interrupted (the ``editor`` command).

    The start line goes to stderr, like the sandbox's: stdout is kept for data. Raises like
    ``make_server``.
    """
    server = make_server(port, host)
    try:
        # Serving before the line is printed, so whoever reads it can connect at once.
        server.start()
        print(f"Infobip connector editor on {server.url} (Ctrl+C to stop)", file=sys.stderr)
        if open_browser:
            webbrowser.open(server.url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
