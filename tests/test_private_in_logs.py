"""A request's recipients and texts stay out of its repr and of the transport's log lines."""

from __future__ import annotations

import logging

import httpx
import pytest

from infobip_connector.request import InfobipRequest
from infobip_connector.transport import client
from infobip_connector.transport.connection import settings_for
from infobip_connector.transport.target import shown_target

NUMBER = "41793026728"
TEXT = "Your code 4711"
SETTINGS = settings_for(
    {"token": "logs-key-0123456789abcdef", "baseUrl": "https://xyz12.api.infobip.com"}
)


class _Named(httpx.MockTransport):
    """A transport answering in this process under a name, as the sandbox's does."""

    log_name = "sandbox"


def _logs_read() -> InfobipRequest:
    query = (("destination", NUMBER), ("text", TEXT), ("limit", "5"))
    return InfobipRequest("GET", "/sms/3/logs", None, {}, kind="read", query=query)


@pytest.mark.parametrize(
    ("transport", "shown"),
    [
        (
            httpx.MockTransport,
            "GET https://xyz12.api.infobip.com/sms/3/logs?destination=...&text=...&limit=...",
        ),
        (_Named, "GET sandbox:/sms/3/logs?destination=...&text=...&limit=..."),
    ],
)
def test_debug_lines_name_the_query_without_its_values(
    caplog: pytest.LogCaptureFixture, transport: type[httpx.MockTransport], shown: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="infobip_connector")
    answers = iter([httpx.Response(503), httpx.Response(200, json={"results": []})])
    client.send(SETTINGS, _logs_read(), transport(lambda request: next(answers)))
    lines = [record.getMessage() for record in caplog.records]
    assert f"{shown} attempt 1: HTTP 503" in lines and f"{shown} attempt 2: HTTP 200" in lines
    text = "\n".join(lines)
    assert NUMBER not in text and "4711" not in text


def test_a_send_without_query_is_shown_as_sent() -> None:
    assert shown_target("/sms/2/text/advanced") == "/sms/2/text/advanced"
    assert shown_target("/a/b%2Fc?x=1&y=&z") == "/a/b%2Fc?x=...&y=...&z=..."
