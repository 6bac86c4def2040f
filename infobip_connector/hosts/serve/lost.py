"""What the log says of an answer the worker could not deliver (the client closed stdout).

Only a summary, the same for a lone answer and for each member of a batch: the request's
id, its method, and for an error its JSON-RPC code and the connector's error type, with
the bulkId and messageIds of an ``outcome_unknown`` (what the operator checks before
sending again), and those of a result that names them (a send that succeeded, the items a
poll or a consume handed out: what the operator reconciles). Never the result or the
error's text and details: those may quote message texts (one-time codes), phone numbers or
a value given where a key was expected.
"""

from __future__ import annotations

from typing import Any

from ...outcome import ids_text, result_ids

#: Longest method name or id shown; a client chooses both.
_SHOWN = 64


def lost_summary(answer: dict[str, Any], method: str | None, key: str | None = None) -> str:
    """One line about ``answer`` to the request calling ``method`` (None: not read);
    ``key``: the execution key of the send it answers (given or the worker's own)."""
    about = f"request {_shown(repr(answer.get('id')))}"
    if method is not None:
        about += f" ({_shown(method)})"
    named_key = f"; idempotencyKey={_shown(repr(key))}" if key is not None else ""
    error = answer.get("error")
    if not isinstance(error, dict):
        named = result_ids(answer.get("result"))
        # Sent: the key names it (to reconcile), never a retry, which would send it again.
        ids = f"; IDs: {ids_text(named)}" if named else ""
        return f"{about}: it succeeded{ids}{named_key}"
    summary = f"{about}: error {error.get('code')}"
    details: dict[str, Any] = {}
    data = error.get("data")
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        summary += f" {_shown(str(data['error'].get('type')))}"
        found = data["error"].get("details")
        details = found if isinstance(found, dict) else {}
    if any(name in details for name in ("bulkId", "messageId", "messageIds")):
        summary += f"; IDs to check: {ids_text(details)}"
    return summary + named_key


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
