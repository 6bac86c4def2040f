"""A request's recipients and texts stay out of its repr and of the transport's log lines."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from infobip_connector.errors import ConnectorError, RejectedError, UnreachableError
from infobip_connector.request import InfobipRequest
from infobip_connector.transport import client, exchange
from infobip_connector.transport.connection import settings_for
from infobip_connector.transport.target import (
    request_target,
    shown_target,
    without_query_values,
)

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


def test_a_send_is_logged_by_its_url_and_nothing_is_made_while_debug_is_off(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def made(target: str) -> str:
        raise AssertionError("shown_target called for a line not written")

    monkeypatch.setattr(exchange, "shown_target", made)
    caplog.set_level(logging.INFO, logger="infobip_connector")
    answers = iter([httpx.Response(503), httpx.Response(200, json={"results": []})])
    client.send(SETTINGS, _logs_read(), httpx.MockTransport(lambda request: next(answers)))
    caplog.set_level(logging.DEBUG, logger="infobip_connector")
    send = InfobipRequest("POST", "/sms/2/text/advanced", {"messages": []}, {"bulkId": "b"})
    with pytest.raises(ConnectorError):  # a send answered HTTP 500: its outcome is unknown
        client.send(SETTINGS, send, httpx.MockTransport(lambda request: httpx.Response(500)))
    assert any(
        r.getMessage().startswith("POST https://xyz12.api.infobip.com/sms/2/text/advanced attempt")
        for r in caplog.records
    )


@pytest.mark.parametrize("status", [301, 307, 308])
def test_a_redirect_repeating_the_query_is_told_without_its_values(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        location = f"https://elsewhere.example{request.url.raw_path.decode()}"
        return httpx.Response(status, headers={"Location": location})

    with pytest.raises(RejectedError) as caught:
        client.send(SETTINGS, _logs_read(), httpx.MockTransport(handler))
    said = caught.value.message + repr(caught.value.details)
    assert "elsewhere.example/sms/3/logs?destination=...&text=...&limit=..." in said
    assert NUMBER not in said and "4711" not in said


@pytest.mark.parametrize(
    "words",
    [
        "failed for ?text=Your+code+4711&destination=41793026728",  # form-encoded, reordered
        "failed for https://h/sms/3/logs?destination=41793026728&te",  # cut short
        "failed for https://h/sms/3/logs?destination=41793026728&text=Your code 4711&limit=5",
    ],
)
def test_a_failure_spelling_the_query_otherwise_is_told_without_its_values(words: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError(words)

    with pytest.raises(ConnectorError) as caught:
        client.send(SETTINGS, _logs_read(), httpx.MockTransport(handler))
    assert NUMBER not in caught.value.message


def _quoted(request: InfobipRequest, text: str) -> str:
    target = request_target(request.path, request.path_params, request.query)
    return without_query_values(text, target, request.query)


def test_other_words_are_left_as_they_are() -> None:
    limit = InfobipRequest("GET", "/sms/3/logs", None, {}, kind="read", query=(("limit", "5"),))
    text = "limit=50 refused, url='https://h/sms/3/logs?limit=5'"
    assert _quoted(limit, text) == "limit=50 refused, url='https://h/sms/3/logs?limit=...'"
    empty = InfobipRequest("GET", "/sms/3/logs", None, {}, kind="read", query=(("cursor", ""),))
    assert _quoted(empty, "url='https://h/sms/3/logs?cursor='") == (
        "url='https://h/sms/3/logs?cursor=...'"
    )
    assert _quoted(limit, "no URL here: limit=5") == "no URL here: limit=5"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # a value that itself starts with "...", decoded by a library and reordered
        ("...Your code 4711", "failed ?limit=5&text=...Your%20code%204711&destination=41793026728"),
        ("...4711", "failed ?text=...4711&destination=41793026728"),
        # decoded and reordered: the value holds a space, or a ')'
        ("Your code 4711", "failed ?limit=5&text=Your code 4711&destination=41793026728"),
        ("Your)4711 code", "failed ?limit=5&text=Your)4711 code&destination=41793026728"),
        ("Your code 4711", "failed ?limit=5&text=Your+code+4711&destination=41793026728"),
    ],
)
def test_values_in_any_spelling_or_order_are_left_out(text: str, words: str) -> None:
    pairs = (("destination", NUMBER), ("text", text), ("limit", "5"))
    read = InfobipRequest("GET", "/sms/3/logs", None, {}, kind="read", query=pairs)
    quoted = _quoted(read, words)
    assert NUMBER not in quoted and "4711" not in quoted, quoted
    assert quoted.startswith("failed ?") and "destination=..." in quoted and "text=..." in quoted


@pytest.mark.parametrize(
    "location",
    [
        "/sms/3/logs?41793026728",  # values without names
        "/sms/3/logs%3Fdestination=41793026728",  # '?' escaped
        "/sms/3/logs;destination=41793026728;text=Your+code+4711",
        "/sms/3/logs/41793026728/Your%20code%204711",  # in the path
    ],
)
def test_a_redirect_repeating_the_values_otherwise_is_told_without_them(location: str) -> None:
    with pytest.raises(RejectedError) as caught:
        client.send(
            SETTINGS,
            _logs_read(),
            httpx.MockTransport(
                lambda request: httpx.Response(302, headers={"Location": location})
            ),
        )
    said = caught.value.message + repr(caught.value.details)
    assert "redirect to /sms/3/logs" in said
    assert NUMBER not in said and "4711" not in said, said


@pytest.mark.parametrize(
    ("location", "said"),
    [
        (None, "redirect to ?, not followed"),
        ("", "redirect to ?, not followed"),
        ("https://x/a?", "redirect to https://x/a?, not followed"),
    ],
)
def test_a_redirect_without_a_query_in_its_location_is_told_as_given(
    location: str | None, said: str
) -> None:
    headers = {} if location is None else {"Location": location}
    with pytest.raises(RejectedError) as caught:
        client.send(
            SETTINGS,
            _logs_read(),
            httpx.MockTransport(lambda request: httpx.Response(302, headers=headers)),
        )
    assert said in caught.value.message


def test_a_failure_quoting_the_url_is_told_without_the_query_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # aiohttp words a connect timeout "Connection timeout to host <URL>".
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout(f"Connection timeout to host {request.url}")

    caplog.set_level(logging.DEBUG, logger="infobip_connector")
    with pytest.raises(UnreachableError) as caught:
        client.send(SETTINGS, _logs_read(), httpx.MockTransport(handler))
    said = caught.value.message + "\n" + "\n".join(r.getMessage() for r in caplog.records)
    assert "logs?destination=...&text=...&limit=..." in caught.value.message
    assert NUMBER not in said and "4711" not in said


@pytest.fixture
def unreadable_answers() -> Iterator[int]:
    """A loopback server whose every answer aiohttp cannot read (a Content-Length of "x")."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def test_aiohttp_failures_are_told_without_the_query_values(
    caplog: pytest.LogCaptureFixture, unreadable_answers: int
) -> None:
    # aiohttp words an answer it cannot read with the whole URL ("..., url='...'").
    settings = settings_for(
        {
            "token": "logs-key-0123456789abcdef",
            "baseUrl": f"http://127.0.0.1:{unreadable_answers}",
            "maxAttempts": 2,
        }
    )
    caplog.set_level(logging.DEBUG, logger="infobip_connector")

    async def read() -> None:
        try:
            await client.send_async(settings, _logs_read())
        finally:
            await client.aclose_pooled_clients()

    with pytest.raises(ConnectorError) as caught:
        asyncio.run(read())
    said = caught.value.message + "\n" + "\n".join(r.getMessage() for r in caplog.records)
    assert "/sms/3/logs?destination=...&text=...&limit=..." in said
    assert NUMBER not in said and "4711" not in said and "Your" not in said
