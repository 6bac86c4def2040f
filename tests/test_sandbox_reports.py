"""Delivery reports reach loopback notify URLs, and only those."""

from __future__ import annotations

import base64
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from infobip_connector.sandbox import Sandbox

SLICES = Path(__file__).resolve().parent / "fixtures" / "openapi"
DELIVERED = {
    "groupId": 3,
    "groupName": "DELIVERED",
    "id": 5,
    "name": "DELIVERED_TO_HANDSET",
    "description": "Message delivered to handset",
}


def conforms(slice_name: str, body: Any) -> None:
    schema = json.loads((SLICES / slice_name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(body)


class Receiver:
    """A tiny webhook endpoint that keeps what it was sent (or redirects elsewhere)."""

    def __init__(self, redirect_to: str | None = None) -> None:
        self.bodies: list[Any] = []
        self.raw: list[tuple[str, bytes, str | None]] = []
        self.arrived = threading.Event()
        received = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if redirect_to is not None:
                    self.send_response(307)
                    self.send_header("Location", redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                length = int(self.headers["Content-Length"])
                data = self.rfile.read(length)
                kind = self.headers["Content-Type"]
                received.raw.append((kind, data, self.headers.get("Authorization")))
                if kind == "application/json":
                    received.bodies.append(json.loads(data))
                self.send_response(204)
                self.end_headers()
                received.arrived.set()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/reports"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


def client(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(
        transport=sandbox.transport(),
        base_url="http://sandbox",
        headers={"Authorization": "App key"},
    )


def test_sms_report_is_posted_to_a_loopback_url(receiver: Receiver) -> None:
    sandbox = Sandbox(report_delay=0.05)
    request = {
        "bulkId": "B1",
        "messages": [
            {
                "from": "InfoSMS",
                "text": "a" * 161,
                "notifyUrl": receiver.url,
                "callbackData": "order-42",
                "entityId": "ent",
                "destinations": [
                    {"to": "41793026727", "messageId": "r-1"},
                    {"to": "41793026728", "messageId": "r-2"},
                    {"to": "999000", "messageId": "r-3"},
                ],
            }
        ],
    }
    with client(sandbox) as http:
        response = http.post("/sms/2/text/advanced", json=request)
    assert response.status_code == 200
    assert not receiver.bodies, "the report must not be sent before the response"
    assert sandbox.wait_for_reports(5)
    assert receiver.arrived.wait(1)
    (body,) = receiver.bodies
    conforms("sms_delivery_report.json", body)
    assert [result["messageId"] for result in body["results"]] == ["r-1", "r-2"]
    first = body["results"][0]
    assert first["bulkId"] == "B1"
    assert first["to"] == "41793026727"
    assert first["smsCount"] == 2
    assert first["callbackData"] == "order-42"
    assert first["entityId"] == "ent"
    assert first["status"] == DELIVERED
    assert first["error"] == {
        "groupId": 0,
        "groupName": "OK",
        "id": 0,
        "name": "NO_ERROR",
        "description": "No Error",
        "permanent": False,
    }
    assert first["price"] == {"pricePerMessage": 0.0, "currency": "EUR"}
    assert first["sentAt"].endswith("+0000") and len(first["sentAt"]) == 28
    (record,) = sandbox.reports
    assert (record.url, record.outcome, record.status) == (receiver.url, "sent", 204)


def test_whatsapp_report_is_posted_to_a_loopback_url(receiver: Receiver) -> None:
    sandbox = Sandbox(report_delay=0.01)
    request = {
        "from": "441134960000",
        "to": "441134960001",
        "messageId": "wa-r",
        "content": {"text": "Hi"},
        "notifyUrl": receiver.url.replace("127.0.0.1", "localhost"),
        "callbackData": "cb",
    }
    with client(sandbox) as http:
        assert http.post("/whatsapp/1/message/text", json=request).status_code == 200
    assert sandbox.wait_for_reports(5)
    (body,) = receiver.bodies
    conforms("whatsapp_delivery_report.json", body)
    (result,) = body["results"]
    assert (result["messageId"], result["to"], result["messageCount"]) == (
        "wa-r",
        "441134960001",
        1,
    )
    assert result["status"] == DELIVERED
    assert result["callbackData"] == "cb"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/sms/advanced",
        "http://10.0.0.1:8080/r",
        "http://localhost.evil.example/",
    ],
)
def test_non_loopback_urls_are_never_contacted(url: str) -> None:
    sandbox = Sandbox(report_delay=0.0)
    request = {"messages": [{"text": "x", "notifyUrl": url, "destinations": [{"to": "1"}]}]}
    with client(sandbox) as http:
        assert http.post("/sms/2/text/advanced", json=request).status_code == 200
    (record,) = sandbox.reports
    assert (record.url, record.outcome, record.status) == (url, "skipped_non_loopback", None)
    assert record.body["results"][0]["status"] == DELIVERED


def test_reports_can_be_switched_off_and_unreachable_receivers_are_recorded() -> None:
    request = {
        "messages": [
            {"text": "x", "notifyUrl": "http://127.0.0.1:9/nothing", "destinations": [{"to": "1"}]}
        ]
    }
    quiet = Sandbox(deliver_reports=False)
    with client(quiet) as http:
        http.post("/sms/2/text/advanced", json=request)
    assert [record.outcome for record in quiet.reports] == ["disabled"]
    loud = Sandbox(report_delay=0.0)
    with client(loud) as http:
        http.post("/sms/2/text/advanced", json=request)
    assert loud.wait_for_reports(5)
    (record,) = loud.reports
    assert record.outcome == "failed" and record.error


def test_rejected_messages_get_no_report(receiver: Receiver) -> None:
    sandbox = Sandbox(report_delay=0.0)
    request = {
        "messages": [{"text": "x", "notifyUrl": receiver.url, "destinations": [{"to": "999"}]}]
    }
    with client(sandbox) as http:
        http.post("/sms/2/text/advanced", json=request)
    assert sandbox.reports == []


def test_a_redirecting_receiver_does_not_send_the_report_elsewhere(receiver: Receiver) -> None:
    redirecting = Receiver(redirect_to=receiver.url)
    try:
        sandbox = Sandbox(report_delay=0.0)
        request = {
            "messages": [{"text": "x", "notifyUrl": redirecting.url, "destinations": [{"to": "1"}]}]
        }
        with client(sandbox) as http:
            http.post("/sms/2/text/advanced", json=request)
        assert sandbox.wait_for_reports(5)
    finally:
        redirecting.close()
    (record,) = sandbox.reports
    assert (record.outcome, record.status) == ("failed", 307)
    assert receiver.bodies == []


def sms_with_reports(urls: list[str], **message: Any) -> dict[str, Any]:
    return {
        "messages": [
            {"text": "x", "notifyUrl": url, "destinations": [{"to": "41793026727"}], **message}
            for url in urls
        ]
    }


def test_userinfo_urls_are_checked_and_connected_to_by_one_parse(receiver: Receiver) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    with_userinfo = f"http://user:p%40ss@127.0.0.1:{port}/reports"
    # Parsers that disagree would check one host here and connect to the other.
    decoy = f"http://evil.example@127.0.0.1:{port}/reports"
    elsewhere = f"http://127.0.0.1:{port}@evil.example/reports"
    sandbox = Sandbox(report_delay=0.0)
    with client(sandbox) as http:
        response = http.post(
            "/sms/2/text/advanced", json=sms_with_reports([with_userinfo, decoy, elsewhere])
        )
    assert response.status_code == 200
    assert sandbox.wait_for_reports(5)
    outcomes = [(record.url, record.outcome) for record in sandbox.reports]
    # Records show no password (the posts below still carry it).
    assert outcomes == [
        (f"http://user:***@127.0.0.1:{port}/reports", "sent"),
        (decoy, "sent"),
        ("http://127.0.0.1:***@evil.example/reports", "skipped_non_loopback"),
    ]
    authorizations = sorted(str(auth) for _, _, auth in receiver.raw)
    assert authorizations == sorted(
        [
            "Basic " + base64.b64encode(b"user:p@ss").decode(),
            "Basic " + base64.b64encode(b"evil.example:").decode(),
        ]
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/reports\x00",
        "http://127.0.0.1:9/rep\norts",
        "http://127.0.0.1:9\x7f/reports",
        "http://127.0.0.1:99999/reports",
        "http://[::1/reports",
        "http://127.0.0.1:port/reports",
        "http:///reports",
    ],
)
def test_a_malformed_notify_url_never_leaves_a_report_pending(
    url: str, caplog: pytest.LogCaptureFixture, receiver: Receiver
) -> None:
    sandbox = Sandbox(report_delay=0.0)
    with client(sandbox) as http:
        response = http.post("/sms/2/text/advanced", json=sms_with_reports([url, receiver.url]))
    assert response.status_code == 200
    assert sandbox.wait_for_reports(5), [r.outcome for r in sandbox.reports]
    bad, good = sandbox.reports
    assert bad.outcome in ("invalid_url", "failed") and bad.error
    assert bad.body["results"][0]["status"] == DELIVERED, "the report itself is kept"
    assert good.outcome == "sent"
    assert "delivery report" in caplog.text
    # Later reports still go out: nothing died with the bad one.
    with client(sandbox) as http:
        http.post("/sms/2/text/advanced", json=sms_with_reports([receiver.url]))
    assert sandbox.wait_for_reports(5)
    assert [r.outcome for r in sandbox.reports][-1] == "sent"


def test_a_thousand_notify_urls_use_a_bounded_pool() -> None:
    sandbox = Sandbox(report_delay=0.3)
    before = threading.active_count()
    # A thousand is already far beyond the pool's eight threads, and its 3,000 refused
    # posts finish in time on a machine that the rest of the suite keeps busy.
    refused = [f"http://127.0.0.1:9/r{index}" for index in range(1000)]
    with client(sandbox) as http:
        response = http.post("/sms/2/text/advanced", json=sms_with_reports(refused))
    assert response.status_code == 200
    assert threading.active_count() <= before + 8
    # Each refused post is tried three times: generous room for a loaded machine.
    assert sandbox.wait_for_reports(180)
    assert threading.active_count() <= before + 8
    records = sandbox.reports
    assert len(records) == 1000
    assert {record.outcome for record in records} == {"failed"}


def test_xml_delivery_reports_have_infobips_xml_shape(receiver: Receiver) -> None:
    sandbox = Sandbox(report_delay=0.0)
    request = sms_with_reports(
        [receiver.url], notifyContentType="application/xml", callbackData="a<b&c"
    )
    with client(sandbox) as http:
        assert http.post("/sms/2/text/advanced", json=request).status_code == 200
    assert sandbox.wait_for_reports(5)
    ((content_type, data, _),) = receiver.raw
    assert content_type == "application/xml"
    root = ET.fromstring(data)
    example = ET.parse(SLICES / "sms_delivery_report_example.xml").getroot()
    assert root.tag == example.tag == "reportResponse"
    (results,) = list(root)
    (result,) = list(results)
    known = {child.tag for child in example.iter("result") for child in child}
    assert {child.tag for child in result} <= known
    for nested in ("price", "status", "error"):
        sample = example.find(f"results/result/{nested}")
        ours = result.find(nested)
        assert sample is not None and ours is not None
        assert {child.tag for child in ours} == {child.tag for child in sample}
    (record,) = sandbox.reports
    assert record.content_type == "application/xml"
    expected = record.body["results"][0]
    assert result.findtext("messageId") == expected["messageId"]
    assert result.findtext("callbackData") == "a<b&c"
    assert result.findtext("smsCount") == "1"
    assert result.findtext("status/name") == "DELIVERED_TO_HANDSET"
    assert result.findtext("error/permanent") == "false"
