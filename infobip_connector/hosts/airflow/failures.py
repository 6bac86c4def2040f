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
"""

from __future__ import annotations

from airflow.sdk.exceptions import AirflowFailException

from ...errors import (
    ConnectorError,
    InputError,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    UnreachableError,
)

#: Failures a sensor outlives: nothing was read, and a later check may get through.
TRANSIENT = (UnreachableError, RateLimitedError)


def final_failure(
    error: ConnectorError, *, kind: str, idempotent_sending: bool
) -> AirflowFailException | None:
    """The ``AirflowFailException`` to raise instead of ``error`` when retrying cannot help
    or could send twice; ``None`` when Airflow's retries may run.

    ``kind`` is the action's kind (``send``, ``read``, ``consume``); ``idempotent_sending``
    the connection's ``idempotentSending``. The exception's text is the error's type and
    message (masked by the connector), so the task log says what to fix.
    """
    if isinstance(error, InputError | RejectedError):
        reason = "retrying cannot help"
    elif isinstance(error, OutcomeUnknownError) and kind == "send" and not idempotent_sending:
        reason = (
            "a retry could send the messages twice (idempotentSending is off); check the IDs "
            "in the details with the delivery reports or logs before running it again"
        )
    else:
        return None
    return AirflowFailException(f"{error.type}: {error.message} ({reason})")
