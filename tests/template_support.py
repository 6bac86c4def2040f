"""Helpers of the template button tests: what a send puts on the wire, and input problems."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.errors import InputError

ACTION = "sendWhatsappTemplateMessage"
SENDER = "447860099299"
CONNECTION = {"token": "template-token-9a4e", "baseUrl": "https://xyz12.api.infobip.com"}
_PENDING = {"groupId": 1, "groupName": "PENDING", "id": 7, "name": "PENDING_ENROUTE"}


def _pending(request: httpx.Request) -> httpx.Response:
    """Infobip's answer to a template send: every message pending."""
    body = json.loads(request.content)
    messages = [
        {"to": m["to"], "messageId": m["messageId"], "status": _PENDING} for m in body["messages"]
    ]
    return httpx.Response(200, json={"messages": messages, "bulkId": body["bulkId"]})


def sent_body(values: dict[str, Any]) -> dict[str, Any]:
    """The one request body the template action sends for ``values``."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _pending(request)

    component.execute(ACTION, values, CONNECTION, transport=httpx.MockTransport(handler))
    assert len(seen) == 1
    sent: dict[str, Any] = json.loads(seen[0].content)
    return sent


def input_problems(values: dict[str, Any]) -> dict[str, str]:
    """Path → message of the InputError ``values`` raise (which they must)."""
    with pytest.raises(InputError) as caught:
        component.validate_input(ACTION, values)
    return {e["path"]: e["message"] for e in caught.value.errors}
