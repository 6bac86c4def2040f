"""Requests the in-process sandbox answers are logged as the sandbox's, never as Infobip's host:
nothing is sent there."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest

from infobip_connector import UnreachableError, component
from infobip_connector.hosts.cli import main
from infobip_connector.sandbox import Sandbox

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
