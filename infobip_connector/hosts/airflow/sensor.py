"""``InfobipDeliveryReportSensor``: waits until given SMS have a final delivery status.

It reads the SMS logs, a read that is safe to repeat and takes nothing another consumer
needs (``delivery`` explains the choice over pulling delivery reports), in poke or
reschedule mode on a worker, or deferred to the triggerer (``deferrable=True``).

``timeout`` holds in every mode: deferred, the trigger itself ends the wait at the
sensor's start plus ``timeout`` (``AirflowSensorTimeout``, as a poking sensor ends), besides
the scheduler's trigger timeout, which ``dag.test()`` does not apply. A SIGTERM while the
sensor waits in its own process (poking, or its trigger run in line by ``dag.test()``) ends
the task (``AirflowTaskTerminated``) instead of being noted and ignored.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.sdk import BaseSensorOperator, PokeReturnValue
from airflow.sdk.exceptions import (
    AirflowFailException,
    AirflowSensorTimeout,
    AirflowTaskTerminated,
)

from ...errors import ConnectorError, InputError
from .delivery import message_ids_of, summary
from .failures import TRANSIENT, end_try, event_failure
from .hook import InfobipHook
from .operators import UI_COLOR, UI_FGCOLOR
from .templating import is_templated
from .triggers import InfobipDeliveryReportTrigger, check

if TYPE_CHECKING:
    from airflow.sdk import Context


class InfobipDeliveryReportSensor(BaseSensorOperator):
    """Wait until every message has a final status: DELIVERED, UNDELIVERABLE, EXPIRED or
    REJECTED (Infobip's status groups); its return value (XCom) is
    ``{"results": [the messages' log entries, in the order given]}``, shaped like the
    output of Get SMS Logs, so a next step can pick the delivered recipients.

    :param message_ids: the IDs (templated): a list, one ID, or a send's output
        (``{"messages": [{"messageId": ...}]}``, e.g. ``send_task.output``).
    :param infobip_conn_id: the Airflow connection (type ``infobip``).
    :param deferrable: wait in the triggerer instead of a worker slot.

    The logs cover the last 48 hours, so a ``timeout`` longer than that cannot succeed.
    Unreachable or rate-limited checks are logged and tried again at the next poke; wrong
    IDs fail the task without retries. IDs given as they are (not templated) are checked
    when the DAG is parsed: an ``InputError`` naming ``message_ids[i]``.
    """

    template_fields: Sequence[str] = ("message_ids",)
    template_fields_renderers: ClassVar[dict[str, str]] = {"message_ids": "json"}
    ui_color = UI_COLOR
    ui_fgcolor = UI_FGCOLOR

    def __init__(
        self,
        *,
        message_ids: Any,
        infobip_conn_id: str = InfobipHook.default_conn_name,
        deferrable: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not is_templated(message_ids):
            message_ids_of(message_ids)  # an InputError naming message_ids[i] at parse time
        self.message_ids = message_ids
        self.infobip_conn_id = infobip_conn_id
        self.deferrable = deferrable
        #: Set while this process waits for the messages (see ``on_kill``).
        self._waiting = False

    def _ids(self) -> list[str]:
        try:
            return message_ids_of(self.message_ids)
        except InputError as error:
            raise AirflowFailException(f"{error.type}: {error.message}") from error

    def poke(self, context: Context) -> PokeReturnValue:
        try:
            final, waiting = check(InfobipHook(self.infobip_conn_id), self._ids())
        except TRANSIENT as error:
            self.log.warning("Checking delivery failed, trying at the next poke: %s", error)
            return PokeReturnValue(is_done=False)
        except ConnectorError as error:
            end_try(error, kind="read", idempotent_sending=False, log=self.log)
        self.log.info("%s", summary(final, waiting))
        return PokeReturnValue(is_done=not waiting, xcom_value={"results": final})

    def execute(self, context: Context) -> Any:
        started = time.time()
        self._waiting = True
        try:
            if not self.deferrable:
                return super().execute(context)
            done = self.poke(context)  # no deferral (and no triggerer) when all are final
            if done.is_done:
                return done.xcom_value
        finally:
            self._waiting = False
        # From here the wait is the trigger's; under dag.test() it runs in this process.
        self._waiting = True
        self.defer(
            trigger=InfobipDeliveryReportTrigger(
                self._ids(), self.infobip_conn_id, self.poke_interval, started + self.timeout
            ),
            method_name="execute_complete",
            timeout=timedelta(seconds=self.timeout),
        )

    def execute_complete(self, context: Context, event: dict[str, Any]) -> dict[str, Any]:
        """Resume after the trigger fired: the results, the sensor's timeout
        (``AirflowSensorTimeout``, no retries), or the trigger's error."""
        status = event.get("status")
        if status == "done":
            return {"results": event["results"]}
        if status == "timeout":
            raise AirflowSensorTimeout(str(event.get("message")))
        raise event_failure(event)

    def on_kill(self) -> None:
        """Airflow's SIGTERM handler calls this and carries on; a wait of this sensor in
        this process ends instead (nothing else would stop a trigger ``dag.test()`` runs in
        line). Outside a wait (e.g. after an execution timeout) it does nothing."""
        if self._waiting:
            self._waiting = False
            raise AirflowTaskTerminated("SIGTERM while waiting for delivery reports")
