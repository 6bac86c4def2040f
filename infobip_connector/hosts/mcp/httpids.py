"""Over HTTP too, a request whose id is not a strict integer or a string gets an answer.

The SDK's streamable HTTP transport reads a POSTed request whose id is ``1E2``, ``3.0``,
``1.5``, ``null`` or ``true`` as a notification and answers 202 Accepted with no body:
the client waits on that id for ever, as over stdio. So each POST body the SDK would read
as a notification is looked at first, as ``lineparse.py`` reads a stdio line: a whole
number id becomes that integer (the body handed on is the request re-encoded), any other
id is answered 400 with a JSON-RPC error -32600 (``id: null``), and logged. Every other
body goes on untouched. (A body that is not JSON, or holds half of a UTF-16 pair, the SDK
answers 400 itself.)
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import mcp_types as types
from pydantic import ValidationError

from .badlines import bad_line_answer
from .httpguard import App, Receive, Scope, Send
from .lineparse import encoded, mended_request


def ids_mended(app: App) -> App:
    """``app`` (ASGI) with each POSTed request answered or handed on as :func:`_mended`."""

    async def mend(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: the app sees it so
                await app(scope, _replayed([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body, refusal = _mended(b"".join(chunks))
        if refusal is not None:
            await _answer(send, refusal)
            return
        request = {"type": "http.request", "body": body, "more_body": False}
        await app(scope, _replayed([request], receive), send)

    return mend


def _mended(body: bytes) -> tuple[bytes, bytes | None]:
    """The body to hand on, or the answer to give instead (None: hand it on)."""
    try:
        message = types.jsonrpc_message_adapter.validate_json(body, by_name=False)
    except ValidationError:
        return body, None  # the SDK's own answer (400) names the fault
    if not isinstance(message, types.JSONRPCNotification):
        return body, None
    mended = mended_request(body)
    if mended is None:
        return body, None
    if isinstance(mended, Exception):
        return body, encoded(bad_line_answer(mended).message)
    return encoded(mended.message).rstrip(b"\n"), None


def _replayed(messages: list[MutableMapping[str, Any]], receive: Receive) -> Receive:
    """A receive that gives ``messages`` first, then what ``receive`` gives."""
    waiting = list(messages)

    async def replay() -> MutableMapping[str, Any]:
        return waiting.pop(0) if waiting else await receive()

    return replay


async def _answer(send: Send, body: bytes) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(body)),
    ]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})
