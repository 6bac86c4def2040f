"""Scheduled SMS bulks: getScheduledSms, rescheduleSms, getScheduledSmsStatus and
updateScheduledSmsStatus (Infobip's ``/sms/1/bulks`` and ``/sms/1/bulks/status``).

The exact request of each action (method, path, query, body), its body against Infobip's
published request schema, the answer shaped to the declared output, the sandbox's answers
against the published response schemas, ``sendAt`` read exactly as Send SMS reads it, the
bulk ID never generated, retries per kind over real sockets, and a bulk's whole life through
the CLI over a real socket.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from infobip_connector import InputError, OutcomeUnknownError, RejectedError, component
from infobip_connector.definition.model import walk
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer
from infobip_connector.transport import exchange

from .conftest import ROOT
from .sandbox_support import Clock, conforms

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CONNECTION = {"token": "bulk-test-key-31", "baseUrl": "https://xyz12.api.infobip.com"}
ACTIONS = ("getScheduledSms", "rescheduleSms", "getScheduledSmsStatus", "updateScheduledSmsStatus")
REQUEST_SLICES = {"rescheduleSms": "sms_bulk_request.json"}
REQUEST_SLICES["updateScheduledSmsStatus"] = "sms_bulk_status_request.json"
RESPONSE_SLICES = {"/sms/1/bulks": "sms_bulk_response.json"}
RESPONSE_SLICES["/sms/1/bulks/status"] = "sms_bulk_status_response.json"
# Values of each action, for the bulk ``BULK-1``.
VALUES: dict[str, dict[str, Any]] = {
    "getScheduledSms": {"bulkId": "BULK-1"},
    "rescheduleSms": {"bulkId": "BULK-1", "sendAt": "2026-12-02T09:00:00+01:00"},
    "getScheduledSmsStatus": {"bulkId": "BULK-1"},
    "updateScheduledSmsStatus": {"bulkId": "BULK-1", "status": "PAUSED"},
}
# The answer each action gets from Infobip in the request tests.
ANSWERS: dict[str, dict[str, Any]] = {
    "getScheduledSms": {"bulkId": "BULK-1", "sendAt": "2026-12-01T08:00:00.000+0000"},
    "rescheduleSms": {"bulkId": "BULK-1", "sendAt": "2026-12-02T08:00:00.000+0000"},
    "getScheduledSmsStatus": {"bulkId": "BULK-1", "status": "PENDING"},
    "updateScheduledSmsStatus": {"bulkId": "BULK-1", "status": "PAUSED"},
}

Handler = Callable[[httpx.Request], httpx.Response]


def answering(body: Any, seen: list[httpx.Request], status: int = 200) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=body)

    return httpx.MockTransport(handle)


def execute(
    action: str, values: dict[str, Any], body: Any, seen: list[httpx.Request] | None = None
) -> tuple[Any, list[httpx.Request]]:
    """``action`` run at ``NOW`` against an Infobip answering ``body``; the requests it saw."""
    seen = [] if seen is None else seen
    output = component.execute(action, values, CONNECTION, transport=answering(body, seen), now=NOW)
    return output, seen


def zoned(date_time: str, zone: str = "Europe/Zagreb") -> dict[str, str]:
    return {"dateTime": date_time, "zoneId": zone}


# ---------------------------------------------------------------- the exact requests


@pytest.mark.parametrize(
    ("action", "method", "path", "body"),
    [
        ("getScheduledSms", "GET", "/sms/1/bulks", None),
        ("rescheduleSms", "PUT", "/sms/1/bulks", {"sendAt": "2026-12-02T09:00:00.000+0100"}),
        ("getScheduledSmsStatus", "GET", "/sms/1/bulks/status", None),
        ("updateScheduledSmsStatus", "PUT", "/sms/1/bulks/status", {"status": "PAUSED"}),
    ],
)
def test_each_action_sends_its_exact_request(
    action: str, method: str, path: str, body: dict[str, Any] | None
) -> None:
    output, seen = execute(action, VALUES[action], ANSWERS[action])
    (request,) = seen
    assert request.method == method
    assert request.url.path == path
    assert request.url.params.multi_items() == [("bulkId", "BULK-1")]
    assert request.headers["Authorization"] == f"App {CONNECTION['token']}"
    if body is None:
        assert request.content == b""
    else:
        sent = json.loads(request.content)
        assert sent == body
        conforms(REQUEST_SLICES[action], sent)
    assert output == ANSWERS[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_bulk_id_of_any_characters_reaches_the_query_whole(action: str) -> None:
    bulk_id = "a&b=c d/../é?#%2F+"
    values = {**VALUES[action], "bulkId": bulk_id}
    output, seen = execute(action, values, {**ANSWERS[action], "bulkId": bulk_id})
    (request,) = seen
    assert request.url.path in ("/sms/1/bulks", "/sms/1/bulks/status")
    assert request.url.params.multi_items() == [("bulkId", bulk_id)]
    assert output["bulkId"] == bulk_id


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("bulk_id", [None, "", " "])
def test_the_bulk_id_is_required_and_never_generated(action: str, bulk_id: Any) -> None:
    values = {**VALUES[action], "bulkId": bulk_id}
    seen: list[httpx.Request] = []
    with pytest.raises(InputError) as info:
        execute(action, values, {}, seen)
    assert [error["path"] for error in info.value.errors] == ["bulkId"]
    assert seen == []
    for _, prop in walk(component.definition.action(action).as_property()):
        assert not prop.generatedId


def test_only_paused_processing_and_canceled_can_be_asked_for() -> None:
    for status in ("PENDING", "FINISHED", "FAILED", "paused"):
        values = {"bulkId": "BULK-1", "status": status}
        with pytest.raises(InputError) as info:
            component.validate_input("updateScheduledSmsStatus", values, now=NOW)
        assert info.value.errors[0]["path"] == "status"


# ---------------------------------------------------------------- sendAt as Send SMS reads it


def _sms_send_at(send_at: Any) -> str:
    """The ``sendAt`` Send SMS puts on the wire for the same value."""
    values = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]}
    values["messages"][0]["sendAt"] = send_at
    seen: list[httpx.Request] = []

    def accept(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        (destination,) = body["messages"][0]["destinations"]
        status = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
        entry = {"messageId": destination["messageId"], "status": status, "to": destination["to"]}
        return httpx.Response(200, json={"bulkId": body["bulkId"], "messages": [entry]})

    component.execute("sendSms", values, CONNECTION, transport=httpx.MockTransport(accept), now=NOW)
    sent: str = json.loads(seen[0].content)["messages"][0]["sendAt"]
    return sent


@pytest.mark.parametrize(
    ("send_at", "wire"),
    [
        (zoned("2027-01-15T09:30:00"), "2027-01-15T09:30:00.000+0100"),
        # Summer time: the same wall clock is an hour nearer UTC.
        (zoned("2027-04-15T09:30:00"), "2027-04-15T09:30:00.000+0200"),
        # 02:30 occurs twice when Sydney's clocks go back: the first one is meant.
        (zoned("2027-04-04T02:30:00", "Australia/Sydney"), "2027-04-04T02:30:00.000+1100"),
        ({"dateTime": "2027-01-15T09:30:00+05:30"}, "2027-01-15T09:30:00.000+0530"),
        ("2027-01-15T09:30:00.250-03:00", "2027-01-15T09:30:00.250-0300"),
        ("2027-01-15T08:00:00Z", "2027-01-15T08:00:00.000+0000"),
    ],
)
def test_send_at_is_written_as_send_sms_writes_it(send_at: Any, wire: str) -> None:
    values = {"bulkId": "BULK-1", "sendAt": send_at}
    _, seen = execute("rescheduleSms", values, ANSWERS["rescheduleSms"])
    sent = json.loads(seen[0].content)
    assert sent == {"sendAt": wire}
    conforms("sms_bulk_request.json", sent)
    assert _sms_send_at(send_at) == wire


@pytest.mark.parametrize(
    ("send_at", "path", "words"),
    [
        (zoned("2027-03-28T02:30:00"), "sendAt.dateTime", "does not exist"),  # summer time skips it
        (zoned("2027-01-15T09:30:00", "Mars/Olympus"), "sendAt.zoneId", "not a known time zone"),
        ({"dateTime": "2027-01-15T09:30:00"}, "sendAt", "zoneId"),
        ("2027-01-15T09:30:00", "sendAt", "offset"),
        ("next tuesday", "sendAt", ""),
        ("2026-11-29T09:00:00Z", "sendAt", "in the past"),
        ("2027-06-01T09:00:00Z", "sendAt", "180 days"),
        ({"zoneId": "Europe/Zagreb"}, "sendAt.dateTime", "required"),
    ],
)
def test_a_send_at_send_sms_refuses_is_refused_alike(send_at: Any, path: str, words: str) -> None:
    seen: list[httpx.Request] = []
    values = {"bulkId": "BULK-1", "sendAt": send_at}
    with pytest.raises(InputError) as info:
        execute("rescheduleSms", values, {}, seen)
    (error,) = info.value.errors
    assert error["path"] == path and words in error["message"]
    assert seen == []
    sms = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]}
    sms["messages"][0]["sendAt"] = send_at
    with pytest.raises(InputError) as same:
        component.validate_input("sendSms", sms, now=NOW)
    assert same.value.errors[0]["path"] == f"messages[0].{path}"
    assert same.value.errors[0]["message"] == error["message"]


# ---------------------------------------------------------------- answers


@pytest.mark.parametrize("action", ACTIONS)
def test_an_answer_without_the_bulk_id_is_about_the_bulk_asked_for(action: str) -> None:
    answer = {k: v for k, v in ANSWERS[action].items() if k != "bulkId"}
    output, _ = execute(action, VALUES[action], answer)
    assert output == ANSWERS[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_an_answer_about_another_bulk_is_an_unknown_outcome(action: str) -> None:
    answer = {**ANSWERS[action], "bulkId": "BULK-2"}
    with pytest.raises(OutcomeUnknownError) as info:
        execute(action, VALUES[action], answer)
    assert info.value.details["bulkId"] == "BULK-1"
    if action.startswith("get"):
        assert "safe to repeat" in info.value.message
    else:
        assert "bulk's status" in info.value.message


@pytest.mark.parametrize("action", ACTIONS)
# Past 2**64 a send's answer (read by orjson) holds a float until it is read again.
@pytest.mark.parametrize("digits", ["12", "12345678901234567890", "12345678901234567890123"])
def test_a_bulk_id_written_as_a_number_names_the_bulk_of_its_digits(
    action: str, digits: str
) -> None:
    values = {**VALUES[action], "bulkId": digits}
    output, _ = execute(action, values, {**ANSWERS[action], "bulkId": int(digits)})
    assert output == {**ANSWERS[action], "bulkId": digits}


@pytest.mark.parametrize("action", ACTIONS)
# A bulkId that names no bulk (``""``, ``1.0``, ``true``, a list): test_answer_words.py.
@pytest.mark.parametrize("named", ["BULK-2", 12, "BULK-1 ", 12345678901234567890123])
def test_another_bulk_is_told_in_its_own_words(action: str, named: Any) -> None:
    with pytest.raises(OutcomeUnknownError) as info:
        execute(action, VALUES[action], {**ANSWERS[action], "bulkId": named})
    assert "names another bulk" in info.value.message
    assert "ValueError" not in info.value.message
    assert info.value.details["problems"][0]["path"] == "bulkId"


@pytest.mark.parametrize("action", ["getScheduledSms", "rescheduleSms"])
@pytest.mark.parametrize(
    "send_at", [1799575200000, "1799575200000", "", " ", "garbage", "2026-12-01T08:00:00.000", 1.5]
)
def test_a_send_at_that_is_no_date_time_is_an_unknown_outcome(action: str, send_at: Any) -> None:
    with pytest.raises(OutcomeUnknownError) as info:
        execute(action, VALUES[action], {**ANSWERS[action], "sendAt": send_at})
    assert info.value.details["bulkId"] == "BULK-1"
    assert info.value.details["problems"][0]["path"] == "sendAt"
    assert "sendAt" in info.value.message


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("answer", [{}, {"bulkId": "BULK-1"}, [], {"sendAt": {}, "status": [5]}])
def test_an_answer_without_what_was_asked_is_an_unknown_outcome(action: str, answer: Any) -> None:
    with pytest.raises(OutcomeUnknownError) as info:
        execute(action, VALUES[action], answer)
    assert info.value.details["bulkId"] == "BULK-1"


# ---------------------------------------------------------------- against the sandbox


class Recording(httpx.BaseTransport):
    """The sandbox's in-process transport, keeping each (request, answer body) it served."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._inner = sandbox.transport()
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        response.read()
        self.exchanges.append((request, response))
        return response


