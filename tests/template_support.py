"""Helpers of the template message tests: what a send puts on the wire, input problems, a
one-message input and the sandbox's key."""

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
KEY = "template-key-5e2b-91c3"  # at least 16 characters, as Infobip keys are
#: The ``server`` fixture's settings (conftest.py) for a module that imports them.
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}
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


def one_message(content: dict[str, Any] | None = None, **message: Any) -> dict[str, Any]:
    base = {
        "from": SENDER,
        "to": "41793026727",
        "content": content or {"templateName": "t", "language": "en"},
    }
    return {"messages": [{**base, **message}]}
