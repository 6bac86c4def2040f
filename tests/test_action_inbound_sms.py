"""getInboundSms: ``GET /sms/1/inbox/reports``, a consume (each message handed out once, so
never repeated after an ambiguous failure)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infobip_connector import OutcomeUnknownError, component
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .action_support import CONNECTION, KEY, fast_retries, matches_output, refused_at, run
from .sandbox_support import conforms
from .test_e2e import cli

PATH = "/sms/1/inbox/reports"
ACTION = "getInboundSms"
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}


def test_filters_are_query_parameters_and_each_message_comes_once(account: Sandbox) -> None:
    first = account.receive_sms("385916242493", "385921004026", "QUIZ Paris", keyword="QUIZ")
    account.receive_sms("385916242494", "385921004026", "Other", application_id="app-2")
    account.receive_sms("385916242495", "385921004026", "Third")
    output, exchange = run(ACTION, {"limit": 1}, account)
    assert (exchange.method, exchange.path, exchange.body) == ("GET", PATH, None)
    assert exchange.query == [("limit", "1")]
    conforms("sms_inbound_response.json", exchange.answer)
    matches_output(ACTION, output)
    (message,) = output["results"]
    assert (message["messageId"], message["cleanText"]) == (first, "Paris")
    assert (output["messageCount"], output["pendingMessageCount"]) == (1, 2)
    filtered, exchange = run(ACTION, {"applicationId": "app-2"}, account)
    assert exchange.query == [("applicationId", "app-2")]
    assert [m["text"] for m in filtered["results"]] == ["Other"]
    rest, _ = run(ACTION, {}, account)
    assert [m["text"] for m in rest["results"]] == ["Third"]
    assert run(ACTION, {}, account)[0]["results"] == []


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1000.5}, "limit"),
        ({"entityId": "\u0000"}, "entityId"),
        ({"applicationId": "a" * 256}, "applicationId"),
    ],
)
def test_bad_filters_are_named_and_nothing_is_sent(
    account: Sandbox, values: dict[str, Any], path: str
) -> None:
    assert refused_at(ACTION, values, account) == [path]


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault(status=503, process=True), id="503"),
        pytest.param(Fault(status=200, drop="mid_body", process=True), id="answer cut short"),
    ],
)
def test_an_ambiguous_failure_is_not_repeated_and_says_where_to_look(
    account: Sandbox, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    fast_retries(monkeypatch)
    account.receive_sms("385916242493", "385921004026", "Hello")
    account.script("GET", PATH, fault)
    with pytest.raises(OutcomeUnknownError) as caught:
        component.execute(ACTION, {"entityId": "e1"}, CONNECTION, transport=account.transport())
    assert len(account.requests) == 1
    error = caught.value
    assert "handed out" in error.message and "resend" not in error.message
    assert error.details["entityId"] == "e1"
    assert "web interface" in error.details["lookUp"]


def test_cli_fetches_inbound_messages_over_a_socket(server: SandboxServer) -> None:
    server.sandbox.reset()
    server.sandbox.receive_sms("385916242493", "385921004026", "Hello")
    result = cli(server.url, "run", ACTION, "--input", "-", key=KEY, stdin={})
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert [m["text"] for m in output["results"]] == ["Hello"]
    assert output["pendingMessageCount"] == 0
    assert KEY not in result.stdout + result.stderr