def test_a_bulks_life_in_process_with_every_answer_as_published() -> None:
    clock = Clock(NOW.timestamp())
    sandbox = Sandbox(deliver_reports=False, clock=clock)
    recording = Recording(sandbox)

    def run(action: str, values: dict[str, Any]) -> Any:
        return component.execute(action, values, CONNECTION, transport=recording, now=NOW)

    sms = {
        "bulkId": "LIFE-1",
        "messages": [
            {
                "destinations": [{"to": "41793026727"}, {"to": "41793026728"}],
                "text": "Tomorrow",
                "sendAt": {"dateTime": "2026-12-01T09:00:00", "zoneId": "Europe/Zagreb"},
            }
        ],
    }
    run("sendSms", sms)
    bulk = {"bulkId": "LIFE-1"}
    assert run("getScheduledSms", bulk) == {
        "bulkId": "LIFE-1",
        "sendAt": "2026-12-01T08:00:00.000+0000",
    }
    assert run("getScheduledSmsStatus", bulk)["status"] == "PENDING"
    moved = run("rescheduleSms", {**bulk, "sendAt": "2026-12-03T10:15:00+01:00"})
    assert moved == {"bulkId": "LIFE-1", "sendAt": "2026-12-03T09:15:00.000+0000"}
    for status in ("PAUSED", "PROCESSING", "CANCELED"):
        changed = run("updateScheduledSmsStatus", {**bulk, "status": status})
        assert changed == {"bulkId": "LIFE-1", "status": status}
        assert run("getScheduledSmsStatus", bulk) == changed
    with pytest.raises(RejectedError):  # canceled is final
        run("updateScheduledSmsStatus", {**bulk, "status": "PROCESSING"})
    with pytest.raises(RejectedError):
        run("rescheduleSms", {**bulk, "sendAt": "2026-12-04T10:00:00Z"})
    with pytest.raises(RejectedError):
        run("getScheduledSms", {"bulkId": "NO-SUCH-BULK"})

    answered = [(r, a) for r, a in recording.exchanges if r.url.path.startswith("/sms/1/bulks")]
    assert len(answered) == 12
    for request, answer in answered:
        if answer.status_code == 200:
            conforms(RESPONSE_SLICES[request.url.path], answer.json())
            output = component.output_schema(
                "getScheduledSms" if request.url.path == "/sms/1/bulks" else "getScheduledSmsStatus"
            )
            assert set(answer.json()) == set(output["properties"])
        else:
            conforms("sms_api_exception.json", answer.json())


