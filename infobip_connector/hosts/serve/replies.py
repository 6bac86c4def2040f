"""Where the answers of a line go: each at once for a lone request, gathered for a batch.

A batch's array is bounded (``MAX_BATCH_ANSWER_BYTES``); an answer that cannot be
encoded becomes an ``internal`` error answer, never a lost line. Each answer carries the
summary the log shows if it cannot be delivered (``lost.py``), made only then.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from ...errors import InputError, InternalError
from .ids import encode_answer
from .lost import Summary, lost_summary
from .methods import LOCAL_METHODS
from .protocol import INTERNAL_ERROR, INVALID_REQUEST, Line, error_answer

Answer = dict[str, Any]
#: Where encoded answer lines go, with one lost-answer summary per answer they hold.
Send = Callable[[bytes, list[Summary]], None]
#: Bytes a batch's answer may take before the answers of ``LOCAL_METHODS`` are left out.
MAX_BATCH_ANSWER_BYTES = 8 * 1024 * 1024


def encode(answer: Answer | list[bytes]) -> bytes:
    """One answer, or a batch of encoded answers, as one line."""
    if isinstance(answer, list):
        return b"[" + b",".join(answer) + b"]\n"
    try:
        return encode_answer(answer)
    except (TypeError, ValueError) as exc:
        error = InternalError(f"internal error: the result is not JSON ({type(exc).__name__})")
        return encode_answer(error_answer(answer["id"], INTERNAL_ERROR, error))


def _too_large(answer: Answer) -> bytes:
    """The answer of a batch member whose own would take the batch's past its bound."""
    message = (
        f"the answer of this batch passed {MAX_BATCH_ANSWER_BYTES} bytes: this request's "
        "answer is left out (nothing was run at Infobip); send it on a line of its own"
    )
    error = InputError([{"path": "", "message": message}], message)
    return encode(error_answer(answer["id"], INVALID_REQUEST, error))


class Lone:
    """Where the answers of a line that is not a batch go: each out at once, as a line.

    Holds nothing of the line, so one serves every such line of a worker (no object per
    request).
    """

    __slots__ = ("_send",)

    def __init__(self, send: Send) -> None:
        self._send = send

    def add(self, answer: Answer | None, method: str | None = None, key: str | None = None) -> None:
        """The answer of one of the line's calls (None for a notification) to ``method``;
        ``key``: the execution key of the send it answers."""
        if answer is not None:
            # What the log says if the answer is lost, made only then: a summary walks
            # every messageId of the answer.
            self._send(encode(answer), [partial(lost_summary, answer, method, key)])


class Reply:
    """Where the answers of a batch go: gathered for the batch's array.

    A batch's array is bounded: past ``MAX_BATCH_ANSWER_BYTES``, the answer of a method
    the worker answers by itself (``LOCAL_METHODS``: a line of a thousand ``definition``
    calls would otherwise be a 100 MB answer) is replaced by an error saying to ask on a
    line of its own. The answers of requests that went to Infobip are always kept whole.
    """

    def __init__(self, send: Send, line: Line) -> None:
        self._send = send
        self._left = len(line.calls) + len(line.answers)
        self._gathered: list[bytes] = []
        self._size = 0
        self._summaries: list[Summary] = []  # made only if lost, as ``_Lone`` makes them

    def add(self, answer: Answer | None, method: str | None = None, key: str | None = None) -> None:
        """The answer of one of the line's calls (None for a notification) to ``method``;
        ``key``: the execution key of the send it answers."""
        self._left -= 1
        if answer is not None:
            encoded = encode(answer)
            summary = partial(lost_summary, answer, method, key)
            if self._size + len(encoded) > MAX_BATCH_ANSWER_BYTES and method in LOCAL_METHODS:
                encoded = _too_large(answer)
            self._size += len(encoded)
            self._gathered.append(encoded[:-1])
            self._summaries.append(summary)
        if self._left == 0 and self._gathered:
            self._send(encode(self._gathered), self._summaries)
