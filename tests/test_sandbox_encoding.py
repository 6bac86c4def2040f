"""Bytes no ordinary client sends: lone surrogates in JSON bodies and header values that are
not ASCII are answered like any other bad or unknown input, never with a server error."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from infobip_connector.sandbox import Sandbox, SandboxServer

from .sandbox_support import KEY, client_for


@pytest.fixture(params=["transport", "socket"])
def client(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    yield from client_for(Sandbox(KEY, deliver_reports=False), request.param)


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/sms/2/text/advanced", b'{"messages":[{"destinations":[{"to":"\\ud800"}],"text":"x"}]}'),
        ("/whatsapp/1/message/text", b'{"from":"1","to":"\\udfff","content":{"text":"\\ud800"}}'),
    ],
)
def test_lone_surrogates_in_a_body_are_answered_not_crashed(
    client: httpx.Client, path: str, raw: bytes
) -> None:
    # Valid JSON may escape half a surrogate pair; it is neither UTF-16 nor UTF-8 encodable.
    response = client.post(path, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    response.json()


@pytest.mark.parametrize("key", [None, KEY])
@pytest.mark.parametrize("value", [b"App \xd0\xba\xd0\xbb", b"App \xff\xfe", b"App k\x80"])
def test_a_non_ascii_authorization_header_is_answered_not_crashed(
    key: str | None, value: bytes
) -> None:
    with SandboxServer(Sandbox(key, deliver_reports=False)) as server:
        parts = urlsplit(server.url)
        assert parts.hostname is not None and parts.port is not None
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            sock.sendall(
                b"GET /account/1/balance HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + value
                + b"\r\nConnection: close\r\n\r\n"
            )
            status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status_line == (b"HTTP/1.1 200 OK" if key is None else b"HTTP/1.1 401 Unauthorized")


def test_a_notify_url_with_a_lone_surrogate_in_its_credentials_is_answered() -> None:
    sandbox = Sandbox(KEY, report_delay=0.0)
    raw = (
        b'{"from":"1","to":"41793026727","content":{"text":"hi"},'
        b'"notifyUrl":"http://\\ud800:pw@127.0.0.1:9/reports"}'
    )
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.infobip.com",
        headers={"Authorization": f"App {KEY}", "Content-Type": "application/json"},
    ) as client:
        response = client.post("/whatsapp/1/message/text", content=raw)
    assert response.status_code == 200, response.text
    assert sandbox.wait_for_reports(10)
    assert sandbox.reports[0].outcome == "failed"  # nothing listens on port 9
