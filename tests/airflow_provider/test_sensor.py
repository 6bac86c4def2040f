"""``InfobipDeliveryReportSensor`` waits until messages have a final status, reading the SMS
logs, on a worker or deferred to its trigger. A message scheduled an hour ahead stays
PENDING in the sandbox until its clock passes that hour."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

pytest.importorskip("airflow.sdk")

from airflow.sdk.exceptions import (
    AirflowException,
    AirflowFailException,
    TaskDeferred,
)

from infobip_connector import aclose_pooled_clients
from infobip_connector.hosts.airflow.hook import InfobipHook
from infobip_connector.hosts.airflow.sensor import InfobipDeliveryReportSensor
from infobip_connector.hosts.airflow.triggers import InfobipDeliveryReportTrigger
from infobip_connector.sandbox import Sandbox, SandboxServer

from ..sandbox_support import Clock
from .conftest import KEY, SMS, airflow_connection, task_context


@pytest.fixture()
def clock() -> Clock:
    return Clock(time.time())


@pytest.fixture()
def timed(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A sandbox on its own clock behind ``infobip_default``."""
    with SandboxServer(Sandbox(KEY, clock=clock)) as server:
        monkeypatch.setenv("AIRFLOW_CONN_INFOBIP_DEFAULT", airflow_connection(server.url))
        yield server.sandbox


def _send_now_and_in_an_hour() -> dict[str, Any]:
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    return InfobipHook().execute(
        "sendSms",
        {
            "messages": [
                {"destinations": [{"to": "+41 79 302 67 27"}], "text": "now"},
                {"destinations": [{"to": "+41 79 302 67 28"}], "text": "later", "sendAt": later},
            ]
        },
    )


def _ids(sent: dict[str, Any]) -> list[str]:
    return [m["messageId"] for m in sent["messages"]]


def test_the_sensor_is_done_when_every_message_is_final(account: Sandbox) -> None:
    sent = InfobipHook().execute("sendSms", SMS)
    sensor = InfobipDeliveryReportSensor(task_id="wait", message_ids=sent)  # a send's output
    done = sensor.poke(task_context())
    assert done.is_done
    (entry,) = done.xcom_value["results"]
    assert entry["messageId"] == _ids(sent)[0]
    assert entry["status"]["groupName"] == "DELIVERED"
    assert account.request_counts["/sms/3/logs"] == 1
    assert account.request_counts["/sms/3/reports"] == 0  # reports stay for their consumers


def test_the_sensor_waits_for_a_pending_message(timed: Sandbox, clock: Clock) -> None:
    sent = _send_now_and_in_an_hour()
    sensor = InfobipDeliveryReportSensor(task_id="wait", message_ids=_ids(sent))
    assert not sensor.poke(task_context()).is_done
    clock.now += 2 * 3600
    done = sensor.poke(task_context())
    assert done.is_done
    assert [e["messageId"] for e in done.xcom_value["results"]] == _ids(sent)


def test_wrong_ids_fail_the_task_without_retries(account: Sandbox) -> None:
    sensor = InfobipDeliveryReportSensor(task_id="wait", message_ids="{{ params.ids }}")
    sensor.message_ids = ["m1", 2]  # as rendered from a template
    with pytest.raises(AirflowFailException, match=r"message_ids\[1\]"):
        sensor.poke(task_context())
    assert account.requests == []


def test_an_unreachable_check_is_tried_again_at_the_next_poke(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with SandboxServer(Sandbox()) as closed:
        url = closed.url
    monkeypatch.setenv("AIRFLOW_CONN_INFOBIP_DEFAULT", airflow_connection(url, maxAttempts=1))
    sensor = InfobipDeliveryReportSensor(task_id="wait", message_ids=["m1"])
    assert not sensor.poke(task_context()).is_done


def test_deferrable_returns_at_once_when_every_message_is_final(account: Sandbox) -> None:
    sent = InfobipHook().execute("sendSms", SMS)
    sensor = InfobipDeliveryReportSensor(task_id="wait", message_ids=sent, deferrable=True)
    result = sensor.execute(task_context())
    assert [e["messageId"] for e in result["results"]] == _ids(sent)


def test_deferrable_defers_to_the_trigger_which_fires_once_all_are_final(
    timed: Sandbox, clock: Clock
) -> None:
    sent = _send_now_and_in_an_hour()
    sensor = InfobipDeliveryReportSensor(
        task_id="wait", message_ids=sent, deferrable=True, poke_interval=0.05, timeout=600
    )
    with pytest.raises(TaskDeferred) as deferred:
        sensor.execute(task_context())
    assert deferred.value.method_name == "execute_complete"
    trigger = deferred.value.trigger
    assert isinstance(trigger, InfobipDeliveryReportTrigger)
    path, kwargs = trigger.serialize()
    assert path == "infobip_connector.hosts.airflow.triggers.InfobipDeliveryReportTrigger"
    end_time = kwargs.pop("end_time")
    assert kwargs == {
        "message_ids": _ids(sent),
        "infobip_conn_id": "infobip_default",
        "poke_interval": 0.05,
    }
    assert time.time() + 590 < end_time <= time.time() + 600  # the sensor's start + timeout
    kwargs["end_time"] = end_time

    async def run() -> Any:
        events = InfobipDeliveryReportTrigger(**kwargs).run()
        first = asyncio.ensure_future(anext(events))
        await asyncio.sleep(0.5)
        assert not first.done()  # still waiting for the scheduled message
        clock.now += 2 * 3600
        event = await asyncio.wait_for(first, 10)
        await aclose_pooled_clients()
        return event

    event = asyncio.run(run())
    assert event.payload["status"] == "done"
    result = sensor.execute_complete(task_context(), event.payload)
    assert [e["messageId"] for e in result["results"]] == _ids(sent)
    assert {e["status"]["groupName"] for e in result["results"]} == {"DELIVERED"}


def test_the_trigger_reports_an_error_a_later_check_cannot_fix(
    airflow_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "wrong-key-" + "5" * 20
    monkeypatch.setenv(
        "AIRFLOW_CONN_INFOBIP_DEFAULT", airflow_connection(airflow_server.url, wrong)
    )

    async def run() -> Any:
        event = await anext(InfobipDeliveryReportTrigger(["m1"], "infobip_default", 0.05).run())
        await aclose_pooled_clients()
        return event

    payload = asyncio.run(run()).payload
    assert payload["status"] == "error" and payload["type"] == "authentication"
    assert wrong not in str(payload)
    sensor = InfobipDeliveryReportSensor(task_id="wait", message_ids=["m1"])
    with pytest.raises(AirflowException, match=r"^authentication: "):
        sensor.execute_complete(task_context(), payload)
