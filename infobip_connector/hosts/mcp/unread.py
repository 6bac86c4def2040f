"""The requests a stopped stdio server did not read: answered "not run", never dropped.

Once the server has stopped (a signal, its calls in flight ended and answered), lines the
client wrote meanwhile may still wait in the pipe. Each request among them is answered
with a JSON-RPC error (-32000, its ``data`` the ``stopped`` error object: nothing was
run, safe to send again), a line that is no message as any bad line is; notifications
need no answer. The input is closed right after (``stdio.MessageReader.unread``), so a
line written later fails at the client (EPIPE) rather than wait unanswered. The answers are
queued, not waited for: they go out with the last write (``stdio.MessageWriter.drain``,
bounded by ``--grace``), and each one stdout cannot take is logged in ``serve``'s line.
"""

from __future__ import annotations

import mcp_types as types
from mcp.shared.message import SessionMessage

from ..serve.protocol import NOT_RUN
from .badlines import bad_line_answer
from .inflight import Stopped
from .stdio import MessageWriter

UNREAD_MESSAGE = (
    "The server stopped before it read this request: nothing was run. Send it again to a "
    "running server."
)


def answer_unread(messages: list[SessionMessage | Exception], writer: MessageWriter) -> None:
    """Queue on ``writer`` an answer to each request of ``messages`` (the lines a stopped
    server left)."""
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
        writer.queue(answer)
