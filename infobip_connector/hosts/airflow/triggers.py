"""``InfobipDeliveryReportTrigger``: waits in Airflow's triggerer until given SMS have a
final delivery status, so a deferrable ``InfobipDeliveryReportSensor`` holds no worker slot.

Each check reads the SMS logs (see ``delivery`` for why the logs and not the report pull);
``check`` and ``acheck`` are that one check for the sensor's worker and this trigger.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from ...errors import ConnectorError
from .delivery import log_queries, progress, summary
from .failures import TRANSIENT
from .hook import InfobipHook

#: The action every check runs: a read, safe to repeat.
LOGS_ACTION = "getSmsLogs"
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
    """Fires once every message in ``message_ids`` has a final status (or on an error).

    Events: ``{"status": "done", "results": [log entries, in the order of message_ids]}``,
    or ``{"status": "error", "type": ..., "message": ...}`` for an error a later check
    cannot fix. Unreachable and rate-limited checks are logged and tried again after
    ``poke_interval`` seconds.
    """

    def __init__(
        self, message_ids: list[str], infobip_conn_id: str, poke_interval: float = 60.0
    ) -> None:
        # Untyped in Airflow; no error (so an unused ignore) without it installed.
        super().__init__()  # type: ignore[no-untyped-call, unused-ignore]
        self.message_ids = list(message_ids)
        self.infobip_conn_id = infobip_conn_id
        self.poke_interval = poke_interval

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{__name__}.{type(self).__name__}",
            {
                "message_ids": self.message_ids,
                "infobip_conn_id": self.infobip_conn_id,
                "poke_interval": self.poke_interval,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        hook = InfobipHook(self.infobip_conn_id)
        while True:
            try:
                final, waiting = await acheck(hook, self.message_ids)
            except TRANSIENT as error:
                self.log.warning("Checking delivery failed, trying again: %s", error.message)
            except ConnectorError as error:
                yield TriggerEvent(
                    {"status": "error", "type": error.type, "message": error.message}
                )
                return
            else:
                self.log.info("%s", summary(final, waiting))
                if not waiting:
                    yield TriggerEvent({"status": "done", "results": final})
                    return
            await asyncio.sleep(self.poke_interval)
