"""How to retry a send whose outcome is unknown, in the words of the host that ran it.

A send run with an execution key (``idempotency_key``) that ends in ``outcome_unknown`` can
be run again safely when the connection has ``idempotentSending`` on: the same key gives
the same IDs, and ``repeated`` tells the connector that a message Infobip refuses as a
duplicate was accepted by the earlier run (``confirmedByDuplicateRejection``). Only the host
knows how its caller passes the key and ``repeated`` (CLI flags, JSON-RPC params, MCP tool
arguments), so each host wraps its execution in :func:`retry_hint` with its own wording.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .. import outcome
from ..errors import OutcomeUnknownError

#: The CLI's ``run --repeated``: when to pass it.
REPEATED_HELP = (
    "this run repeats an earlier one with the same --idempotency-key whose outcome is "
    "unknown (it ended outcome_unknown, or was lost): with idempotentSending on, a message "
    "Infobip refuses as a duplicate was sent by that run and is reported accepted "
    "(confirmedByDuplicateRejection); only with --idempotency-key"
)
#: ``--repeated`` without a key: nothing says which earlier run it repeats.
REPEATED_ALONE = (
    "needs --idempotency-key: --repeated says this run repeats an earlier one with the same "
    "--idempotency-key, so pass that key too"
)
#: Why the advice depends on the connection (a retry without the feature sends again).
_MESSAGE_IDS = frozenset({"messageIds", "messageId"})
_WITHOUT = "; without it a retry sends the messages again, so check the IDs in details first."


def how_to_retry(retry: str) -> str:
    """The sentence to append: ``retry`` (the host's way of running again) and its limits.

    ``retry`` reads after "run it again", e.g. ``"with --idempotency-key K --repeated"``.
    """
    return (
        "With idempotentSending on (Infobip's idempotent sending enabled for the account), "
        f"retry safely by running it again {retry}: the same IDs are sent, and a message "
        "Infobip refuses as a duplicate is reported accepted" + _WITHOUT
    )


def add_retry_hint(error: BaseException, key: str, *, detail: str, retry: str) -> None:
    """Give the ``outcome_unknown`` of ``error`` the key (``details[detail]``) and the advice.

    ``error`` is an :class:`OutcomeUnknownError`, or an interruption carrying one (the
    attribute ``outcome.ATTRIBUTE``); anything else is left as it is. The error is changed
    in place, so whoever holds it (a host's error printer) shows the advice. The key goes
    into the details of every such error; the advice only into one naming messages (a send
    that changes a scheduled bulk is checked by the bulk's state instead, see ``outcome``).
    """
    unknown = error if isinstance(error, OutcomeUnknownError) else None
    if unknown is None:
        carried = getattr(error, outcome.ATTRIBUTE, None)
        unknown = carried if isinstance(carried, OutcomeUnknownError) else None
    if unknown is None or detail in unknown.details:
        return
    names_messages = bool(_MESSAGE_IDS & unknown.details.keys())
    unknown.details = {**unknown.details, detail: key}
    if names_messages:  # a bulk change names no message: its advice (the bulk's state) stands
        unknown.message = f"{unknown.message} {how_to_retry(retry)}"
        unknown.args = (unknown.message,)


@contextmanager
def retry_hint(key: str | None, *, detail: str, retry: str) -> Iterator[None]:
    """Around one execution: an ``outcome_unknown`` leaving it says how to retry with ``key``.

    ``key`` None (a send without a key, or not a send): nothing is added. The exception
    propagates unchanged otherwise (see :func:`add_retry_hint`).
    """
    try:
        yield
    except BaseException as exc:
        if key is not None:
            add_retry_hint(exc, key, detail=detail, retry=retry)
        raise
