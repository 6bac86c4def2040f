"""Where the delivery-report sensor's wait ends besides every message being final: its
``timeout`` in the trigger itself, a SIGTERM while it waits, an error a retry cannot fix;
and message IDs no send could have given, refused when the DAG is parsed."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

pytest.importorskip("airflow.sdk")

from airflow.sdk.exceptions import (
    AirflowException,
    AirflowFailException,
    AirflowSensorTimeout,
    AirflowTaskTerminated,
    TaskDeferred,
)

from infobip_connector import aclose_pooled_clients
from infobip_connector.errors import InputError
from infobip_connector.hosts.airflow.delivery import MAX_MESSAGE_IDS
from infobip_connector.hosts.airflow.sensor import InfobipDeliveryReportSensor
from infobip_connector.hosts.airflow.triggers import InfobipDeliveryReportTrigger
from infobip_connector.sandbox import Sandbox, SandboxServer

from .conftest import airflow_connection, task_context


def _first_event(trigger: InfobipDeliveryReportTrigger, within: float = 30) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        event = await asyncio.wait_for(anext(trigger.run()), within)
        await aclose_pooled_clients()
        return dict(event.payload)

    return asyncio.run(run())


def test_the_trigger_stops_at_its_end_time(account: Sandbox) -> None:
    ids = [f"never-{i}" for i in range(7)]
    started = time.monotonic()
    event = _first_event(InfobipDeliveryReportTrigger(ids, "infobip_default", 30, time.time() + 1))
    # Not a 30-second poke interval: the last sleep is cut to the end time.
    assert time.monotonic() - started < 20
    assert event["status"] == "timeout"
    assert "7 message(s) not final: never-0, " in event["message"]
    assert "and 2 more" in event["message"]
    sensor = InfobipDeliveryReportSensor(task_id="wait", message_ids=ids, deferrable=True)
    with pytest.raises(AirflowSensorTimeout, match="never-0"):
        sensor.execute_complete(task_context(), event)


def test_a_trigger_without_end_time_keeps_waiting(account: Sandbox) -> None:
    with pytest.raises(TimeoutError):
        _first_event(InfobipDeliveryReportTrigger(["never-1"], "infobip_default", 0.05), 1)


def test_a_trigger_error_a_retry_cannot_fix_fails_without_retries(
    airflow_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_INFOBIP_DEFAULT", airflow_connection(airflow_server.url, key="short")
    )
    event = _first_event(InfobipDeliveryReportTrigger(["m1"], "infobip_default", 0.05))
    assert (event["status"], event["type"]) == ("error", "configuration")
    sensor = InfobipDeliveryReportSensor(task_id="wait", message_ids=["m1"])
    with pytest.raises(AirflowFailException, match=r"^configuration: .*password"):
        sensor.execute_complete(task_context(), event)
    retryable = {"status": "error", "type": "authentication", "message": "wrong key"}
    with pytest.raises(AirflowException) as caught:
        sensor.execute_complete(task_context(), retryable)
    assert not isinstance(caught.value, AirflowFailException)


def test_sigterm_ends_a_wait_in_this_process_only(account: Sandbox) -> None:
    sensor = InfobipDeliveryReportSensor(
        task_id="wait", message_ids=["never-1"], deferrable=True, poke_interval=1, timeout=60
    )
    sensor.on_kill()  # not waiting (e.g. after an execution timeout): nothing to end
    with pytest.raises(TaskDeferred):  # its trigger may run in this process (dag.test())
        sensor.execute(task_context())
    with pytest.raises(AirflowTaskTerminated):
        sensor.on_kill()


@pytest.mark.parametrize(
    ("ids", "path", "said"),
    [
        (["m1", "x" * 201], "message_ids[1]", "at most 200 characters"),
        (["m1", "a\u200bb"], "message_ids[1]", "visible characters"),
        (["m1\n"], "message_ids[0]", "control characters"),
        (["m1", 2], "message_ids[1]", "message ID"),
        ([], "message_ids", "at least one"),
        (
            {"messages": [{"messageId": "ok"}, {"messageId": "\u202e1"}]},
            "message_ids.messages[1].messageId",
            "visible",
        ),
        ([f"m{i}" for i in range(MAX_MESSAGE_IDS + 1)], "message_ids", "at most 10000"),
    ],
)
def test_message_ids_no_send_gives_are_refused_when_the_dag_is_parsed(
    ids: Any, path: str, said: str
) -> None:
    with pytest.raises(InputError) as caught:
        InfobipDeliveryReportSensor(task_id="wait", message_ids=ids)
    assert [e["path"] for e in caught.value.errors] == [path]
    assert said in caught.value.errors[0]["message"]


def test_templated_ids_are_checked_when_the_task_runs() -> None:
    InfobipDeliveryReportSensor(task_id="wait", message_ids="{{ ti.xcom_pull('send') }}")
    InfobipDeliveryReportSensor(task_id="wait", message_ids=["{{ params.id }}", "m2"])
    assert InfobipDeliveryReportSensor(task_id="wait", message_ids=["x" * 200]).message_ids
