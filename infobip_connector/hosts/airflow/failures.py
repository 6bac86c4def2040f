"""What a connector error means for an Airflow task: fail for good, or let Airflow retry.

Airflow retries a failed task (``retries=``) by running it again from the start. For the
connector that is safe exactly when running the action again cannot do harm:

- nothing was sent and sending again cannot change that (``input``, ``configuration``:
  the values or the connection are wrong; ``rejected``: Infobip refused the request and
  would refuse it again): the task fails at once, without retries (``AirflowFailException``);
- nothing was sent, but a later try may get through (``rate_limited``, ``unreachable``,
  ``authentication``: a key replaced in the connection is read by the next try): the error
  is raised as it is and Airflow's retries apply;
- the request may have reached Infobip (``outcome_unknown``): for a read, never (reads are
  retried inside the connector and end ``unreachable``); for a consume, a retry fetches what
  is left (what was handed out and lost is still in the logs); for a send, a retry sends the
  same bulk and message IDs again (the task's idempotency key), which Infobip only refuses as
  duplicates when idempotent sending is enabled for the account and on in the connection
  (``idempotentSending``). Without it the retry would send paid messages a second time, so
  the task fails at once with the IDs to reconcile.

Whatever the error, the IDs its details name (``bulkId``, ``messageId(s)``, bounded) are
put in the task log and in the text of the exception that ends the try: a DAG's author
cannot know the generated IDs otherwise. Nothing here may raise: it runs in the handler
that decides a try's end, and an exception there would replace that decision.
"""

from __future__ import annotations

import contextlib
from typing import Any, NoReturn, Protocol

from airflow.sdk.exceptions import AirflowException, AirflowFailException

from ...errors import ConnectorError, OutcomeUnknownError, RateLimitedError, UnreachableError
from ...outcome import NO_IDS, ids_text
from ...redaction import redact, sent_ids


class ErrorLog(Protocol):
    """What a task's log must offer (Airflow's task logger, or a ``logging.Logger``)."""

    def error(self, event: Any, *args: Any) -> Any: ...


#: Failures a sensor outlives: nothing was read, and a later check may get through.
TRANSIENT = (UnreachableError, RateLimitedError)
#: Error types a retry cannot fix: the input, the connection or Infobip's refusal.
FINAL_TYPES = frozenset({"input", "configuration", "usage", "rejected"})


def final_failure(
    error: ConnectorError, *, kind: str, idempotent_sending: bool
) -> AirflowFailException | None:
    """The ``AirflowFailException`` to raise instead of ``error`` when retrying cannot help
    or could send twice; ``None`` when Airflow's retries may run.

    ``kind`` is the action's kind (``send``, ``read``, ``consume``); ``idempotent_sending``
    the connection's ``idempotentSending``. The exception's text is the error's type and
    message (masked by the connector) and the IDs to check, so the task log says what to
    fix. Never raises: the decision is made from the error's type alone.
    """
    reason = _final_reason(error, kind=kind, idempotent_sending=idempotent_sending)
    if reason is None:
        return None
    return AirflowFailException(f"{error.type}: {error.message}{ids_part(error)} ({reason})")


def _final_reason(error: ConnectorError, *, kind: str, idempotent_sending: bool) -> str | None:
    if error.type in FINAL_TYPES:
        return "retrying cannot help"
    if isinstance(error, OutcomeUnknownError) and kind == "send" and not idempotent_sending:
        return (
            "a retry could send the messages twice (idempotentSending is off); check the IDs "
            "with the delivery reports or logs before running it again"
        )
    return None


def ending(
    error: ConnectorError, *, kind: str, idempotent_sending: bool, log: ErrorLog
) -> BaseException:
    """The exception that ends the try ``error`` stopped: :func:`final_failure`, or
    ``error`` itself (Airflow's retries apply; raise it as it is, not ``from`` itself),
    with its IDs logged and noted on it.

    Never raises: logging and noting the IDs are best effort after the decision.
    """
    failure = final_failure(error, kind=kind, idempotent_sending=idempotent_sending)
    name_ids(error, log, note=failure is None)
    return error if failure is None else failure


def name_ids(error: ConnectorError, log: ErrorLog, *, note: bool = True) -> None:
    """Log the IDs ``error``'s details name (if any) and, with ``note``, add them to it as a
    note, which its traceback shows. Never raises: describing an error is best effort."""
    with contextlib.suppress(Exception):
        ids = ids_part(error)
        if ids:
            log.error("Infobip %s%s", error.type, ids)
            if note:
                error.add_note(f"infobip-connector: {ids.removeprefix('; ')}")


def end_try(
    error: ConnectorError, *, kind: str, idempotent_sending: bool, log: ErrorLog
) -> NoReturn:
    """Raise what :func:`ending` decides: the final failure (``from error``), or ``error``
    as it is. Called in an ``except`` block for ``error``."""
    failure = ending(error, kind=kind, idempotent_sending=idempotent_sending, log=log)
    if failure is error:
        raise error  # left to Airflow's retries, its IDs noted on it
    raise failure from error


def event_failure(event: dict[str, object]) -> AirflowException:
    """The exception for a trigger's ``{"status": "error", "type", "message", "ids"}``
    event: final (without retries) for an error a retry cannot fix."""
    error_type = str(event.get("type"))
    text = f"{error_type}: {event.get('message')}{event.get('ids') or ''}"
    if error_type in FINAL_TYPES:
        return AirflowFailException(f"{text} (retrying cannot help)")
    return AirflowException(text)


def ids_part(error: ConnectorError) -> str:
    """``"; IDs to check: bulkId=...; messageIds=[...]"`` or ``""`` when none is named.

    Never raises (it runs in error handlers): should describing fail, it points to the
    error's details instead."""
    try:
        shown = ids_text(error.details)
    except Exception:  # the IDs are still in the details; the handler must go on
        return "; IDs to check: see the error's details"
    # The IDs sent stay whole (README, "Connection"): a known key elsewhere is masked.
    return "" if shown == NO_IDS else f"; IDs to check: {redact(shown, sent_ids(error.details))}"