# ---------------------------------------------------------------- retries per kind, real sockets

KEY = "bulk-test-key-31"
CHANGES = ("rescheduleSms", "updateScheduledSmsStatus")


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "BACKOFF_BASE", 0.01)


def _scripted(server: SandboxServer, action: str, bulk_id: str, fault: Fault) -> str:
    """A bulk scheduled a day ahead (real time), and ``fault`` queued for the first request
    ``action`` makes about it; the path of that request."""
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    message = {"destinations": [{"to": "41793026727"}], "text": "Hi"}
    sms = {"bulkId": bulk_id, "messages": [{**message, "sendAt": tomorrow.isoformat()}]}
    component.execute("sendSms", sms, {"token": KEY, "baseUrl": server.url})
    path = "/sms/1/bulks/status" if "Status" in action else "/sms/1/bulks"
    server.sandbox.script("PUT" if action in CHANGES else "GET", path, fault)
    return path


def _run(server: SandboxServer, action: str, bulk_id: str) -> Any:
    values = {**VALUES[action], "bulkId": bulk_id}
    if action == "rescheduleSms":
        values["sendAt"] = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    return component.execute(action, values, {"token": KEY, "baseUrl": server.url})


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("action", ["getScheduledSms", "getScheduledSmsStatus"])
def test_a_read_is_repeated_after_an_ambiguous_failure(
    server: SandboxServer, sandbox: Sandbox, action: str, status: int
) -> None:
    path = _scripted(server, action, "READ-1", Fault(status=status))
    assert _run(server, action, "READ-1")["bulkId"] == "READ-1"
    assert sandbox.request_counts[path] == 2


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault(status=503), id="503"),
        pytest.param(Fault(status=500, process=True), id="500 after processing"),
        pytest.param(Fault(drop="before_response", process=True), id="dropped"),
    ],
)
@pytest.mark.parametrize("action", CHANGES)
def test_a_change_is_never_repeated_and_names_the_bulk_to_check(
    server: SandboxServer, sandbox: Sandbox, action: str, fault: Fault
) -> None:
    path = _scripted(server, action, "SEND-1", fault)
    with pytest.raises(OutcomeUnknownError) as info:
        _run(server, action, "SEND-1")
    assert sandbox.request_counts[path] == 1
    error = info.value
    assert error.details["bulkId"] == "SEND-1"
    assert "messageIds" not in error.details and "messageId" not in error.details
    assert "bulk's status" in error.message and "before repeating" in error.message
    assert "delivery reports" not in error.message


