"""The sandbox's SMS endpoints beyond sending: preview, delivery reports (handed out once),
logs, inbound messages (handed out once) and scheduled bulks with their status transitions.
Answers are checked against the published response schemas kept in tests/fixtures/openapi."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from infobip_connector.sandbox import Sandbox

from .sandbox_support import KEY, Clock, client_for, conforms

SMS = "/sms/2/text/advanced"
LATER = "2026-12-01T09:00:00.000+0000"  # the day after the test clock's start
EVEN_LATER = "2026-12-02T09:00:00.000+0000"


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def sandbox(clock: Clock) -> Sandbox:
    return Sandbox(KEY, deliver_reports=False, clock=clock)


@pytest.fixture(params=["transport", "socket"])
def client(sandbox: Sandbox, request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    yield from client_for(sandbox, request.param)


def send(client: httpx.Client, *destinations: str, **message: Any) -> dict[str, Any]:
    body = {
        "bulkId": message.pop("bulkId", None),
        "messages": [
            {
                "from": "InfoSMS",
                "text": "Hello",
                "destinations": [{"to": to} for to in destinations],
                **message,
            }
        ],
    }
    response = client.post(SMS, json={k: v for k, v in body.items() if v is not None})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def bad(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.text
    body = response.json()
    conforms("sms_api_exception.json", body)
    found: dict[str, list[str]] = body["requestError"]["serviceException"]["validationErrors"]
    return found


# -- preview --------------------------------------------------------------------------------


def test_preview_counts_parts_with_and_without_the_asked_configuration(
    client: httpx.Client,
) -> None:
    request = {"text": "Ğ" * 98, "languageCode": "TR"}
    conforms("sms_preview_request.json", request)
    response = client.post("/sms/1/preview", json=request)
    assert response.status_code == 200
    body = response.json()
    conforms("sms_preview_response.json", body)
    plain, turkish = body["previews"]
    assert body["originalText"] == "Ğ" * 98
    assert (plain["messageCount"], plain["charactersRemaining"]) == (2, 36)  # UCS-2, 67 a part
    assert "configuration" not in plain
    assert (turkish["messageCount"], turkish["charactersRemaining"]) == (1, 57)
    assert turkish["configuration"] == {"language": {"languageCode": "TR"}}


def test_preview_shows_the_transliterated_text(client: httpx.Client) -> None:
    body = client.post("/sms/1/preview", json={"text": "Ωμέγα", "transliteration": "GREEK"}).json()
    assert body["previews"][1]["configuration"] == {"transliteration": "GREEK"}
    assert body["previews"][1]["textPreview"] != "Ωμέγα"
    assert body["previews"][1]["messageCount"] == 1


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({}, "text"),
        ({"text": 5}, "text"),
        ({"text": "a", "languageCode": "DE"}, "languageCode"),
        ({"text": "a", "transliteration": "KLINGON"}, "transliteration"),
        ({"text": "a", "extra": 1}, "extra"),
    ],
)
def test_preview_refuses_bodies_outside_the_schema(
    client: httpx.Client, request_body: dict[str, Any], field: str
) -> None:
    assert field in bad(client.post("/sms/1/preview", json=request_body))


# -- delivery reports -----------------------------------------------------------------------


def test_each_sent_message_has_one_report_handed_out_once(client: httpx.Client) -> None:
    sent = send(client, "41793026727", "41793026834", bulkId="B-1", callbackData="cb")
    response = client.get("/sms/3/reports")
    assert response.status_code == 200
    body = response.json()
    conforms("sms_reports_v3_response.json", body)
    ids = [entry["messageId"] for entry in body["results"]]
    assert ids == [entry["messageId"] for entry in sent["messages"]]
    first = body["results"][0]
    assert first["bulkId"] == "B-1" and first["callbackData"] == "cb"
    assert first["status"]["groupName"] == "DELIVERED"
    assert first["sender"] == "InfoSMS" and first["messageCount"] == 1
    assert client.get("/sms/3/reports").json() == {"results": []}


def test_reports_filter_and_limit_leave_the_rest_queued(client: httpx.Client) -> None:
    send(client, "41793026727", bulkId="A")
    second = send(client, "41793026728", "41793026729", "41793026730", bulkId="B")
    ids = [entry["messageId"] for entry in second["messages"]]
    taken = client.get("/sms/3/reports", params={"bulkId": "B", "limit": 2}).json()["results"]
    assert [entry["messageId"] for entry in taken] == ids[:2]
    taken = client.get("/sms/3/reports", params={"messageId": ids[2]}).json()["results"]
    assert [entry["messageId"] for entry in taken] == ids[2:]
    rest = client.get("/sms/3/reports").json()["results"]
    assert [entry["bulkId"] for entry in rest] == ["A"]


@pytest.mark.parametrize("limit", ["0", "1001", "ten"])
def test_reports_refuse_a_limit_outside_1_to_1000(client: httpx.Client, limit: str) -> None:
    assert "limit" in bad(client.get("/sms/3/reports", params={"limit": limit}))


def test_rejected_destinations_report_their_rejection(client: httpx.Client) -> None:
    send(client, "12125550142")  # a number a trial account has not registered
    (entry,) = client.get("/sms/3/reports").json()["results"]
    assert entry["status"]["groupName"] == "REJECTED"


# -- logs -------------------------------------------------------------------------------------


def test_logs_list_sent_messages_newest_first_and_can_be_read_again(
    client: httpx.Client,
) -> None:
    send(client, "41793026727", bulkId="A", text="first")
    send(client, "41793026728", bulkId="B", text="second", entityId="e-1")
    body = client.get("/sms/3/logs").json()
    conforms("sms_logs_v3_response.json", body)
    assert [entry["content"]["text"] for entry in body["results"]] == ["second", "first"]
    assert body["results"][0]["platform"] == {"entityId": "e-1"}
    assert client.get("/sms/3/logs").json() == body


def test_logs_filters_follow_the_published_parameters(client: httpx.Client, clock: Clock) -> None:
    send(client, "41793026727", bulkId="A")
    clock.now += 3600
    send(client, "41793026728", bulkId="B", campaignReferenceId="c-1")
    send(client, "41793026729", bulkId="C")

    def destinations(**params: Any) -> list[str]:
        response = client.get("/sms/3/logs", params=params)
        assert response.status_code == 200, response.text
        return [entry["destination"] for entry in response.json()["results"]]

    assert destinations(bulkId=["A", "C"]) == ["41793026729", "41793026727"]
    assert destinations(destination="41793026728") == ["41793026728"]
    assert destinations(campaignReferenceId="c-1") == ["41793026728"]
    assert destinations(sentUntil="2026-11-30T12:30:00.000+00:00") == ["41793026727"]
    assert destinations(sentSince="2026-11-30T12:30:00+00:00", limit=1) == ["41793026729"]
    assert destinations(generalStatus="REJECTED") == []
    assert destinations(generalStatus="DELIVERED", sender="Other") == []
    assert destinations(mcc="219") == []


def test_logs_page_with_a_cursor(client: httpx.Client) -> None:
    send(client, "41793026727", "41793026728", "41793026729")
    page = client.get("/sms/3/logs", params={"useCursor": "true", "limit": 2}).json()
    assert len(page["results"]) == 2
    cursor = page["cursor"]["nextCursor"]
    rest = client.get("/sms/3/logs", params={"useCursor": "true", "cursor": cursor}).json()
    assert len(rest["results"]) == 1 and "nextCursor" not in rest["cursor"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"generalStatus": "LOST"}, "generalStatus"),
        ({"sentSince": "yesterday"}, "sentSince"),
        ({"sentUntil": "2026-11-30T12:00:00"}, "sentUntil"),
        ({"sentSince": "2026-11-30T12:00:00.000-2359"}, "sentSince"),  # beyond -18:00
        ({"cursor": "abc"}, "cursor"),
        ({"limit": "5000"}, "limit"),
    ],
)
def test_logs_refuse_bad_parameters(
    client: httpx.Client, params: dict[str, str], field: str
) -> None:
    assert field in bad(client.get("/sms/3/logs", params=params))


# -- inbound messages -------------------------------------------------------------------------


def test_received_sms_are_handed_out_once(sandbox: Sandbox, client: httpx.Client) -> None:
    first = sandbox.receive_sms("41793026727", "447860099299", "STOP now", keyword="STOP")
    sandbox.receive_sms("41793026728", "447860099299", "Hello", application_id="app")
    response = client.get("/sms/1/inbox/reports", params={"limit": 1})
    assert response.status_code == 200
    body = response.json()
    conforms("sms_inbound_response.json", body)
    assert body["messageCount"] == 1 and body["pendingMessageCount"] == 1
    (entry,) = body["results"]
    assert entry["messageId"] == first
    assert (entry["from"], entry["to"], entry["cleanText"]) == (
        "41793026727",
        "447860099299",
        "now",
    )
    assert entry["keyword"] == "STOP" and entry["smsCount"] == 1
    rest = client.get("/sms/1/inbox/reports", params={"applicationId": "app"}).json()
    assert [e["text"] for e in rest["results"]] == ["Hello"]
    assert client.get("/sms/1/inbox/reports").json()["results"] == []


def test_inbound_refuses_a_bad_limit(client: httpx.Client) -> None:
    assert "limit" in bad(client.get("/sms/1/inbox/reports", params={"limit": "-1"}))


# -- scheduled bulks ---------------------------------------------------------------------------


def scheduled(client: httpx.Client, bulk_id: str = "S-1") -> dict[str, Any]:
    return send(client, "41793026727", "41793026728", bulkId=bulk_id, sendAt=LATER)


def test_a_future_send_at_creates_a_pending_bulk(client: httpx.Client) -> None:
    scheduled(client)
    response = client.get("/sms/1/bulks", params={"bulkId": "S-1"})
    assert response.status_code == 200
    conforms("sms_bulk_response.json", response.json())
    assert response.json() == {"bulkId": "S-1", "sendAt": LATER}
    status = client.get("/sms/1/bulks/status", params={"bulkId": "S-1"}).json()
    conforms("sms_bulk_status_response.json", status)
    assert status == {"bulkId": "S-1", "status": "PENDING"}
    # Nothing is delivered before its time, and an immediate send makes no bulk.
    assert client.get("/sms/3/reports").json()["results"] == []
    send(client, "41793026729", bulkId="NOW")
    assert client.get("/sms/1/bulks", params={"bulkId": "NOW"}).status_code == 404


def test_a_bulk_is_sent_when_its_time_comes(client: httpx.Client, clock: Clock) -> None:
    scheduled(client)
    clock.now += 2 * 86400
    status = client.get("/sms/1/bulks/status", params={"bulkId": "S-1"}).json()
    assert status["status"] == "FINISHED"
    reports = client.get("/sms/3/reports", params={"bulkId": "S-1"}).json()["results"]
    assert len(reports) == 2 and reports[0]["sentAt"] == LATER


def test_a_bulk_resumed_after_its_time_is_sent_when_resumed(
    client: httpx.Client, clock: Clock
) -> None:
    scheduled(client)
    pause = client.put("/sms/1/bulks/status", params={"bulkId": "S-1"}, json={"status": "PAUSED"})
    assert pause.status_code == 200
    clock.now += 2 * 86400  # a day past its time, still paused: nothing is sent
    assert client.get("/sms/3/reports", params={"bulkId": "S-1"}).json()["results"] == []
    resumed_at = clock.now
    status = {"status": "PROCESSING"}
    assert client.put("/sms/1/bulks/status", params={"bulkId": "S-1"}, json=status).is_success
    clock.now += 60
    reports = client.get("/sms/3/reports", params={"bulkId": "S-1"}).json()["results"]
    sent = datetime.fromtimestamp(resumed_at, UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    assert len(reports) == 2 and {r["sentAt"] for r in reports} == {sent}
    assert all(r["doneAt"] >= r["sentAt"] for r in reports)
    logs = client.get("/sms/3/logs", params={"bulkId": "S-1"}).json()["results"]
    assert {entry["sentAt"] for entry in logs} == {sent}


def test_a_rescheduled_bulk_is_sent_at_its_new_time(client: httpx.Client, clock: Clock) -> None:
    scheduled(client)
    moved = client.put("/sms/1/bulks", params={"bulkId": "S-1"}, json={"sendAt": EVEN_LATER})
    assert moved.status_code == 200
    logs = client.get("/sms/3/logs", params={"bulkId": "S-1"}).json()["results"]
    assert {entry["sentAt"] for entry in logs} == {EVEN_LATER}
    clock.now += 3 * 86400
    reports = client.get("/sms/3/reports", params={"bulkId": "S-1"}).json()["results"]
    assert {r["sentAt"] for r in reports} == {EVEN_LATER}


def test_reschedule_moves_a_waiting_bulk(client: httpx.Client) -> None:
    scheduled(client)
    request = {"sendAt": EVEN_LATER}
    conforms("sms_bulk_request.json", request)
    response = client.put("/sms/1/bulks", params={"bulkId": "S-1"}, json=request)
    assert response.status_code == 200, response.text
    assert response.json() == {"bulkId": "S-1", "sendAt": EVEN_LATER}
    assert client.get("/sms/1/bulks", params={"bulkId": "S-1"}).json()["sendAt"] == EVEN_LATER


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "sendAt"),
        ({"sendAt": "tomorrow"}, "sendAt"),
        ({"sendAt": "2026-12-01T09:00:00.000+1900"}, "sendAt"),  # beyond +18:00
        ({"sendAt": "2026-11-29T09:00:00.000+0000"}, "sendAt"),
        ({"sendAt": "2027-05-29T12:00:00.001+0000"}, "sendAt"),  # past 180 days
    ],
)
def test_reschedule_refuses_bad_or_past_times(
    client: httpx.Client, body: dict[str, Any], field: str
) -> None:
    scheduled(client)
    assert field in bad(client.put("/sms/1/bulks", params={"bulkId": "S-1"}, json=body))


def test_unknown_or_missing_bulk_ids(client: httpx.Client) -> None:
    for method, path, body in (
        ("GET", "/sms/1/bulks", None),
        ("PUT", "/sms/1/bulks", {"sendAt": LATER}),
        ("GET", "/sms/1/bulks/status", None),
        ("PUT", "/sms/1/bulks/status", {"status": "PAUSED"}),
    ):
        missing = client.request(method, path, params={"bulkId": "nope"}, json=body)
        assert missing.status_code == 404
        assert missing.json() == {
            "requestError": {
                "serviceException": {"messageId": "NOT_FOUND", "text": "Bulk not found"}
            }
        }
        conforms("sms_api_exception.json", missing.json())
        assert "bulkId" in bad(client.request(method, path, json=body))


def put_status(client: httpx.Client, status: str) -> httpx.Response:
    request = {"status": status}
    conforms("sms_bulk_status_request.json", request)
    return client.put("/sms/1/bulks/status", params={"bulkId": "S-1"}, json=request)


def test_status_walks_the_allowed_transitions(client: httpx.Client, clock: Clock) -> None:
    scheduled(client)
    for status in ("PAUSED", "PROCESSING", "PAUSED", "PROCESSING"):
        response = put_status(client, status)
        assert response.status_code == 200, response.text
        assert response.json() == {"bulkId": "S-1", "status": status}
    clock.now += 2 * 86400
    assert client.get("/sms/1/bulks/status", params={"bulkId": "S-1"}).json()["status"] == (
        "FINISHED"
    )
    assert "status" in bad(put_status(client, "CANCELED"))
    assert "bulkId" in bad(
        client.put("/sms/1/bulks", params={"bulkId": "S-1"}, json={"sendAt": EVEN_LATER})
    )


def test_a_paused_bulk_is_not_sent_when_its_time_passes(client: httpx.Client, clock: Clock) -> None:
    scheduled(client)
    put_status(client, "PAUSED")
    clock.now += 2 * 86400
    assert client.get("/sms/1/bulks/status", params={"bulkId": "S-1"}).json()["status"] == "PAUSED"
    assert client.get("/sms/3/reports").json()["results"] == []
    put_status(client, "PROCESSING")
    assert len(client.get("/sms/3/reports").json()["results"]) == 2


def test_a_canceled_bulk_is_final_and_never_sent(client: httpx.Client, clock: Clock) -> None:
    scheduled(client)
    assert put_status(client, "CANCELED").json()["status"] == "CANCELED"
    for status in ("PAUSED", "PROCESSING", "CANCELED"):
        assert "status" in bad(put_status(client, status))
    clock.now += 2 * 86400
    assert client.get("/sms/3/reports").json()["results"] == []
    logs = client.get("/sms/3/logs", params={"bulkId": "S-1"}).json()["results"]
    assert {entry["status"]["groupName"] for entry in logs} == {"REJECTED"}


@pytest.mark.parametrize("status", ["PENDING", "FINISHED", "FAILED", "paused", ""])
def test_only_paused_processing_and_canceled_can_be_asked_for(
    client: httpx.Client, status: str
) -> None:
    scheduled(client)
    response = client.put("/sms/1/bulks/status", params={"bulkId": "S-1"}, json={"status": status})
    assert "status" in bad(response)
    assert "status" in bad(put_status(client, "PROCESSING"))  # PENDING cannot be resumed


def test_preview_of_lone_surrogates_is_answered(client: httpx.Client) -> None:
    raw = b'{"text":"\\ud800\\ud800"}'
    response = client.post("/sms/1/preview", content=raw)
    assert response.status_code == 200, response.text
    assert response.json()["previews"][0]["messageCount"] == 1
