"""``InfobipDeliveryReportTrigger``: waits in Airflow's triggerer until given SMS have a
final delivery status, so a deferrable ``InfobipDeliveryReportSensor`` holds no worker slot.

Each check reads the SMS logs (see ``delivery`` for why the logs and not the report pull);
``check`` and ``acheck`` are that one check for the sensor's worker and this trigger.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from ...errors import ConnectorError
from .delivery import LOGS_ACTION, log_queries, progress, summary
from .failures import TRANSIENT, ids_part
from .hook import InfobipHook

Progress = tuple[list[dict[str, Any]], list[str]]


def check(hook: InfobipHook, message_ids: list[str]) -> Progress:
    """``(final log entries, IDs still waiting)`` for ``message_ids``, from the SMS logs
    (the connection read once for all their requests)."""
    settings = hook.get_conn()
    entries: list[dict[str, Any]] = []
    for query in log_queries(message_ids):
        entries += hook.execute(LOGS_ACTION, query, settings=settings)["results"]
    return progress(message_ids, entries)


async def acheck(hook: InfobipHook, message_ids: list[str]) -> Progress:
    """:func:`check` on the event loop."""
    settings = await hook.aget_conn()
    entries: list[dict[str, Any]] = []
    for query in log_queries(message_ids):
        entries += (await hook.aexecute(LOGS_ACTION, query, settings=settings))["results"]
    return progress(message_ids, entries)


class InfobipDeliveryReportTrigger(BaseTrigger):
    """Fires once every message in ``message_ids`` has a final status, on an error, or at
    ``end_time``.

    Events: ``{"status": "done", "results": [log entries, in the order of message_ids]}``;
    ``{"status": "error", "type": ..., "message": ..., "ids": ...}`` for an error a later
    check cannot fix; ``{"status": "timeout", "message": ...}`` once ``end_time`` (Unix
    seconds; the sensor's start plus its ``timeout``) passed with messages still waiting.
    The deadline is the trigger's own, not only the scheduler's trigger timeout, so the
    wait ends where no scheduler sweeps timeouts too (``dag.test()`` runs the trigger in
    line). Unreachable and rate-limited checks are logged and tried again after
    ``poke_interval`` seconds.
    """

    def __init__(
        self,
        message_ids: list[str],
        infobip_conn_id: str,
        poke_interval: float = 60.0,
        end_time: float | None = None,
    ) -> None:
        # Untyped in Airflow; no error (so an unused ignore) without it installed.
        super().__init__()  # type: ignore[no-untyped-call, unused-ignore]
        self.message_ids = list(message_ids)
        self.infobip_conn_id = infobip_conn_id
        self.poke_interval = poke_interval
        self.end_time = end_time

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{__name__}.{type(self).__name__}",
            {
                "message_ids": self.message_ids,
                "infobip_conn_id": self.infobip_conn_id,
                "poke_interval": self.poke_interval,
                "end_time": self.end_time,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        hook = InfobipHook(self.infobip_conn_id)
        waiting = self.message_ids
        while True:
            try:
                final, waiting = await acheck(hook, self.message_ids)
            except TRANSIENT as error:
                self.log.warning("Checking delivery failed, trying again: %s", error.message)
            except ConnectorError as error:
                yield TriggerEvent(
                    {
                        "status": "error",
                        "type": error.type,
                        "message": error.message,
                        "ids": ids_part(error),
                    }
                )
                return
            else:
                self.log.info("%s", summary(final, waiting))
                if not waiting:
                    yield TriggerEvent({"status": "done", "results": final})
                    return
            left = None if self.end_time is None else self.end_time - time.time()
            if left is not None and left <= 0:
                yield TriggerEvent({"status": "timeout", "message": _timed_out(waiting)})
                return
            await asyncio.sleep(
                self.poke_interval if left is None else min(self.poke_interval, left)
            )


def _timed_out(waiting: list[str]) -> str:
    shown = ", ".join(waiting[:5]) + (f" and {len(waiting) - 5} more" if len(waiting) > 5 else "")
    return f"Sensor has timed out with {len(waiting)} message(s) not final: {shown}"
