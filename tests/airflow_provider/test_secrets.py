"""The API key stays out of what a task leaves behind: its logs (every logger, every level),
its return value (XCom), its rendered templates and the operator's attributes, and the
errors that fail it, whatever went wrong. The example DAG's test checks the same on a real
``dag.test()`` run (output, log files and the database)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

pytest.importorskip("airflow.sdk")

from infobip_connector.hosts.airflow.hook import InfobipHook
from infobip_connector.hosts.airflow.operators import InfobipSendSmsOperator
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .conftest import KEY, SMS, task_context


def _run(op: InfobipSendSmsOperator) -> tuple[Any, BaseException | None]:
    context = task_context()
    op.render_template_fields(context)
    try:
        return op.execute(context), None
    except BaseException as error:
        return None, error


def _everything(op: InfobipSendSmsOperator, result: Any, error: BaseException | None) -> str:
    seen = [json.dumps(result), repr(vars(op)), str(op.inputs), repr(InfobipHook())]
    while error is not None:
        seen += [repr(error), str(error), str(getattr(error, "details", ""))]
        error = error.__cause__ or error.__context__
    return "\n".join(seen)


@pytest.mark.parametrize(
    "fault",
    [None, Fault(status=500, process=True), Fault(status=400), Fault(drop="before_response")],
)
def test_no_task_outcome_shows_the_key(
    account: Sandbox,
    fault: Fault | None,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if fault is not None:
        account.script("POST", "/sms/2/text/advanced", fault)
    caplog.set_level(logging.DEBUG)
    op = InfobipSendSmsOperator(task_id="send", inputs=SMS)
    result, error = _run(op)
    assert (result is None) == (fault is not None)
    captured = capsys.readouterr()
    for text in (_everything(op, result, error), caplog.text, captured.out, captured.err):
        assert KEY not in text


def test_a_key_typed_into_the_host_field_is_not_quoted(
    airflow_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Swapped fields: the key as host, the URL as password.
    connection = {"conn_type": "infobip", "host": KEY, "password": airflow_server.url}
    monkeypatch.setenv("AIRFLOW_CONN_INFOBIP_DEFAULT", json.dumps(connection))
    op = InfobipSendSmsOperator(task_id="send", inputs=SMS)
    result, error = _run(op)
    assert error is not None and "password" in str(error)
    assert KEY not in _everything(op, result, error)
    ok, message = InfobipHook().test_connection()
    assert not ok and KEY not in message
