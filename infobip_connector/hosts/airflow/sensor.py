"""``InfobipDeliveryReportSensor``: waits until given SMS have a final delivery status.

It reads the SMS logs, a read that is safe to repeat and takes nothing another consumer
needs (``delivery`` explains the choice over pulling delivery reports), in poke or
reschedule mode on a worker, or deferred to the triggerer (``deferrable=True``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.sdk import BaseSensorOperator, PokeReturnValue
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from ...errors import ConnectorError, InputError
from .delivery import message_ids_of, summary
from .failures import TRANSIENT, final_failure
from .hook import InfobipHook
from .operators import UI_COLOR, UI_FGCOLOR
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
    IDs fail the task without retries.
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
        self.message_ids = message_ids
        self.infobip_conn_id = infobip_conn_id
        self.deferrable = deferrable

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
            failure = final_failure(error, kind="read", idempotent_sending=False)
            if failure is not None:
                raise failure from error
            raise
        self.log.info("%s", summary(final, waiting))
        return PokeReturnValue(is_done=not waiting, xcom_value={"results": final})

    def execute(self, context: Context) -> Any:
        if not self.deferrable:
            return super().execute(context)
        done = self.poke(context)  # no deferral (and no triggerer) when all are final already
        if done.is_done:
            return done.xcom_value
        self.defer(
            trigger=InfobipDeliveryReportTrigger(
                self._ids(), self.infobip_conn_id, self.poke_interval
            ),
            method_name="execute_complete",
            timeout=timedelta(seconds=self.timeout),
        )

    def execute_complete(self, context: Context, event: dict[str, Any]) -> dict[str, Any]:
        """Resume after the trigger fired: the results, or the trigger's error."""
        if event.get("status") == "done":
            return {"results": event["results"]}
        raise AirflowException(f"{event.get('type')}: {event.get('message')}")
