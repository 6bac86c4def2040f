"""What the client tests share: the canned answer to a Send SMS and the requests sent."""

from __future__ import annotations

import json

import httpx
from pytest_httpx import HTTPXMock

BASE = "https://xyz12.api.infobip.com"
SMS_URL = BASE + "/sms/2/text/advanced"
WA_URL = BASE + "/whatsapp/1/message/text"
PENDING = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 26,
    "name": "PENDING_ACCEPTED",
    "description": "Message sent to next instance",
}


ENROUTE = dict(PENDING, id=7, name="PENDING_ENROUTE")
WA_OK = {"to": "41793026727", "messageCount": 1, "messageId": "W1", "status": ENROUTE}


def sms_answer(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    messages = [
        {"messageId": d["messageId"], "status": PENDING, "to": d["to"]}
        for m in body["messages"]
        for d in m["destinations"]
    ]
    return httpx.Response(200, json={"bulkId": body["bulkId"], "messages": messages})


def sent(httpx_mock: HTTPXMock) -> list[httpx.Request]:
    return httpx_mock.get_requests()
