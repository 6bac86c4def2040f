"""A key that a JSON number can spell is refused before anything is sent.

Infobip's keys hold letters. A key made of digits and number signs alone could be echoed in
an answer as a number in another form (``1.234567890123456e15``) that no masking of text
finds, or that a double reads with its last digits changed; refusing it means no number in
any answer can ever spell the key."""

from __future__ import annotations

import httpx
import pytest

from infobip_connector import component
from infobip_connector.errors import ConfigurationError

SEND = {
    "bulkId": "b",
    "messages": [{"destinations": [{"to": "41793026727", "messageId": "m1"}], "text": "hi"}],
}


def _never_called(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing may be sent, but {request.url} was")


@pytest.mark.parametrize(
    "key",
    [
        "1234567890123456",
        "0123456789012345",
        "123456789012345678901234",
        "-1234567890123456",
        "1.234567890123456e15",
        "12345678901234560E-1",
    ],
)
@pytest.mark.parametrize("action", ["sendSms", "getSmsLogs"])
def test_a_key_a_number_can_spell_is_refused_before_sending(key: str, action: str) -> None:
    assert "digits" in refusal_of(key, action)


def refusal_of(key: str, action: str) -> str:
    """What the refusal of ``key`` at ``token`` shows (message, details, repr), checked to
    come before anything is sent and never to quote the key."""
    connection = {"token": key, "baseUrl": "https://xyz.api.infobip.com"}
    values = SEND if action == "sendSms" else {}
    with pytest.raises(ConfigurationError) as info:
        component.execute(action, values, connection, transport=httpx.MockTransport(_never_called))
    assert [error["path"] for error in info.value.details["errors"]] == ["token"]
    shown = info.value.message + repr(info.value.details) + repr(info.value)
    assert key not in shown
    return shown


def test_a_key_with_a_letter_is_taken() -> None:
    connection = {"token": "1234567890123456a", "baseUrl": "https://xyz.api.infobip.com"}
    body = b'{"results":[{"messageId":"x","destination":"41793026727"}]}'
    transport = httpx.MockTransport(lambda _: httpx.Response(200, content=body))
    output = component.execute("getSmsLogs", {}, connection, transport=transport)
    assert output["results"][0]["destination"] == "41793026727"
