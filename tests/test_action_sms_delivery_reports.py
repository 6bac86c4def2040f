"""getSmsDeliveryReports: ``GET /sms/3/reports``, a consume (each report handed out once, so
never repeated after an ambiguous failure)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infobip_connector import InputError, OutcomeUnknownError, component
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .action_support import (
    CONNECTION,
    KEY,
    fast_retries,
    matches_output,
    refused_at,
    run,
    send_sms,
)
from .sandbox_support import conforms
from .test_e2e import cli

PATH = "/sms/3/reports"
ACTION = "getSmsDeliveryReports"
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}


def test_filters_are_query_parameters_and_each_report_comes_once(account: Sandbox) -> None:
    first = send_sms(account, "41793026727", "41793026728", text="Hi", entityId="e1")
    send_sms(account, "41793026729", text="Other bulk")
    values = {"bulkId": first["bulkId"], "limit": 10, "entityId": "e1"}
    output, exchange = run(ACTION, values, account)
    assert (exchange.method, exchange.path, exchange.body) == ("GET", PATH, None)
    assert exchange.query == [
        ("bulkId", first["bulkId"]),
        ("limit", "10"),
        ("entityId", "e1"),
    ]
    conforms("sms_reports_v3_response.json", exchange.answer)
    matches_output(ACTION, output)
    sent = [m["messageId"] for m in first["messages"]]
    assert [r["messageId"] for r in output["results"]] == sent
    assert {r["status"]["groupName"] for r in output["results"]} == {"DELIVERED"}
    again, _ = run(ACTION, values, account)
    assert again == {"results": []}


def test_no_filter_gets_a_generated_id(account: Sandbox) -> None:
    send_sms(account, "41793026727", text="Hi")
    output, exchange = run(ACTION, {}, account)
    assert exchange.query == []
    assert len(output["results"]) == 1


def test_a_filter_given_empty_takes_no_report(account: Sandbox) -> None:
    send_sms(account, "41793026727", text="Hi")
    with pytest.raises(InputError) as caught:
        run(ACTION, {"bulkId": "", "messageId": None}, account)
    assert [e["path"] for e in caught.value.errors] == ["bulkId", "messageId"]
    output, _ = run(ACTION, {}, account)
    assert len(output["results"]) == 1  # still there: the refused pull took nothing


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"bulkId": "a\nb"}, "bulkId"),
        ({"entityId": "e" * 256}, "entityId"),
        ({"bulk": "x"}, "bulk"),
    ],
)
def test_bad_filters_are_named_and_nothing_is_sent(
    account: Sandbox, values: dict[str, Any], path: str
) -> None:
    assert refused_at(ACTION, values, account) == [path]


@pytest.mark.parametrize(
    ("action", "path"), [(ACTION, PATH), ("getInboundSms", "/sms/1/inbox/reports")]
)
@pytest.mark.parametrize("body", [{}, {"results": None}, {"results": {}}, {"messageCount": 0}])
def test_a_consume_answered_without_a_list_of_results_may_have_lost_items(
    account: Sandbox, action: str, path: str, body: dict[str, Any]
) -> None:
    # Items are handed out once: an answer without them is not an empty pull.
    account.script("GET", path, Fault(status=200, body=body))
    with pytest.raises(OutcomeUnknownError) as caught:
        run(action, {}, account)
    assert caught.value.details["itemsMayBeLost"] is True
    assert caught.value.details["lookUp"]
    assert caught.value.details["problems"][0]["path"] == "results"


@pytest.mark.parametrize(
    ("action", "path"), [(ACTION, PATH), ("getInboundSms", "/sms/1/inbox/reports")]
)
@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("[]", "an answer that is not an object (a list)"),
        ('"results"', "an answer that is not an object (text)"),
        ("7", "an answer that is not an object (a whole number)"),
        ('{"results": "x"}', "results that are not a list (text)"),
        ('{"results": {}}', "results that are not a list (an object)"),
        ('{"results": null}', "no results"),
    ],
)
def test_a_consume_answer_of_the_wrong_shape_is_told_as_it_is(
    account: Sandbox, action: str, path: str, body: str, said: str
) -> None:
    # Written as JSON text: the sandbox sends a text body as it is.
    account.script("GET", path, Fault(status=200, body=body))
    with pytest.raises(OutcomeUnknownError) as caught:
        run(action, {}, account)
    assert f"Infobip answered the pull with {said}:" in caught.value.message
    (problem,) = caught.value.details["problems"]
    assert problem["path"] == ("results" if body.startswith("{") else "")


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault(status=503, process=True), id="503"),
        pytest.param(Fault(drop="before_response", process=True), id="answer lost"),
    ],
)
def test_an_ambiguous_failure_is_not_repeated_and_says_where_to_look(
    account: Sandbox, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    fast_retries(monkeypatch)
    sent = send_sms(account, "41793026727", text="Hi")
    account.script("GET", PATH, fault)
    with pytest.raises(OutcomeUnknownError) as caught:
        component.execute(
            ACTION, {"bulkId": sent["bulkId"]}, CONNECTION, transport=account.transport()
        )
    assert [r.path for r in account.requests].count(PATH) == 1
    error = caught.value
    assert "handed out" in error.message and "resend" not in error.message
    assert error.details["bulkId"] == sent["bulkId"]
    assert "Get SMS Logs" in error.details["lookUp"]
    # The first request took the report: fetching again would not bring it back.
    assert run(ACTION, {"bulkId": sent["bulkId"]}, account)[0] == {"results": []}


def test_cli_fetches_reports_over_a_socket(server: SandboxServer) -> None:
    server.sandbox.reset()
    sent = cli(
        server.url,
        "run",
        "sendSms",
        "--input",
        "-",
        key=KEY,
        stdin={"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]},
    )
    assert sent.returncode == 0, sent.stderr
    bulk_id = json.loads(sent.stdout)["bulkId"]
    result = cli(server.url, "run", ACTION, "--input", "-", key=KEY, stdin={"bulkId": bulk_id})
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)["results"]
    assert report["bulkId"] == bulk_id and report["to"] == "41793026727"
    assert KEY not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("filters", "named"),
    [
        ({}, "sentSince"),
        ({"limit": 10}, "sentSince"),
        ({"bulkId": "b-1"}, "with the same bulkId lists"),
        ({"messageId": "m-1", "entityId": "e-1"}, "with the same messageId / entityId lists"),
    ],
)
def test_a_lost_pull_advises_a_look_up_the_request_allows(
    account: Sandbox, filters: dict[str, Any], named: str
) -> None:
    account.script("GET", PATH, Fault(process=True))
    with pytest.raises(OutcomeUnknownError) as caught:
        component.execute(ACTION, filters, CONNECTION, transport=account.transport())
    look_up = caught.value.details["lookUp"]
    assert "Get SMS Logs" in look_up and named in look_up
    if not {"bulkId", "messageId"} & filters.keys():
        assert "bulkId" not in look_up and "messageId" not in look_up
