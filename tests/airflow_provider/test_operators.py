"""``InfobipOperator`` and the per-action operators generated from connector.yaml: templated
inputs, the output as the return value (XCom), and which failures end the task for good."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("airflow.sdk")

import yaml
from airflow.sdk.exceptions import AirflowFailException

from infobip_connector import Component, component
from infobip_connector.errors import (
    AuthenticationError,
    InputError,
    OutcomeUnknownError,
    RateLimitedError,
    UnreachableError,
)
from infobip_connector.hosts.airflow import operators
from infobip_connector.hosts.airflow.operators import (
    InfobipOperator,
    InfobipSendSmsOperator,
    generated_operators,
    operator_classes,
)
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from ..conftest import ROOT
from .conftest import SMS, airflow_connection, task_context

SEND_PATH = "/sms/2/text/advanced"


def test_one_operator_per_action_generated_from_the_definition() -> None:
    classes = operator_classes()
    assert list(classes) == [
        f"Infobip{name[0].upper()}{name[1:]}Operator" for name in component.action_names
    ]
    assert classes["InfobipSendSmsOperator"] is InfobipSendSmsOperator
    for name, cls in classes.items():
        assert issubclass(cls, InfobipOperator)
        assert cls.__module__ == operators.__name__ and cls.__qualname__ == name
        assert getattr(operators, name) is cls  # importable by its name, as Airflow does
        action = component.definition.action(cls.fixed_action or "")
        assert action.title in (cls.__doc__ or "")


def test_an_action_added_to_the_definition_gets_its_operator(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "connector.yaml").read_text(encoding="utf-8"))
    copy = dict(next(a for a in data["actions"] if a["name"] == "getSmsLogs"))
    copy.update(name="getSmsLogsAgain", title="Get SMS Logs Again")
    data["actions"].append(copy)
    (tmp_path / "icon.svg").write_text((ROOT / "infobip_connector" / "icon.svg").read_text())
    (tmp_path / "connector.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    made = generated_operators(Component(tmp_path / "connector.yaml"))
    assert made["InfobipGetSmsLogsAgainOperator"].fixed_action == "getSmsLogsAgain"
    assert "Get SMS Logs Again" in (made["InfobipGetSmsLogsAgainOperator"].__doc__ or "")


def test_the_action_is_checked_when_the_dag_is_parsed() -> None:
    with pytest.raises(InputError) as caught:
        InfobipOperator(task_id="t", action="sendFax")
    assert caught.value.errors[0]["path"] == "action"
    with pytest.raises(ValueError, match="runs 'sendSms'"):
        InfobipSendSmsOperator(task_id="t", action="getSmsLogs")
    with pytest.raises(ValueError, match="action is required"):
        InfobipOperator(task_id="t")


def test_the_output_is_the_return_value(account: Sandbox) -> None:
    output = InfobipOperator(task_id="send", action="sendSms", inputs=SMS).execute(task_context())
    assert output["messages"][0]["status"]["groupName"] == "PENDING"
    assert account.accepted_message_ids == {output["messages"][0]["messageId"]}
    logs = InfobipOperator(
        task_id="logs", action="getSmsLogs", inputs={"bulkId": [output["bulkId"]]}
    ).execute(task_context())
    assert [e["messageId"] for e in logs["results"]] == [output["messages"][0]["messageId"]]


def test_inputs_are_templated() -> None:
    assert InfobipOperator.template_fields == ("inputs",)
    op = InfobipSendSmsOperator(
        task_id="send",
        inputs={
            "messages": [{"destinations": [{"to": "{{ params.to }}"}], "text": "Run {{ ds }}"}]
        },
        params={"to": "+41793026727"},
    )
    op.render_template_fields({**task_context(), "params": {"to": "+41793026727"}})
    assert op.inputs == {
        "messages": [{"destinations": [{"to": "+41793026727"}], "text": "Run 2026-11-30"}]
    }


def test_an_input_error_fails_the_task_without_retries(account: Sandbox) -> None:
    op = InfobipSendSmsOperator(
        task_id="send", retries=3, inputs={"messages": [{"destinations": [{"to": "12"}]}]}
    )
    with pytest.raises(AirflowFailException) as caught:
        op.execute(task_context())
    assert "messages[0].destinations[0].to" in str(caught.value)
    assert isinstance(caught.value.__cause__, InputError)
    assert account.requests == []


def test_a_rejected_request_fails_the_task_without_retries(account: Sandbox) -> None:
    account.script("POST", SEND_PATH, Fault(status=400))
    with pytest.raises(AirflowFailException, match=r"^rejected: "):
        InfobipSendSmsOperator(task_id="send", inputs=SMS).execute(task_context())


def test_an_unknown_outcome_of_a_send_fails_without_retries_when_not_idempotent(
    account: Sandbox,
) -> None:
    account.script("POST", SEND_PATH, Fault(status=500, process=True))
    with pytest.raises(AirflowFailException) as caught:
        InfobipSendSmsOperator(task_id="send", inputs=SMS).execute(task_context())
    text = str(caught.value)
    assert text.startswith("outcome_unknown: ") and "could send the messages twice" in text
    (accepted,) = account.accepted_message_ids
    assert accepted in str(caught.value.__cause__.details)  # type: ignore[union-attr]


def test_failures_a_retry_may_fix_are_left_to_airflow(
    account: Sandbox, airflow_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    account.script("POST", SEND_PATH, *[Fault(status=429, headers={"Retry-After": "0"})] * 3)
    with pytest.raises(RateLimitedError):
        InfobipSendSmsOperator(task_id="send", inputs=SMS).execute(task_context())
    monkeypatch.setenv(
        "AIRFLOW_CONN_INFOBIP_DEFAULT", airflow_connection(airflow_server.url, key="x" * 24)
    )
    with pytest.raises(AuthenticationError):  # a key replaced in the connection is read next try
        InfobipSendSmsOperator(task_id="send", inputs=SMS).execute(task_context())
    with SandboxServer(Sandbox()) as closed:
        url = closed.url
    monkeypatch.setenv("AIRFLOW_CONN_INFOBIP_DEFAULT", airflow_connection(url, maxAttempts=1))
    with pytest.raises(UnreachableError):
        InfobipSendSmsOperator(task_id="send", inputs=SMS).execute(task_context())


def _ids(output: dict[str, Any]) -> list[str]:
    return [m["messageId"] for m in output["messages"]]


def test_every_try_of_a_task_instance_sends_the_same_ids(account: Sandbox) -> None:
    op = InfobipSendSmsOperator(task_id="send", inputs=SMS)
    first = op.execute(task_context())
    account.reset()  # a fresh account: the same IDs are accepted again, not refused
    retried = op.execute(task_context())
    assert (retried["bulkId"], _ids(retried)) == (first["bulkId"], _ids(first))
    other_run = op.execute(task_context(run_id="manual__2026-12-01T12:00:00+00:00"))
    assert other_run["bulkId"] != first["bulkId"]
    assert set(_ids(other_run)).isdisjoint(_ids(first))


def test_ids_given_in_the_inputs_are_kept(account: Sandbox) -> None:
    given = {"bulkId": "nightly-1", "messages": [{**SMS["messages"][0]}]}
    given["messages"][0]["destinations"] = [{"to": "+41 79 302 67 27", "messageId": "m-1"}]
    output = InfobipSendSmsOperator(task_id="send", inputs=given).execute(task_context())
    assert (output["bulkId"], _ids(output)) == ("nightly-1", ["m-1"])


def test_with_idempotent_sending_a_retried_task_cannot_send_twice(
    account: Sandbox, airflow_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    account.set_idempotent_sending(True)
    connection = airflow_connection(airflow_server.url, idempotentSending=True, maxAttempts=2)
    monkeypatch.setenv("AIRFLOW_CONN_INFOBIP_DEFAULT", connection)
    # Accepted, then every answer lost: the outcome stays unknown within the try.
    account.script("POST", SEND_PATH, *[Fault(status=500, process=True)] * 2)
    op = InfobipSendSmsOperator(task_id="send", inputs=SMS)
    with pytest.raises(OutcomeUnknownError):  # raised as it is: Airflow's retries may run
        op.execute(task_context(try_number=1))
    retried = op.execute(task_context(try_number=2))  # Airflow's next try: the same IDs
    (entry,) = retried["messages"]
    # Refused as a duplicate, which proves the first try's send was accepted.
    assert entry["status"]["name"] == "PENDING_ACCEPTED"
    assert retried["confirmedByDuplicateRejection"] == [entry["messageId"]]
    assert len(account.accepted_messages) == 1  # sent once, by the first try
