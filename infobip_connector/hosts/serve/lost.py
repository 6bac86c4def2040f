"""What the log says of an answer a host could not deliver: one line per answer.

``serve`` and the MCP server write the same line (``lost_line``) for each answer the client
never got (stdout closed, or not read before the end): the request's id, its method or
tool, whether it succeeded or the error (JSON-RPC code and the connector's error type),
the bulkId and messageIds of an ``outcome_unknown`` (what the operator checks before
sending again) and of a result that names them (a send that succeeded, the items a poll or
a consume handed out: what the operator reconciles), and a send's idempotency key. Never
the result or the error's text and details: those may quote message texts (one-time
codes), phone numbers or a value given where a key was expected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...outcome import ids_text, result_ids

#: Longest method name or id shown; a client chooses both.
_SHOWN = 64
#: The members of a result or an error's details that a line names.
_ID_NAMES = ("bulkId", "messageId", "messageIds")
#: Makes the log line of an answer stdout could not take (``lost_summary``), only when it
#: is lost: the tag of an answer line on serve's output (``hosts/lineout.py``).
Summary = Callable[[], str]
#: How the log line starts; the rest is ``lost_line``'s.
LOST = "answer not delivered: %s"
#: The log line of a request sent as a notification that is not run (serve and MCP).
NOT_RUN_NOTIFICATION = (
    "notification %s not run: its outcome could never be told (a notification gets no "
    "answer); give it an id"
)


def lost_line(
    request_id: Any,
    method: str | None,
    *,
    error: str | None = None,
    ids: Mapping[str, Any] | None = None,
    key: str | None = None,
    key_name: str = "idempotencyKey",
    why: str | None = None,
) -> str:
    """The line (after ``LOST``'s prefix) for the lost answer to request ``request_id``.

    ``method``: the method or tool called (None: not known, or a name the client made up);
    ``error``: ``"CODE TYPE"`` (or a part) of an error answer, None for a success; ``ids``:
    where its bulkId and messageIds are (a result's, ``outcome.result_ids``, or an error's
    details); ``key``: the execution key of the send it answers, named ``key_name`` as the
    host's clients write it; ``why``: why it was lost, when the host says so per line.
    """
    line = f"request {_shown(repr(request_id))}"
    if method is not None:
        line += f" ({_shown(method)})"
    line += ": it succeeded" if error is None else f": error {error}"
    if why:
        line += f"; {why}"
    if ids and any(name in ids for name in _ID_NAMES):
        # Sent: the key names it (to reconcile), never a retry, which would send it again.
        line += f"; {'IDs' if error is None else 'IDs to check'}: {ids_text(ids)}"
    if key is not None:
        line += f"; {key_name}={_shown(repr(key))}"
    return line


def lost_summary(
    answer: Mapping[str, Any], method: str | None, key: str | None = None, why: str | None = None
) -> str:
    """:func:`lost_line` of the JSON-RPC ``answer`` to the request calling ``method`` (None:
    not read); ``key``: the execution key of the send it answers (given or the worker's own)."""
    error = answer.get("error")
    if not isinstance(error, Mapping):
        return lost_line(
            answer.get("id"), method, ids=result_ids(answer.get("result")), key=key, why=why
        )
    failure = str(error.get("code"))
    details: Mapping[str, Any] = {}
    data = error.get("data")
    if isinstance(data, Mapping) and isinstance(data.get("error"), Mapping):
        failure += f" {_shown(str(data['error'].get('type')))}"
        found = data["error"].get("details")
        details = found if isinstance(found, Mapping) else {}
    return lost_line(answer.get("id"), method, error=failure, ids=details, key=key, why=why)


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
