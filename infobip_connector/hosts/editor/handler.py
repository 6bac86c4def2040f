"""HTTP routing for the editor: the page, its static files and the JSON API.

Only loopback callers reach this server, but any web page the user has open can still
send requests to it, so API calls must carry a matching Host (no DNS rebinding), a JSON
content type (no cross-site form posts) and, when a browser sends one, a matching Origin.
Every refusal is an answer in the editor's error shape,
``{"error": {"type": "request", "message", "details"}}``; a browser that goes away before its
answer is written is not an error.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from importlib import resources
from typing import Any, TypeVar

from aiohttp import web

from ... import safejson
from ...redaction import get_logger
from ...webserver import BodyRefused, read_body
from ..uniquejson import loads_unique
from .api import EditorBackend, RequestError

MAX_BODY_BYTES = 5 * 1024 * 1024
# The whole request body must arrive within this long once the headers have.
BODY_TIMEOUT = 10.0
# Calls waiting for a worker beyond this are answered 503 at once instead of queueing.
MAX_WAITING = 32

log = get_logger("infobip_connector.editor")

T = TypeVar("T")
Runner = Callable[..., Awaitable[Any]]

_STATIC = {
    "/": ("hosts/editor/static/index.html", "text/html; charset=utf-8"),
    "/index.html": ("hosts/editor/static/index.html", "text/html; charset=utf-8"),
    "/static/values.js": ("hosts/editor/static/values.js", "text/javascript; charset=utf-8"),
    "/static/editor.js": ("hosts/editor/static/editor.js", "text/javascript; charset=utf-8"),
    "/static/triggers.js": ("hosts/editor/static/triggers.js", "text/javascript; charset=utf-8"),
    "/static/editor.css": ("hosts/editor/static/editor.css", "text/css; charset=utf-8"),
    "/static/icon.svg": ("icon.svg", "image/svg+xml"),
}

#: A trigger's schema and sample (``{"trigger"}``), and a simulated event
#: (``{"trigger", "values"}``).
_TRIGGER_API = ("/api/trigger", "/api/simulate")

_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
    ),
    "Server": "infobip-connector-editor",
}


class HttpError(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _package_file(name: str) -> bytes:
    return resources.files("infobip_connector").joinpath(*name.split("/")).read_bytes()


def parse_body(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object; ``HttpError`` 400 for anything else.

    Read by ``safejson``, the connector's one reader of untrusted JSON: strict (no ``NaN``),
    nested at most ``safejson.MAX_DEPTH`` levels, never an exception of another kind.
    """
    try:
        body = loads_unique(raw)  # a member named twice is refused, never half-read
    except safejson.JsonError as exc:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"the body {exc}") from None
    if not isinstance(body, dict):
        raise HttpError(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
    return body


class EditorHandler:
    """Answers one server's requests; synchronous backend calls go through ``run_blocking``."""

    def __init__(self, backend: EditorBackend, host: str, port: int, run_blocking: Runner) -> None:
        self.backend = backend
        self._allowed_hosts = {f"{host}:{port}", f"localhost:{port}"}
        self._run_blocking = run_blocking
        self._waiting = 0

    async def __call__(self, request: web.BaseRequest) -> web.StreamResponse:
        try:
            self._check_host(request)
            if request.method in ("GET", "HEAD"):
                return await self._get(request)
            if request.method == "POST":
                return await self._post(request)
            raise HttpError(HTTPStatus.METHOD_NOT_ALLOWED, f"{request.method} is not supported")
        except HttpError as exc:
            error = {"type": "request", "message": exc.message, "details": {}}
            response = _json(exc.status, {"error": error})
            if exc.status in (HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.REQUEST_TIMEOUT):
                # The rest of the body stays unread, so this connection cannot be reused.
                response.force_close()
            return response

    async def _get(self, request: web.BaseRequest) -> web.StreamResponse:
        if request.path == "/api/definition":
            return _json(HTTPStatus.OK, await self._call(self.backend.definition))
        if request.path not in _STATIC:
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such page: {request.path}")
        name, content_type = _STATIC[request.path]
        return _response(HTTPStatus.OK, _package_file(name), content_type)

    async def _post(self, request: web.BaseRequest) -> web.StreamResponse:
        if request.path not in ("/api/validate", "/api/run", "/api/options", *_TRIGGER_API):
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such endpoint: {request.path}")
        self._check_origin(request)
        body = parse_body(await self._read(request))
        try:
            if request.path == "/api/validate":
                answer = await self._call(
                    self.backend.validate, body.get("action"), body.get("inputs")
                )
                return _json(HTTPStatus.OK, answer)
            if request.path == "/api/trigger":
                return _json(
                    HTTPStatus.OK, await self._call(self.backend.trigger, body.get("trigger"))
                )
            if request.path == "/api/simulate":
                status, answer = await self._call(
                    self.backend.simulate, body.get("trigger"), body.get("values")
                )
                return _json(HTTPStatus(status), answer)
            if request.path == "/api/options":
                status, answer = await self._call(
                    self.backend.options,
                    body.get("action"),
                    body.get("property"),
                    body.get("inputs"),
                    body.get("connection"),
                    body.get("sandbox", True),
                )
                return _json(HTTPStatus(status), answer)
            status, answer = await self._call(
                self.backend.run,
                body.get("action"),
                body.get("inputs"),
                body.get("connection"),
                body.get("sandbox", True),
            )
        except RequestError as exc:
            raise HttpError(HTTPStatus.BAD_REQUEST, str(exc)) from None
        return _json(HTTPStatus(status), answer)

    async def _call(self, function: Callable[..., T], *args: Any) -> T:
        """Run a backend call on the worker pool, refusing when too many already wait."""
        if self._waiting >= MAX_WAITING:
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, "the editor is busy; try again")
        self._waiting += 1
        try:
            result: T = await self._run_blocking(function, *args)
            return result
        finally:
            self._waiting -= 1

    def _check_host(self, request: web.BaseRequest) -> None:
        if request.headers.get("Host", "") not in self._allowed_hosts:
            raise HttpError(
                HTTPStatus.FORBIDDEN, "requests must be addressed to this loopback host"
            )

    @staticmethod
    def _check_origin(request: web.BaseRequest) -> None:
        origin = request.headers.get("Origin")
        if origin is None:
            return
        if origin != f"http://{request.headers.get('Host', '')}":
            raise HttpError(HTTPStatus.FORBIDDEN, "cross-origin requests are refused")

    @staticmethod
    async def _read(request: web.BaseRequest) -> bytes:
        if request.content_type != "application/json":
            raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
        try:
            return await read_body(request, MAX_BODY_BYTES, BODY_TIMEOUT)
        except BodyRefused as refused:
            if refused.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
                message = f"request body over {MAX_BODY_BYTES // (1024 * 1024)} MB"
            else:
                message = "the request body came too slowly"
            raise HttpError(HTTPStatus(refused.status), message) from None


def _json(status: HTTPStatus, payload: Any) -> web.Response:
    try:
        data = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, RecursionError):
        # An answer holding NaN or Infinity cannot be shown as JSON; say so instead.
        message = "the answer holds values that are not strict JSON (NaN or Infinity)"
        error = {"type": "request", "message": message, "details": {}}
        status, data = HTTPStatus.BAD_GATEWAY, json.dumps({"error": error}).encode("utf-8")
    return _response(status, data, "application/json; charset=utf-8")


def _response(status: HTTPStatus, data: bytes, content_type: str) -> web.Response:
    headers = {"Content-Type": content_type, **_SECURITY_HEADERS}
    return web.Response(status=status, body=data, headers=headers)
