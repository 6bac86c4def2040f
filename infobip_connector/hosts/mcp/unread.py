"""The requests a stopped stdio server did not read: answered "not run", never dropped.

Once the server has stopped (a signal, its calls in flight ended and answered), lines the
client wrote meanwhile may still wait in the pipe. Each request among them is answered
with a JSON-RPC error (-32000, its ``data`` the ``stopped`` error object: nothing was
run, safe to send again), a line that is no message as any bad line is; notifications
need no answer. The input is closed right after (``stdio.MessageReader.unread``), so a
line written later fails at the client (EPIPE) rather than wait unanswered. With stdout
closed, each request is logged in one line instead.
"""

from __future__ import annotations

from typing import Any

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from ...redaction import get_logger
from ..serve.protocol import NOT_RUN
from .badlines import bad_line_answer
from .inflight import Stopped

log = get_logger("infobip_connector.mcp")

UNREAD_MESSAGE = (
    "The server stopped before it read this request: nothing was run. Send it again to a "
    "running server."
)


async def answer_unread(messages: list[SessionMessage | Exception], writer: Any) -> None:
    """Answer on ``writer`` each request of ``messages`` (the lines a stopped server left)."""
    error = Stopped(UNREAD_MESSAGE).to_dict()
    for message in messages:
        if isinstance(message, Exception):
            answer = bad_line_answer(message)
        elif isinstance(message.message, types.JSONRPCRequest):
            data = types.ErrorData(code=NOT_RUN, message=UNREAD_MESSAGE, data=error)
            answer = SessionMessage(
                types.JSONRPCError(jsonrpc="2.0", id=message.message.id, error=data)
            )
        else:
            continue
        try:
            await writer.send(answer)
        except anyio.BrokenResourceError:
            shown = repr(getattr(answer.message, "id", None))[:64]
            log.warning(
                "answer not delivered: request %s: not run, the server stopped before it read "
                "it; safe to send again (stdout closed)",
                shown,
            )
