"""Requests the in-process sandbox answers are logged as the sandbox's, never as Infobip's host:
nothing is sent there. Its refusals and failures are the sandbox's too, never Infobip's."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest

from infobip_connector import UnreachableError, component
from infobip_connector.errors import ConnectorError
from infobip_connector.hosts.cli import main
from infobip_connector.sandbox import Fault, Sandbox

CONNECTION = {"token": "sandbox-log-name-key-0123", "baseUrl": "https://api.infobip.com"}


@pytest.mark.parametrize("asynchronous", [False, True])
def test_the_library_logs_the_sandbox_not_the_base_url(
    caplog: pytest.LogCaptureFixture, asynchronous: bool
) -> None:
    transport = Sandbox(deliver_reports=False).transport()
    with caplog.at_level(logging.DEBUG, logger="infobip_connector"):
        if asynchronous:
            import asyncio

            asyncio.run(
                component.execute_async("getSmsLogs", {"limit": 1}, CONNECTION, transport=transport)
            )
        else:
            component.execute("getSmsLogs", {"limit": 1}, CONNECTION, transport=transport)
    lines = [r.getMessage() for r in caplog.records if "attempt 1" in r.getMessage()]
    assert lines and all(line.startswith("GET sandbox:/sms/3/logs?") for line in lines), lines
    assert "api.infobip.com" not in caplog.text


def test_a_named_transport_that_cannot_connect_names_itself() -> None:
    class Refusing(httpx.MockTransport):
        log_name = "sandbox"

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(UnreachableError) as caught:
        component.execute(
            "getSmsLogs",
            {"limit": 1},
            {**CONNECTION, "maxAttempts": 1},
            transport=Refusing(refuse),
        )
    assert "Could not connect to the sandbox" in caught.value.message


def test_cli_verbose_with_sandbox_logs_the_sandbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "logs.json"
    values.write_text(json.dumps({"limit": 1}))
    main(["-v", "run", "getSmsLogs", "--input", str(values), "--sandbox"])
    err = capsys.readouterr().err
    assert "GET sandbox:/sms/3/logs?" in err
    assert "https://api.infobip.com/" not in err


# ---------------------------------------------------------------- errors name who answered

ANSWERS = [
    (Fault(status=400), "The sandbox rejected the request (HTTP 400"),
    (Fault(status=404), "The sandbox rejected the request (HTTP 404"),
    (Fault(status=401), "The sandbox refused the API key (HTTP 401"),
    (Fault(status=429, headers={"Retry-After": "0"}), "The sandbox is rate limiting"),
    (Fault(status=503), "The sandbox answered HTTP 503"),
    (Fault(status=200, body=b"{not json"), "The sandbox answered HTTP 200 with a body"),
]


@pytest.mark.parametrize(("fault", "said"), ANSWERS)
@pytest.mark.parametrize("asynchronous", [False, True])
def test_an_error_the_sandbox_answers_names_the_sandbox(
    fault: Fault, said: str, asynchronous: bool
) -> None:
    sandbox = Sandbox(deliver_reports=False)
    sandbox.script("*", "*", fault)
    connection = {**CONNECTION, "maxAttempts": 1}
    with pytest.raises(ConnectorError) as caught:
        if asynchronous:
            import asyncio

            asyncio.run(
                component.execute_async(
                    "getSmsLogs", {"limit": 1}, connection, transport=sandbox.transport()
                )
            )
        else:
            component.execute("getSmsLogs", {"limit": 1}, connection, transport=sandbox.transport())
    assert caught.value.message.startswith(said), caught.value.message
    assert "Infobip rejected" not in caught.value.message


@pytest.mark.parametrize("status", [400, 401, 429, 503])
def test_an_error_infobip_answers_still_names_infobip(status: int) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers={"Retry-After": "0"}, json={})

    with pytest.raises(ConnectorError) as caught:
        component.execute(
            "getSmsLogs",
            {"limit": 1},
            {**CONNECTION, "maxAttempts": 1},
            transport=httpx.MockTransport(answer),
        )
    assert caught.value.message.startswith("Infobip "), caught.value.message


def test_cli_with_sandbox_names_the_sandbox_in_a_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "bulk.json"
    values.write_text(json.dumps({"bulkId": "NO-SUCH-BULK"}))
    with pytest.raises(SystemExit) as exited:
        main(["run", "getScheduledSms", "--input", str(values), "--sandbox"])
    err = capsys.readouterr().err
    assert exited.value.code == 3
    assert "The sandbox rejected the request (HTTP 404" in err
    assert "Infobip rejected" not in err


def test_cli_with_sandbox_names_the_sandbox_in_the_rejections_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "send.json"
    # 1-202-555-01xx is a number the sandbox answers as not registered.
    to = [{"to": "12025550123"}, {"to": "41793026727"}]
    values.write_text(json.dumps({"messages": [{"destinations": to, "text": "x"}]}))
    main(["run", "sendSms", "--input", str(values), "--sandbox"])
    err = capsys.readouterr().err
    assert "warning: the sandbox rejected 1 of 2 message(s)" in err
    assert "Infobip rejected" not in err
