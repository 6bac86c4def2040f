"""HTTP routing for the editor: the page, its static files and the JSON API.

Only loopback callers reach this server, but any web page the user has open can still
send requests to it, so API calls must carry a matching Host (no DNS rebinding), a JSON
content type (no cross-site form posts) and, when a browser sends one, a matching Origin.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from importlib import resources
from typing import Any

from .api import EditorBackend, RequestError

MAX_BODY_BYTES = 5 * 1024 * 1024

log = logging.getLogger("infobip_connector.editor")

_STATIC = {
    "/": ("editor/static/index.html", "text/html; charset=utf-8"),
    "/index.html": ("editor/static/index.html", "text/html; charset=utf-8"),
    "/static/editor.js": ("editor/static/editor.js", "text/javascript; charset=utf-8"),
    "/static/editor.css": ("editor/static/editor.css", "text/css; charset=utf-8"),
    "/static/icon.svg": ("icon.svg", "image/svg+xml"),
}

_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
    ),
}


class HttpError(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _package_file(name: str) -> bytes:
    return resources.files("infobip_connector").joinpath(*name.split("/")).read_bytes()


class EditorHandler(BaseHTTPRequestHandler):
    server_version = "infobip-connector-editor"
    sys_version = ""
    backend: EditorBackend  # set per server by make_server

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_HEAD(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _guarded(self, route: Any) -> None:
        try:
            self._check_host()
            route()
        except HttpError as exc:
            error = {"type": "request", "message": exc.message, "details": {}}
            self._send_json(exc.status, {"error": error})

    def _get(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/api/definition":
            self._send_json(HTTPStatus.OK, self.backend.definition())
            return
        if path not in _STATIC:
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such page: {path}")
        name, content_type = _STATIC[path]
        self._send(HTTPStatus.OK, _package_file(name), content_type)

    def _post(self) -> None:
        path = self.path.split("?", 1)[0]
        if path not in ("/api/validate", "/api/run"):
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such endpoint: {path}")
        self._check_origin()
        body = self._read_json()
        try:
            if path == "/api/validate":
                self._send_json(
                    HTTPStatus.OK, self.backend.validate(body.get("action"), body.get("inputs"))
                )
                return
            status, answer = self.backend.run(
                body.get("action"),
                body.get("inputs"),
                body.get("connection"),
                body.get("sandbox", True),
            )
        except RequestError as exc:
            raise HttpError(HTTPStatus.BAD_REQUEST, str(exc)) from None
        self._send_json(HTTPStatus(status), answer)

    def _check_host(self) -> None:
        address = self.server.server_address
        assert isinstance(address, tuple)
        host, port = address[0], address[1]
        allowed = {f"{host!s}:{port}", f"localhost:{port}"}
        if self.headers.get("Host", "") not in allowed:
            raise HttpError(
                HTTPStatus.FORBIDDEN, "requests must be addressed to this loopback host"
            )

    def _check_origin(self) -> None:
        origin = self.headers.get("Origin")
        if origin is None:
            return
        if origin != f"http://{self.headers.get('Host', '')}":
            raise HttpError(HTTPStatus.FORBIDDEN, "cross-origin requests are refused")

    def _read_json(self) -> dict[str, Any]:
        if not self.headers.get_content_type() == "application/json":
            raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
        if "Transfer-Encoding" in self.headers:
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length, not chunks")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "Content-Length is required") from None
        if length < 0 or length > MAX_BODY_BYTES:
            # The rest of the body stays unread, so this connection cannot be reused.
            self.close_connection = True
            raise HttpError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"request body over {MAX_BODY_BYTES // (1024 * 1024)} MB",
            )
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            raise HttpError(HTTPStatus.BAD_REQUEST, "the body is not valid JSON") from None
        if not isinstance(body, dict):
            raise HttpError(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
        return body

    def _send_json(self, status: HTTPStatus, payload: Any) -> None:
        data = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
        self._send(status, data, "application/json; charset=utf-8")

    def _send(self, status: HTTPStatus, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in _SECURITY_HEADERS.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        # Only the request line and status: bodies (which may hold a token) are never logged.
        log.info("%s - %s", self.address_string(), format % args)
