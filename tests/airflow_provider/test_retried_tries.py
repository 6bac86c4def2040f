"""A retried send task: what a duplicate rejection of its own IDs means on try 2 and later.

Each ID the task derives names its task instance (the key) and one message, so with
idempotent sending on, Infobip refusing it as a duplicate on a later try proves an earlier
try sent that very message: it is reported accepted, never rejected, and the task succeeds.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

pytest.importorskip("airflow.sdk")

from infobip_connector.errors import OutcomeUnknownError
from infobip_connector.hosts.airflow.idempotency import repeats_earlier_try
from infobip_connector.hosts.airflow.operators import InfobipSendSmsOperator
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .conftest import airflow_connection, task_context

SEND_PATH = "/sms/2/text/advanced"
CONFIRMED = "confirmedByDuplicateRejection"
TWO = {
    "messages": [
        {"destinations": [{"to": "+41 79 302 67 27"}, {"to": "+41 79 302 67 28"}], "text": "Hi"}
    ]
}


def _connect(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch, *, idempotent_sending: bool
) -> None:
    server.sandbox.set_idempotent_sending(True)  # the account: Infobip refuses repeated IDs
    connection = airflow_connection(server.url, idempotentSending=idempotent_sending, maxAttempts=1)
    monkeypatch.setenv("AIRFLOW_CONN_INFOBIP_DEFAULT", connection)


def _first_try_answer_lost(account: Sandbox, inputs: Any = TWO) -> InfobipSendSmsOperator:
    """Try 1 is accepted by Infobip, its answer lost: the task ends ``outcome_unknown``."""
    account.script("POST", SEND_PATH, Fault(status=502, process=True))
    op = InfobipSendSmsOperator(task_id="send", inputs=inputs, retries=2)
    with pytest.raises(OutcomeUnknownError):  # raised as it is: Airflow's retries may run
        op.execute(task_context(try_number=1))
    return op


def test_try_two_reports_the_first_tries_messages_as_accepted(
    account: Sandbox,
    airflow_server: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _connect(airflow_server, monkeypatch, idempotent_sending=True)
    op = _first_try_answer_lost(account)
    output = op.execute(task_context(try_number=2))  # returns: the task succeeds
    ids = [m["messageId"] for m in output["messages"]]
    assert [m["status"]["name"] for m in output["messages"]] == ["PENDING_ACCEPTED"] * 2
    assert output[CONFIRMED] == ids
    assert sorted(account.accepted_message_ids) == sorted(ids)
    assert len(account.accepted_messages) == 2  # each sent once, by try 1
    # A third try (cleared again) says the same.
    assert op.execute(task_context(try_number=3))[CONFIRMED] == ids


def test_a_message_changed_between_tries_is_sent_not_confirmed(
    account: Sandbox,
    airflow_server: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The inputs rendered differently on the retry: the changed message is a new one."""
    _connect(airflow_server, monkeypatch, idempotent_sending=True)
    _first_try_answer_lost(account)
    changed = {"messages": [{**TWO["messages"][0], "text": "Hi, changed"}]}
    output = InfobipSendSmsOperator(task_id="send", inputs=changed).execute(
        task_context(try_number=2)
    )
    assert CONFIRMED not in output
    assert sorted(m.text for m in account.accepted_messages) == ["Hi"] * 2 + ["Hi, changed"] * 2


def test_a_given_id_is_not_confirmed_by_its_duplicate(
    account: Sandbox,
    airflow_server: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An ID from the inputs may have been used by anything: its duplicate stays a rejection."""
    _connect(airflow_server, monkeypatch, idempotent_sending=True)
    given = {"messages": [{**TWO["messages"][0]}]}
    given["messages"][0]["destinations"] = [
        {"to": "+41 79 302 67 27", "messageId": "from-upstream-1"},
        {"to": "+41 79 302 67 28"},
    ]
    op = _first_try_answer_lost(account, given)
    output = op.execute(task_context(try_number=2))
    statuses = [m["status"]["name"] for m in output["messages"]]
    assert statuses == ["REJECTED_DUPLICATE_MESSAGE_ID", "PENDING_ACCEPTED"]
    assert output[CONFIRMED] == [output["messages"][1]["messageId"]]


def test_without_idempotent_sending_the_log_says_duplicates_stay_rejected(
    account: Sandbox,
    airflow_server: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The account refuses repeats, the connection does not say so: nothing is confirmed."""
    _connect(airflow_server, monkeypatch, idempotent_sending=False)
    op = InfobipSendSmsOperator(task_id="send", inputs=TWO)
    op.execute(task_context(try_number=1))  # try 1 got through; its task failed later
    capsys.readouterr()
    with caplog.at_level(logging.WARNING):
        output = op.execute(task_context(try_number=2))
    assert CONFIRMED not in output
    names = {m["status"]["name"] for m in output["messages"]}
    assert names == {"REJECTED_DUPLICATE_MESSAGE_ID"}
    # The task log: Airflow's structured logger writes it to the console, not to caplog.
    captured = capsys.readouterr()
    logged = " ".join((caplog.text, captured.out, captured.err))
    assert "Try 2 of this send" in logged and "idempotentSending is off" in logged
    assert "reported rejected" in logged


def test_on_a_first_try_a_duplicate_is_the_rejection_it_says() -> None:
    class Try:
        def __init__(self, number: object) -> None:
            self.try_number = number

    assert [repeats_earlier_try(Try(n)) for n in (1, 2, 7)] == [False, True, True]
    assert not repeats_earlier_try(Try(None)) and not repeats_earlier_try(Try("2"))
    assert not repeats_earlier_try(object())  # type: ignore[arg-type]
