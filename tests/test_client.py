"""Exact requests, against a mocked httpx transport (the fault matrix: test_client_faults.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
from pytest_httpx import HTTPXMock

from infobip_connector import __version__, component

from .client_support import PENDING, SMS_URL, WA_OK, WA_URL, sent, sms_answer

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def test_minimal_sms_request(
    httpx_mock: HTTPXMock, connection: dict[str, str], canary: str
) -> None:
    httpx_mock.add_callback(sms_answer, url=SMS_URL, method="POST")
    output = component.execute(
        "sendSms",
        {
            "bulkId": "B1",
            "messages": [
                {"destinations": [{"to": "41793026727", "messageId": "M1"}], "text": "Hello"}
            ],
        },
        connection,
    )
    (request,) = sent(httpx_mock)
    assert request.headers["Authorization"] == f"App {canary}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith(f"infobip-connector/{__version__}")
    assert json.loads(request.content) == {
        "bulkId": "B1",
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "M1"}], "text": "Hello"}],
    }
    assert output == {
        "bulkId": "B1",
        "messages": [{"messageId": "M1", "status": PENDING, "to": "41793026727"}],
    }


FULL_SMS: dict[str, Any] = {
    "bulkId": "BULK-ID-123-xyz",
    "messages": [
        {
            "callbackData": "DLR callback data",
            "deliveryTimeWindow": {
                "days": ["MONDAY", "FRIDAY"],
                "from": {"hour": 6, "minute": 0},
                "to": {"hour": 15, "minute": 30},
            },
            "destinations": [{"messageId": "MESSAGE-ID-123-xyz", "to": "+41 79 302 67 27"}],
            "flash": False,
            "from": "InfoSMS",
            "intermediateReport": True,
            "language": {"languageCode": "TR"},
            "notifyContentType": "application/json",
            "notifyUrl": "https://www.example.com/sms/advanced",
            "regional": {
                "indiaDlt": {"contentTemplateId": "t1", "principalEntityId": "p1"},
                "turkeyIys": {"brandCode": 7, "recipientType": "TACIR"},
                "southKorea": {"resellerCode": 123456789},
            },
            "sendAt": {"dateTime": "2026-04-01T09:15:00", "zoneId": "Europe/Zagreb"},
            "text": "Artık Ulusal Dil Tanımlayıcısı ile",
            "transliteration": "TURKISH",
            "validityPeriod": 720.0,
            "entityId": "entity-1",
            "applicationId": "app-1",
        }
    ],
    "sendingSpeedLimit": {"amount": 10, "timeUnit": "HOUR"},
    "urlOptions": {
        "shortenUrl": True,
        "trackClicks": False,
        "trackingUrl": "https://example.com/clicks",
        "removeProtocol": True,
        "customDomain": "ex.am",
    },
    "tracking": {
        "baseUrl": "https://example.com",
        "processKey": "pk",
        "track": "SMS",
        "type": "ONE_TIME_PIN",
    },
    "includeSmsCountInResponse": True,
}


def test_sms_with_every_property(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_response(
        url=SMS_URL,
        json={
            "bulkId": "BULK-ID-123-xyz",
            "messages": [
                {
                    "messageId": "MESSAGE-ID-123-xyz",
                    "status": PENDING,
                    "to": "41793026727",
                    "smsCount": 1,
                }
            ],
        },
    )
    output = component.execute("sendSms", FULL_SMS, connection, now=NOW)
    body = json.loads(sent(httpx_mock)[0].content)
    expected = json.loads(json.dumps(FULL_SMS))
    message = expected["messages"][0]
    message["destinations"][0]["to"] = "41793026727"
    message["sendAt"] = "2026-04-01T09:15:00.000+0200"  # summer time in Zagreb
    message["validityPeriod"] = 720
    assert body == expected
    assert output["messages"][0]["smsCount"] == 1


def test_multi_message_bulk_generates_ids_before_sending(
    httpx_mock: HTTPXMock, connection: dict[str, str]
) -> None:
    httpx_mock.add_callback(sms_answer, url=SMS_URL)
    values = {
        "messages": [
            {
                "destinations": [{"to": "41793026727"}, {"to": "41793026728"}],
                "text": "first",
                "from": "Shop",
            },
            {
                "destinations": [{"to": "385911234567"}],
                "text": "second",
                "sendAt": "2026-03-28T23:30:00-04:00",
            },
        ]
    }
    output = component.execute("sendSms", values, connection, now=NOW)
    body = json.loads(sent(httpx_mock)[0].content)
    assert [len(m["destinations"]) for m in body["messages"]] == [2, 1]
    assert body["messages"][1]["sendAt"] == "2026-03-28T23:30:00.000-0400"
    ids = [d["messageId"] for m in body["messages"] for d in m["destinations"]]
    assert len(set(ids)) == 3 and body["bulkId"]
    assert [m["messageId"] for m in output["messages"]] == ids


def test_send_at_across_daylight_saving(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_callback(sms_answer, url=SMS_URL)
    values = {
        "messages": [
            {
                "destinations": [{"to": "41793026727"}],
                "text": "before",
                "sendAt": {"dateTime": "2026-03-28T10:00:00", "zoneId": "Europe/Zagreb"},
            },
            {
                "destinations": [{"to": "41793026727"}],
                "text": "after",
                "sendAt": {"dateTime": "2026-03-29T10:00:00", "zoneId": "Europe/Zagreb"},
            },
        ]
    }
    component.execute("sendSms", values, connection, now=NOW)
    body = json.loads(sent(httpx_mock)[0].content)
    assert [m["sendAt"] for m in body["messages"]] == [
        "2026-03-28T10:00:00.000+0100",
        "2026-03-29T10:00:00.000+0200",
    ]


def test_minimal_whatsapp_request(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_response(url=WA_URL, method="POST", json=WA_OK)
    output = component.execute(
        "sendWhatsappTextMessage",
        {"from": "447860099299", "to": "41793026727", "messageId": "W1", "content": {"text": "Hi"}},
        connection,
    )
    assert json.loads(sent(httpx_mock)[0].content) == {
        "from": "447860099299",
        "to": "41793026727",
        "messageId": "W1",
        "content": {"text": "Hi"},
    }
    assert output == WA_OK


def test_full_whatsapp_request(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_response(url=WA_URL, json={**WA_OK, "unexpected": "dropped"})
    values = {
        "from": "+44 7860 099299",
        "to": "+41 79 302 67 27",
        "messageId": "W1",
        "content": {"text": "See https://example.com", "previewUrl": True},
        "callbackData": "cb",
        "notifyUrl": "https://example.com/dlr",
        "urlOptions": {
            "shortenUrl": True,
            "trackClicks": True,
            "trackingUrl": "https://example.com/t",
            "removeProtocol": False,
            "customDomain": "ex.am",
        },
        "entityId": "e",
        "applicationId": "a",
    }
    output = component.execute("sendWhatsappTextMessage", values, connection)
    body = json.loads(sent(httpx_mock)[0].content)
    assert body == {**values, "from": "447860099299", "to": "41793026727"}
    assert "unexpected" not in output


class _Recording(httpx.BaseTransport):
    """A caller's transport that takes each request's body as a transport may: as
    ``content`` (which httpx refuses for a request not read), again by ``read()``, and
    by iterating its stream."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer
        self.bodies: list[tuple[bytes, bytes, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        self.bodies.append((request.content, request.read(), b"".join(request.stream)))
        return httpx.Response(200, content=self.answer)


def test_a_transport_gets_the_body_read(connection: dict[str, str]) -> None:
    answer = {
        "bulkId": "B1",
        "messages": [{"messageId": "M1", "status": PENDING, "to": "41793026727"}],
    }
    transport = _Recording(json.dumps(answer).encode())
    values = {
        "bulkId": "B1",
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "M1"}], "text": "Hi"}],
    }
    component.execute("sendSms", values, connection, transport=transport)
    ((content, read, streamed),) = transport.bodies
    assert content is read
    assert json.loads(content) == values
    assert streamed == content
    # A read sends no body: it is read as empty.
    transport.answer = json.dumps({"results": []}).encode()
    component.execute("getSmsLogs", {}, connection, transport=transport)
    assert transport.bodies[1] == (b"", b"", b"")
