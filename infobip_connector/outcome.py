"""What happens to the IDs when anything goes wrong after a request may have reached Infobip.

Once the first byte of a request may have left, Infobip may have accepted the messages. From
then on no failure may lose the IDs an operator needs to reconcile them:

- an unexpected exception (a parse failure, ``RecursionError``, ``MemoryError``, a bug in
  shaping or output checks) becomes :class:`OutcomeUnknownError` carrying the IDs — never
  ``internal``, which an engine may retry and so send twice;
- an interruption (``asyncio.CancelledError``, ``KeyboardInterrupt``) keeps propagating, since
  cancellation must work, but is logged as a WARNING naming the IDs and carries them: a note
  (``add_note``, shown in its traceback) and the attribute :data:`ATTRIBUTE`, an
  ``OutcomeUnknownError`` the CLI prints before exiting 4.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ConnectorError, OutcomeUnknownError, UnreadableAnswer
from .redaction import get_logger
from .request import Kind

log = get_logger("infobip_connector.outcome")

#: The attribute of an interrupting exception that holds the ``OutcomeUnknownError``.
ATTRIBUTE = "outcome_unknown"

_ADVICE: dict[Kind, str] = {
    "send": (
        "It was not sent again: check the IDs in details against Infobip's delivery reports or "
        "logs before resending."
    ),
    "consume": (
        "It was not repeated: Infobip hands each item out once, so the items this request took "
        "may have been handed out and lost; look them up in Infobip's logs (or its web "
        "interface) rather than fetching again."
    ),
    "read": "Reading changes nothing at Infobip, so it is safe to repeat.",
    "remove": "Removing is safe to repeat: a repeat finds the item gone.",
}


# A send that submits no messages (a change to a scheduled bulk) has no message IDs to look
# up in reports or logs: what it did shows in the bulk's state, read back without risk.
_BULK_ADVICE = (
    "It was not sent again: check the bulk's status and time at Infobip (Get Scheduled SMS "
    "Status, Get Scheduled SMS) with the bulkId in details before repeating."
)
_MESSAGE_IDS = frozenset({"messageIds", "messageId"})


def advice(kind: Kind, reference: Mapping[str, Any] | None = None) -> str:
    """What to do after an ambiguous failure of a request of ``kind``.

    ``reference`` (the request's IDs) picks the advice of a send: the messages' IDs to check
    against delivery reports, or, when it names a bulk and no message, the bulk's status.
    """
    names = reference.keys() if reference is not None else frozenset()
    if kind == "send" and "bulkId" in names and not _MESSAGE_IDS & names:
        return _BULK_ADVICE
    return _ADVICE[kind]


def unknown(
    what: str, reference: dict[str, Any], *, kind: Kind = "send", **extra: Any
) -> OutcomeUnknownError:
    """The error for ``what`` went wrong after the request may have arrived.

    The advice follows the action's ``kind``: check IDs before resending (send; a bulk's
    status when no message is named), items may be lost (consume), safe to repeat (read).
    """
    return OutcomeUnknownError(
        f"{what}; the request may have been processed. {advice(kind, reference)}",
        {**reference, **extra},
    )


def after_arrival(exc: Exception, reference: dict[str, Any], kind: Kind = "send") -> ConnectorError:
    """``exc`` as the connector's error: typed ones as they are, anything else as unknown.

    Only the exception's class is quoted: its text could hold a piece of the answer.
    """
    if isinstance(exc, ConnectorError):
        return exc
    if isinstance(exc, UnreadableAnswer):
        return unknown(
            f"Infobip accepted the request (HTTP 2xx) but its answer's {exc.path} {exc.problem}",
            reference,
            kind=kind,
            problems=[{"path": exc.path, "message": exc.problem}],
        )
    return unknown(
        f"Processing Infobip's answer failed ({type(exc).__name__})",
        reference,
        kind=kind,
        cause=type(exc).__name__,
    )


def mark_interrupted(exc: BaseException, reference: dict[str, Any], kind: Kind = "send") -> None:
    """Log and attach the IDs to an interruption that stops a request that may have arrived."""
    if getattr(exc, ATTRIBUTE, None) is not None:
        return  # already marked further down the stack
    what = f"Interrupted ({type(exc).__name__}) while the request was in flight"
    error = unknown(what, reference, kind=kind)
    try:
        setattr(exc, ATTRIBUTE, error)
        exc.add_note(f"infobip-connector: {error.message} IDs: {ids_text(error.details)}")
    except (AttributeError, TypeError):  # an exception class with __slots__: log only
        pass
    log.warning("%s IDs: %s", error.message, ids_text(error.details))


#: A log line names at most this many messageIds; the attached error has them all.
_SHOWN_IDS = 20
#: What :func:`ids_text` says of details that name no IDs.
NO_IDS = "(none)"


def ids_text(details: Mapping[str, Any]) -> str:
    """The IDs ``details`` names, for a log line: ``bulkId=B; messageIds=[M1, M2 and 3
    more]`` (at most ``_SHOWN_IDS`` messageIds), or ``(none)``."""
    parts = []
    for key in ("bulkId", "messageId", "messageIds"):
        value = details.get(key)
        if isinstance(value, list):
            more = f" and {len(value) - _SHOWN_IDS} more" if len(value) > _SHOWN_IDS else ""
            value = ", ".join(str(v) for v in value[:_SHOWN_IDS]) + more
            parts.append(f"{key}=[{value}]")
        elif value is not None:
            parts.append(f"{key}={value}")
    return "; ".join(parts) or NO_IDS


#: The members of an output whose items carry a ``messageId``: a send's messages, the items a
#: consume or read returned (``results``), the events of a poll.
_ITEM_LISTS = ("messages", "results", "events")


def result_ids(result: Any) -> dict[str, Any]:
    """The IDs an action's output (or a poll's answer) names, for a log line of a host that
    could not deliver it: ``{"bulkId": str, "messageId": str, "messageIds": [str, ...]}``
    with the members it has, ``{}`` when it names none. IDs only, never content."""
    if not isinstance(result, Mapping):
        return {}
    named: dict[str, Any] = {}
    for key in ("bulkId", "messageId"):
        if isinstance(result.get(key), str):
            named[key] = result[key]
    ids = [
        item["messageId"]
        for member in _ITEM_LISTS
        if isinstance(result.get(member), list)
        for item in result[member]
        if isinstance(item, Mapping) and isinstance(item.get("messageId"), str)
    ]
    if ids:
        named["messageIds"] = ids
    return named
