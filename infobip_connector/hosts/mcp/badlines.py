"""A stdio line that is no JSON-RPC message gets a JSON-RPC error, as the specification wants.

The stdio transport hands ``Server.run`` the exception a bad line raised, and the SDK only
logs it: the client waits for an answer that never comes. Here such a line is answered on
the spot with ``id: null`` (its id could not be read): -32700 for a line that is not JSON,
-32600 for JSON that is no JSON-RPC message (with its id when ``lineparse`` could read one)
or a line past the length bound. Only the SDK's
public message types are used; the answer goes out through the same write stream.
"""

from __future__ import annotations

from typing import Any

import mcp_types as types
from mcp.shared.message import SessionMessage
from pydantic import ValidationError

from ...redaction import get_logger
from .lineparse import BadRequest, NotJson

log = get_logger("infobip_connector.mcp")

PARSE_ERROR = -32700
INVALID_REQUEST = -32600


def bad_line_answer(problem: Exception, what: str = "line") -> SessionMessage:
    """The error answer to a ``what`` (a line, an HTTP body) whose parse raised ``problem``:
    ``id: null``, or the id a :class:`lineparse.BadRequest` could read."""
    if isinstance(problem, NotJson) or (
        isinstance(problem, ValidationError) and _not_json(problem)
    ):
        code, message = PARSE_ERROR, f"Parse error: the {what} is not JSON"
    else:
        code, message = INVALID_REQUEST, f"Invalid Request: {_why(problem)}"
    request_id = problem.request_id if isinstance(problem, BadRequest) else None
    error = types.JSONRPCError(
        jsonrpc="2.0", id=request_id, error=types.ErrorData(code=code, message=message)
    )
    return SessionMessage(error)


class AnsweringReader:
    """``Server.run``'s read stream: ``inner``'s messages; a bad line is answered on ``writer``
    and skipped, rather than handed to the SDK, which would only log it."""

    def __init__(self, inner: Any, writer: Any) -> None:
        self._inner = inner
        self._writer = writer

    async def receive(self) -> SessionMessage | Exception:
        """The next message; raises anyio.EndOfStream at the end of input."""
        while True:
            item: SessionMessage | Exception = await self._inner.receive()
            if not isinstance(item, Exception):
                return item
            log.debug("a line that is no JSON-RPC message: %s", type(item).__name__)
            await self._writer.send(bad_line_answer(item))

    async def aclose(self) -> None:
        await self._inner.aclose()


def _not_json(problem: ValidationError) -> bool:
    return any(error.get("type") == "json_invalid" for error in problem.errors())


def _why(problem: Exception) -> str:
    if isinstance(problem, ValidationError):
        return "not a JSON-RPC 2.0 request, notification or response"
    # A line past the bound (stdio.LineTooLong) and a request lineparse refused say so
    # themselves; neither quotes input.
    return str(problem)[:200]
