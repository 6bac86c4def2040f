"""getSmsLogs: ``GET /sms/3/logs``, a read (safe to repeat, so retried)."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any

import pytest

from infobip_connector import InputError, component
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
from .sandbox_support import client_for, conforms
from .test_e2e import cli

PATH = "/sms/3/logs"
ACTION = "getSmsLogs"
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}


def test_filters_go_as_infobip_reads_them(account: Sandbox) -> None:
    sent = send_sms(account, "41793026727", "41793026728", text="Hi", **{"from": "InfoSMS"})
    send_sms(account, "41793026729", text="Other bulk")
    ids = [m["messageId"] for m in sent["messages"]]
    values = {
        "sentSince": "2026-11-30T12:59:00+01:00",
        "sentUntil": "2026-11-30T12:01:00Z",
        "bulkId": [sent["bulkId"]],
        "messageId": ids,
        "sender": "InfoSMS",
        "generalStatus": "DELIVERED",
        "limit": 1,
        "useCursor": True,
    }
    output, exchange = run(ACTION, values, account)
    assert (exchange.method, exchange.path, exchange.body) == ("GET", PATH, None)
    assert exchange.query == [
        ("sender", "InfoSMS"),
        ("bulkId", sent["bulkId"]),
        ("messageId", ids[0]),
        ("messageId", ids[1]),
        ("generalStatus", "DELIVERED"),
        ("sentSince", "2026-11-30T12:59:00.000+0100"),
        ("sentUntil", "2026-11-30T12:01:00.000+0000"),
        ("limit", "1"),
        ("useCursor", "true"),
    ]
    # A '+' in a query means a space: the offset's sign is percent-encoded.
    assert "%2B0100" in exchange.raw_query and "+" not in exchange.raw_query
    conforms("sms_logs_v3_response.json", exchange.answer)
    matches_output(ACTION, output)
    (entry,) = output["results"]
    assert entry["messageId"] == ids[1]  # newest first
    assert entry["content"] == {"text": "Hi"}
    assert output["cursor"] == {"limit": 1, "nextCursor": "1"}
    page, _ = run(ACTION, {**values, "cursor": output["cursor"]["nextCursor"]}, account)
    assert [e["messageId"] for e in page["results"]] == [ids[0]]
    assert "nextCursor" not in page["cursor"]


def test_logs_can_be_read_again(account: Sandbox) -> None:
    sent = send_sms(account, "41793026727", text="Hi")
    first, _ = run(ACTION, {"bulkId": [sent["bulkId"]]}, account)
    second, _ = run(ACTION, {"bulkId": [sent["bulkId"]]}, account)
    assert first == second and len(first["results"]) == 1


def test_no_filter_gets_a_generated_id(account: Sandbox) -> None:
    _, exchange = run(ACTION, {}, account)
    assert exchange.query == []


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"mnc": "10"}, "mcc"),
        ({"sentSince": "2026-11-30T12:00:00"}, "sentSince"),
        ({"sentUntil": "30.11.2026"}, "sentUntil"),
        ({"sentSince": "2026-11-30T13:00:00Z", "sentUntil": "2026-11-30T12:00:00Z"}, "sentUntil"),
        ({"generalStatus": "SENT"}, "generalStatus"),
        ({"limit": 1001}, "limit"),
        ({"bulkId": "one"}, "bulkId"),
        ({"messageId": ["ok", " "]}, "messageId[1]"),
        ({"useCursor": "yes"}, "useCursor"),
        # A mobile country code is 3 digits, a network code 2 or 3 (ASCII digits only).
        ({"mcc": "21"}, "mcc"),
        ({"mcc": "2190"}, "mcc"),
        ({"mcc": "21a"}, "mcc"),
        ({"mcc": "\uff12\uff11\uff19"}, "mcc"),
        ({"mcc": "219", "mnc": "1"}, "mnc"),
        ({"mcc": "219", "mnc": "1000"}, "mnc"),
        ({"mcc": "219", "mnc": "1-0"}, "mnc"),
    ],
)
def test_bad_filters_are_named_and_nothing_is_sent(
    account: Sandbox, values: dict[str, Any], path: str
) -> None:
    assert refused_at(ACTION, values, account) == [path]


@pytest.mark.parametrize("mnc", ["01", "10", "100"])
def test_network_codes_go_as_given(account: Sandbox, mnc: str) -> None:
    _, exchange = run(ACTION, {"mcc": "219", "mnc": mnc}, account)
    assert exchange.query == [("mcc", "219"), ("mnc", mnc)]


def test_a_code_of_the_wrong_shape_says_how_many_digits() -> None:
    with pytest.raises(InputError) as caught:
        component.validate_input(ACTION, {"mcc": "2l9", "mnc": "1"})
    assert [(e["path"], e["message"].split(" (got")[0]) for e in caught.value.errors] == [
        ("mcc", "must be 3 digits (0-9)"),
        ("mnc", "must be 2 or 3 digits (0-9)"),
    ]


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault(status=503), id="503"),
        pytest.param(Fault(status=500, process=True), id="500 after reading"),
        pytest.param(Fault(drop="before_response", process=True), id="answer lost"),
    ],
)
def test_an_ambiguous_failure_is_retried(
    account: Sandbox, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    fast_retries(monkeypatch)
    sent = send_sms(account, "41793026727", text="Hi")
    account.script("GET", PATH, fault)
    output = component.execute(
        ACTION, {"bulkId": [sent["bulkId"]]}, CONNECTION, transport=account.transport()
    )
    assert len(output["results"]) == 1
    assert [r.path for r in account.requests].count(PATH) == 2


def test_cli_reads_logs_over_a_socket(server: SandboxServer) -> None:
    server.sandbox.reset()
    message = {"destinations": [{"to": "41793026727"}], "text": "Hi"}
    sent = cli(server.url, "run", "sendSms", "--input", "-", key=KEY, stdin={"messages": [message]})
    assert sent.returncode == 0, sent.stderr
    bulk_id = json.loads(sent.stdout)["bulkId"]
    values = {"bulkId": [bulk_id], "sentSince": "2000-01-01T00:00:00Z"}
    result = cli(server.url, "run", ACTION, "--input", "-", key=KEY, stdin=values)
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)["results"]
    assert entry["bulkId"] == bulk_id and entry["content"]["text"] == "Hi"


def test_the_sandbox_takes_ids_repeated_or_comma_separated_and_needs_mcc_with_mnc(
    account: Sandbox,
) -> None:
    sent = send_sms(account, "41793026727", "41793026728", text="Hi")
    ids = sorted(m["messageId"] for m in sent["messages"])
    with contextmanager(client_for)(account, "transport") as client:
        for query in (f"messageId={ids[0]}&messageId={ids[1]}", f"messageId={ids[0]},{ids[1]}"):
            answer = client.get(f"{PATH}?{query}")
            assert sorted(e["messageId"] for e in answer.json()["results"]) == ids
        refused = client.get(f"{PATH}?mnc=10")
        assert refused.status_code == 400
        conforms("sms_api_exception.json", refused.json())
        assert "mcc" in refused.json()["requestError"]["serviceException"]["validationErrors"]


@pytest.mark.parametrize("written", ["30.11.2026", "2026-11-30T12:00:00"])
def test_a_time_without_offset_is_told_to_carry_one(account: Sandbox, written: str) -> None:
    with pytest.raises(InputError) as caught:
        run(ACTION, {"sentSince": written}, account)
    (problem,) = caught.value.errors
    assert problem["path"] == "sentSince" and "offset" in problem["message"]
    assert "optional" not in problem["message"]
