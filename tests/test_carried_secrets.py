"""Secrets a request body carries (a webhook's Basic password or HMAC secret, sent as
``HiddenStr`` when registering it) are masked like the API key in whatever Infobip's answer
echoes: the error's message and details, the log records, a success answer; whatever the
secret's length."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.errors import ConnectorError
from infobip_connector.sandbox import Fault, Sandbox

CONNECTION = {"token": "sandbox-key-for-local-tests", "baseUrl": "https://api.infobip.com"}
URL = "https://hooks.example.com/infobip/inbound"

SECRET = "HMAC-CANARY-SECRET-123456"
SHORT = "pw-9x"  # shorter than any API key: masked all the same


@pytest.mark.parametrize(
    ("security", "secret"),
    [
        ({"hmacSecret": SECRET}, SECRET),
        ({"basicAuth": {"username": "u", "password": SHORT}}, SHORT),
    ],
)
@pytest.mark.parametrize("status", [400, 500])
def test_a_secret_echoed_by_infobip_is_masked_like_the_key(
    security: dict[str, Any], secret: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    key = "sandbox-key-for-local-tests-CANARY"
    answer = {
        "requestError": {
            "serviceException": {
                "messageId": "BAD_REQUEST",
                "text": f"bad {key} / {secret}",
                "validationErrors": {"profile.security.credentials": [f"{secret} is weak"]},
            }
        }
    }
    sandbox = Sandbox(deliver_reports=False)
    sandbox.script("POST", "/subscriptions/1/subscription/SMS", Fault(status=status, body=answer))
    caplog.set_level(logging.DEBUG, logger="infobip_connector")
    with pytest.raises(ConnectorError) as caught:
        component.register_webhook(
            "newInboundSms",
            URL,
            {"token": key},
            security=security,
            transport=sandbox.transport(),
        )
    shown = str(caught.value.to_dict()) + str(caught.value) + repr(caught.value)
    assert "bad ***" in shown
    assert secret not in shown and key not in shown
    assert secret not in caplog.text


def test_a_secret_echoed_in_a_success_answer_is_masked() -> None:
    from infobip_connector.redaction import HiddenStr
    from infobip_connector.request import InfobipRequest
    from infobip_connector.transport import client
    from infobip_connector.transport.connection import settings_for

    sandbox = Sandbox(deliver_reports=False)
    sandbox.script("POST", "/x/1", Fault(status=200, body={"echo": f"got {SHORT}"}))
    request = InfobipRequest("POST", "/x/1", {"secret": HiddenStr(SHORT)}, kind="read")
    settings = settings_for(CONNECTION)
    assert not isinstance(settings, ConnectorError)
    assert client.send(settings, request, sandbox.transport()) == {"echo": "got ***"}


def test_every_carried_secret_is_found_at_any_depth_in_any_container() -> None:
    # The walk runs on every request body; it must miss no secret wherever it sits (a
    # tuple, a dict or str subclass), and no nesting may make it fail.
    from collections import OrderedDict

    from infobip_connector.redaction import HiddenStr, hidden_values

    deep: Any = HiddenStr("at-the-bottom")
    for _ in range(5000):  # far deeper than Python's recursion limit
        deep = {"a": [deep]}
    body = {
        "plain": ["text", 1, 2.5, None, True],
        "tuple": ("x", HiddenStr("in-a-tuple")),
        "ordered": OrderedDict(security={"hmacSecret": HiddenStr("in-a-dict-subclass")}),
        "deep": deep,
        "first": HiddenStr("top-level"),
    }
    assert sorted(hidden_values(body)) == sorted(
        ["at-the-bottom", "in-a-tuple", "in-a-dict-subclass", "top-level"]
    )
    assert hidden_values(HiddenStr("alone")) == ["alone"]
    assert hidden_values({"messages": [{"text": "no secret"}]}) == []
