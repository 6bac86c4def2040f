"""How an operator's try ends on a connector error: the connection read once per try, the
decision (fail for good or leave to Airflow's retries) never replaced by an error raised
while making it, and the IDs to check in the log and the exception, bounded, never the key
or a message's text."""

from __future__ import annotations

import logging
from typing import Any

import pytest

pytest.importorskip("airflow.sdk")

from airflow.sdk.exceptions import AirflowFailException

from infobip_connector.errors import ConfigurationError, OutcomeUnknownError
from infobip_connector.hosts.airflow import failures
from infobip_connector.hosts.airflow.hook import InfobipHook
from infobip_connector.hosts.airflow.operators import (
    InfobipGetSmsLogsOperator,
    InfobipSendSmsOperator,
)
from infobip_connector.hosts.airflow.sensor import InfobipDeliveryReportSensor
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .conftest import KEY, SMS, airflow_connection, task_context

SEND_PATH = "/sms/2/text/advanced"


@pytest.mark.parametrize("try_number", [1, 2])
@pytest.mark.parametrize(
    ("connection", "path"),
    [({"key": "short"}, "password"), ({"maxAttempts": "lots"}, "extra.maxAttempts")],
)
def test_an_unusable_connection_fails_the_task_for_good(
    account: Sandbox,
    airflow_server: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    connection: dict[str, Any],
    path: str,
    try_number: int,
) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_INFOBIP_DEFAULT", airflow_connection(airflow_server.url, **connection)
    )
    for op in (
        InfobipSendSmsOperator(task_id="send", inputs=SMS, retries=3),
        InfobipGetSmsLogsOperator(task_id="logs", retries=3),
    ):
        with pytest.raises(AirflowFailException, match=rf"^configuration: .*{path}") as caught:
            op.execute(task_context(try_number=try_number))
        assert isinstance(caught.value.__cause__, ConfigurationError)
    assert account.requests == []


def test_the_connection_is_read_once_per_try(
    account: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    read = InfobipHook.get_connection

    def counted(conn_id: str) -> Any:
        reads.append(conn_id)
        return read(conn_id)

    monkeypatch.setattr(InfobipHook, "get_connection", staticmethod(counted))
    InfobipSendSmsOperator(task_id="send", inputs=SMS).execute(task_context(try_number=2))
    assert reads == ["infobip_default"]
    account.script("POST", SEND_PATH, Fault(status=400))
    with pytest.raises(AirflowFailException):
        InfobipSendSmsOperator(task_id="send", inputs=SMS).execute(task_context())
    assert reads == ["infobip_default"] * 2
    reads.clear()
    many = [f"m-{i}" for i in range(250)]  # three log requests a check
    InfobipDeliveryReportSensor(task_id="wait", message_ids=many).poke(task_context())
    assert account.request_counts["/sms/3/logs"] == 3
    assert reads == ["infobip_default"]


def _many(count: int) -> dict[str, Any]:
    to = [{"to": f"+41 79 302 {i // 100:02d} {i % 100:02d}"} for i in range(count)]
    return {"messages": [{"destinations": to, "text": "secret text 42"}]}


def test_an_unknown_outcome_left_to_retries_logs_and_notes_the_ids(
    account: Sandbox,
    airflow_server: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    account.set_idempotent_sending(True)
    monkeypatch.setenv(
        "AIRFLOW_CONN_INFOBIP_DEFAULT",
        airflow_connection(airflow_server.url, idempotentSending=True, maxAttempts=1),
    )
    account.script("POST", SEND_PATH, Fault(status=502, process=True))
    op = InfobipSendSmsOperator(task_id="send", inputs=_many(25))
    with pytest.raises(OutcomeUnknownError) as caught:
        op.execute(task_context(try_number=1))  # raised as it is: Airflow's retries may run
    assert caught.value.__cause__ is None  # as it is, not chained to itself
    accepted = sorted(account.accepted_message_ids)
    (note,) = caught.value.__notes__
    captured = capsys.readouterr()  # Airflow's task logger writes to the console here
    logged = "\n".join(
        line for line in (captured.out + captured.err).splitlines() if "IDs to check" in line
    )
    for text in (note, logged):
        assert f"bulkId={caught.value.details['bulkId']}" in text
        shown = [i for i in accepted if i in text]
        assert len(shown) == 20 and "and 5 more" in text  # bounded
        assert KEY not in text and "secret text" not in text


def test_an_unknown_outcome_failing_the_task_names_the_ids(account: Sandbox) -> None:
    account.script("POST", SEND_PATH, Fault(process=True, drop="before_response"))
    with pytest.raises(AirflowFailException) as caught:
        InfobipSendSmsOperator(task_id="send", inputs=SMS, retries=3).execute(task_context())
    (accepted,) = account.accepted_message_ids
    text = str(caught.value)
    assert text.startswith("outcome_unknown: ") and "IDs to check: bulkId=" in text
    assert f"messageIds=[{accepted}]" in text and "Hello" not in text


def test_deciding_a_tries_end_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever fails while describing the error, the decision stands."""

    def broken(details: Any) -> str:
        raise RuntimeError("describing failed")

    monkeypatch.setattr(failures, "ids_text", broken)
    log = logging.getLogger("test")
    config = ConfigurationError([{"path": "password", "message": "is too short"}])
    assert isinstance(
        failures.ending(config, kind="send", idempotent_sending=False, log=log),
        AirflowFailException,
    )
    unknown = OutcomeUnknownError("lost", {"bulkId": "b", "messageIds": ["m"]})
    assert failures.ending(unknown, kind="send", idempotent_sending=True, log=log) is unknown
    assert isinstance(
        failures.ending(unknown, kind="send", idempotent_sending=False, log=log),
        AirflowFailException,
    )


def test_the_ids_to_check_keep_an_id_holding_the_key_whole() -> None:
    from infobip_connector.redaction import register_secret

    register_secret(KEY)
    error = OutcomeUnknownError("lost", {"bulkId": f"bulk-{KEY}", "messageIds": [f"m-{KEY}"]})
    assert failures.ids_part(error) == f"; IDs to check: bulkId=bulk-{KEY}; messageIds=[m-{KEY}]"
