"""Over HTTP, every POSTed body gets the answer its stdio line would: a JSON-RPC one.

The SDK's streamable HTTP transport reads a body its own way, and a body it cannot read
gets an answer no client can match to its request, or none it can read at all:

- a request whose id is ``1E2``, ``3.0``, ``1.5``, ``null`` or ``true`` is read as a
  notification and answered 202 Accepted with no body: the client waits on that id for
  ever. A whole number id becomes that integer (the body handed on is the request
  re-encoded); any other id is answered 400 with -32600 (``id: null``), and logged;
- a text holding half of a UTF-16 pair (``"\\ud800"``) or bytes that are not UTF-8 was a
  400 parse error with ``id: null``. The body is read as a stdio line is
  (``lineparse.py``), so the request keeps its id; the SDK would refuse it again, so it
  is answered here, 400 with a JSON-RPC error naming the member: -32602 whose ``data`` is
  the connector's input error object (``params.arguments.messages[0].text``), or -32600
  for a member outside ``params`` (``id``, ``method``);
- a body that is not JSON (empty, ``NaN``, a byte order mark first) is -32700 and one that
  is JSON but no JSON-RPC message (a batch array, a number, no ``jsonrpc``) -32600, as
  over stdio, where the SDK answered -32602 with pydantic's text (which quotes the body);
- a Content-Type other than ``application/json`` was a bare 400 in plain text, and a
  body past :data:`MAX_BODY_BYTES` a bare 413: both now carry a -32600 error too (415,
  413), and the body is not read past the bound.

Every other body goes on untouched, and the SDK answers it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import mcp_types as types
from mcp.shared.message import SessionMessage

from ...errors import InputError
from ..serve import lenient
from .badlines import INVALID_REQUEST, bad_line_answer
from .httpguard import App, Receive, Scope, Send
from .lineparse import encoded, read_document, read_line

#: Longest body read (bytes), the SDK's own bound for streamable HTTP.
MAX_BODY_BYTES = 4 * 1024 * 1024
_JSON = "application/json"


def bodies_read(app: App) -> App:
    """``app`` (ASGI) with each POSTed body answered or handed on as :func:`_read`."""

    async def read(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await app(scope, receive, send)
            return
        if not _is_json(_header(scope, b"content-type")):
            await _answer(send, 415, _refusal(f"the Content-Type must be {_JSON}"))
            return
        too_large = _refusal(f"the body is larger than {MAX_BODY_BYTES >> 20} MiB")
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            await _answer(send, 413, too_large)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: the app sees it so
                await app(scope, _replayed([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                await _answer(send, 413, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body, refusal = _read(b"".join(chunks))
        if refusal is not None:
            await _answer(send, 400, refusal)
            return
        request = {"type": "http.request", "body": body, "more_body": False}
        await app(scope, _replayed([request], receive), send)

    return read


def _read(body: bytes) -> tuple[bytes, bytes | None]:
    """The body to hand on, or the answer to give instead (None: hand it on)."""
    message, as_is = read_line(body)
    if as_is:
        return body, None
    if isinstance(message, Exception):
        return body, encoded(bad_line_answer(message, "body").message)
    document = read_document(body)
    found = lenient.unreadable(document) if isinstance(document, dict) else None
    if found is None:  # a request whose id was mended: the SDK reads it re-encoded
        return encoded(message.message).rstrip(b"\n"), None
    return body, encoded(_unreadable_answer(message, *found).message)


def _unreadable_answer(message: SessionMessage, path: str, why: str) -> SessionMessage:
    """The error answer to ``message``, whose member at ``path`` no strict reader takes."""
    inner = message.message
    request_id = inner.id if isinstance(inner, types.JSONRPCRequest) else None
    code = types.INVALID_PARAMS if path.startswith("params") else INVALID_REQUEST
    text = "Invalid request parameters" if code == types.INVALID_PARAMS else "Invalid Request"
    error = InputError([{"path": path, "message": why}], f"{text}: {path}: {why}")
    # ``data`` the input error object, as ``badparams.invalid_params`` makes it.
    data = types.ErrorData(code=code, message=error.message, data=error.to_dict()["error"])
    return SessionMessage(types.JSONRPCError(jsonrpc="2.0", id=request_id, error=data))


def _refusal(why: str) -> bytes:
    """The -32600 answer (``id: null``: no request was read) saying ``why``."""
    data = types.ErrorData(code=INVALID_REQUEST, message=f"Invalid Request: {why}")
    return encoded(types.JSONRPCError(jsonrpc="2.0", id=None, error=data)).rstrip(b"\n")


def _is_json(content_type: str | None) -> bool:
    """Whether ``content_type`` names JSON (any parameters, such as a charset, aside)."""
    return content_type is not None and content_type.split(";")[0].strip().lower() == _JSON


def _header(scope: Scope, name: bytes) -> str | None:
    """The first ``name`` header of the request (lower-case ``name``), None without one."""
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _replayed(messages: list[MutableMapping[str, Any]], receive: Receive) -> Receive:
    """A receive that gives ``messages`` first, then what ``receive`` gives."""
    waiting = list(messages)

    async def replay() -> MutableMapping[str, Any]:
        return waiting.pop(0) if waiting else await receive()

    return replay


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(body)),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