@pytest.mark.parametrize("action", ACTIONS)
def test_a_request_that_provably_did_not_arrive_is_retried_for_every_kind(
    server: SandboxServer, sandbox: Sandbox, action: str
) -> None:
    path = _scripted(server, action, "RATE-1", Fault(status=429, headers={"Retry-After": "0"}))
    assert _run(server, action, "RATE-1")["bulkId"] == "RATE-1"
    assert sandbox.request_counts[path] == 2


# ---------------------------------------------------------------- a bulk's life through the CLI


def cli(url: str, action: str, values: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "INFOBIP_API_KEY": KEY,
        "INFOBIP_BASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "infobip_connector", "run", action, "--input", "-"],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def ok(url: str, action: str, values: dict[str, Any]) -> Any:
    result = cli(url, action, values)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_scheduled_bulk_through_the_cli(server: SandboxServer, sandbox: Sandbox) -> None:
    url = server.url
    soon = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    later = soon + timedelta(days=1)
    sms = {
        "bulkId": "CLI-BULK-1",
        "messages": [
            {
                "destinations": [{"to": "+41 79 302 67 27"}, {"to": "41793026728"}],
                "text": "Scheduled from the CLI",
                "sendAt": {"dateTime": soon.replace(tzinfo=None).isoformat(), "zoneId": "UTC"},
            }
        ],
    }
    sent = ok(url, "sendSms", sms)
    assert sent["bulkId"] == "CLI-BULK-1"
    bulk = {"bulkId": "CLI-BULK-1"}
    wire = soon.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    assert ok(url, "getScheduledSms", bulk) == {"bulkId": "CLI-BULK-1", "sendAt": wire}
    assert ok(url, "getScheduledSmsStatus", bulk)["status"] == "PENDING"

    moved = ok(url, "rescheduleSms", {**bulk, "sendAt": later.isoformat()})
    assert moved["sendAt"] == later.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    assert ok(url, "getScheduledSms", bulk) == moved
    for status in ("PAUSED", "PROCESSING", "CANCELED"):
        assert ok(url, "updateScheduledSmsStatus", {**bulk, "status": status})["status"] == status
        assert ok(url, "getScheduledSmsStatus", bulk) == {"bulkId": "CLI-BULK-1", "status": status}

    refused = cli(url, "updateScheduledSmsStatus", {**bulk, "status": "PROCESSING"})
    assert refused.returncode == 3
    error = json.loads(refused.stderr.strip().splitlines()[-1])["error"]
    assert error["type"] == "rejected"
    assert sandbox.ledger.bulks["CLI-BULK-1"].status == "CANCELED"
    assert [r.method for r in sandbox.requests].count("PUT") == 5
