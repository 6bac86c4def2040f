"""Retries that cannot double-send: a send repeated with its messageIds after an unclear failure.

Infobip's idempotent message sending, once enabled for an account's channels, rejects a
messageId it accepted within the grace period: the repeat gets the status
``REJECTED_DUPLICATE_MESSAGE_ID`` (group 5 REJECTED, id 23) and is not sent again. With the
connection option ``idempotentSending`` the client relies on that: a send whose messages all
carry the connector's IDs is sent again (the same bytes) after a failure that leaves its
outcome open (a timeout after sending, a dropped connection, a 5xx, an unreadable 2xx), within
``maxAttempts`` and the deadline. This module says which requests qualify, what is reported
when the attempts run out, and what a duplicate rejection of an ID sent earlier in the same
execution means: that earlier attempt was accepted.

A duplicate rejection on an execution's first attempt (or after attempts that provably did not
arrive: a refused connection, a 429) is a rejection as Infobip means it: the ID was used before.
Except for an execution that repeats an earlier one with the same idempotency key (a retried
Airflow task): an ID derived from the key names one message's content (see
``runtime.idempotency``), so its duplicate rejection proves the earlier execution sent this
very message, and it is confirmed alike (``InfobipRequest.confirmable``).

Source: Infobip's API fundamentals, "Idempotent message sending"
(www.infobip.com/docs/developer-resources/api-fundamentals/idempotent-message-sending), and its
message status codes for id 23. Infobip rejects repeats "during processing", so on a live
account the rejection may arrive in the delivery report rather than the send's answer; only
what the answer says is confirmed here.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..errors import ConnectorError, OutcomeUnknownError
from ..redaction import get_logger
from ..request import InfobipRequest, message_ids
from .connection import ConnectionSettings

log = get_logger("infobip_connector.client")

#: Infobip's status of a repeated messageId (group 5, REJECTED).
DUPLICATE_STATUS_ID = 23
DUPLICATE_STATUS_NAME = "REJECTED_DUPLICATE_MESSAGE_ID"
REJECTED_GROUP = 5
#: The output member listing the messageIds reported accepted because a retry was refused as a
#: duplicate (a member of the output itself: each entry keeps the shape Infobip gives it).
CONFIRMED = "confirmedByDuplicateRejection"
#: What such a message is reported as: accepted by Infobip, its delivery still to come.
ACCEPTED_STATUS = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 26,
    "name": "PENDING_ACCEPTED",
    "description": (
        "Accepted by an earlier attempt of this execution: Infobip rejected the retry with the "
        "same messageId as a duplicate"
    ),
}
#: The same for a message an earlier execution with the same idempotency key got accepted.
EARLIER_EXECUTION = {
    **ACCEPTED_STATUS,
    "description": (
        "Accepted by an earlier execution with the same idempotency key and the same message: "
        "Infobip rejected this one's messageId as a duplicate"
    ),
}

_ADVICE = (
    "Every attempt carried the same messageIds, so with idempotent sending enabled at Infobip "
    "none is sent twice: check the IDs in details against Infobip's delivery reports or logs, "
    "or run the step again with the same IDs within the grace period (the same "
    "idempotency_key, with repeated=True: a message Infobip refuses as a duplicate is then "
    "reported accepted)."
)


def sent_ids(request: InfobipRequest) -> frozenset[str]:
    """The messageIds ``request`` carries (empty: it names no message)."""
    return frozenset(i for i in message_ids(request.reference) if isinstance(i, str))


def retries_sends(settings: ConnectionSettings, request: InfobipRequest) -> bool:
    """Whether ``request`` is sent again after an ambiguous failure.

    Only with ``idempotentSending`` on, only for a send, and only one that names its messages:
    a change to a scheduled bulk (no messageIds) has nothing Infobip could recognise.
    """
    return settings.idempotent_sending and request.kind == "send" and bool(sent_ids(request))


def exhausted(what: str, details: dict[str, Any], attempts: int) -> OutcomeUnknownError:
    """The error once the attempts or the deadline ran out after an ambiguous failure."""
    return OutcomeUnknownError(
        f"{what}, after {attempts} attempt(s) with the same messageIds; the request may have "
        f"been processed. {_ADVICE}",
        details,
    )


def still_unknown(error: ConnectorError, details: dict[str, Any]) -> OutcomeUnknownError:
    """``error`` (nothing sent by this attempt) after an earlier attempt may have been accepted.

    A refused connection, a 429 or a 4xx on a retry says nothing about the attempt before it,
    so "nothing was sent" would be wrong: the outcome stays unknown.
    """
    if isinstance(error, OutcomeUnknownError):
        return error
    return exhausted(
        "An attempt ended with its outcome unknown and the retries did not settle it (the "
        f"last ended {error.type})",
        {**error.details, **details, "lastError": error.type},
        int(details.get("attempts", 0)),
    )


def confirm_earlier(
    body: Any, ids: Collection[str], *, by: dict[str, Any] = ACCEPTED_STATUS
) -> Any:
    """``body`` with each entry Infobip rejected as a duplicate of one of ``ids`` reported accepted.

    Called only on an answer to a retry after an attempt that may have been accepted (or to
    an execution repeating an earlier one, ``ids`` then its key's derived IDs): the rejection
    then proves it was. Entries are the answer itself (one WhatsApp message) and the objects
    of its top-level lists (``messages``). Each such entry gets the status ``by``
    (``ACCEPTED_STATUS`` or ``EARLIER_EXECUTION``), and the answer lists their messageIds
    under ``CONFIRMED``; a copy is returned when any changes, ``body`` itself otherwise.
    """
    if not isinstance(body, dict):
        return body
    confirmed: list[str] = []

    def entry(value: Any) -> Any:
        if _is_duplicate_of(value, ids):
            confirmed.append(value["messageId"])
            return {**value, "status": dict(by)}
        return value

    result = entry(body)
    if result is body:
        result = {
            key: [entry(item) for item in value] if type(value) is list else value
            for key, value in body.items()
        }
    if not confirmed:
        return body
    result[CONFIRMED] = confirmed
    log.info(
        "%d message(s) accepted by an earlier %s: the repeat was rejected as a duplicate "
        "(%s), e.g. messageId %s; reported as accepted (%s)",
        len(confirmed),
        "attempt" if by is ACCEPTED_STATUS else "execution with the same idempotency key",
        DUPLICATE_STATUS_NAME,
        confirmed[0],
        CONFIRMED,
    )
    return result


def _is_duplicate_of(entry: Any, ids: Collection[str]) -> bool:
    if type(entry) is not dict:
        return False
    message_id = entry.get("messageId")
    if type(message_id) is not str or message_id not in ids:
        return False
    status = entry.get("status")
    return (
        type(status) is dict
        and status.get("groupId") == REJECTED_GROUP
        and (status.get("id") == DUPLICATE_STATUS_ID or status.get("name") == DUPLICATE_STATUS_NAME)
    )
