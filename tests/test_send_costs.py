"""Guards on the work a send does, counted in Python calls rather than timed.

Timings on a shared machine are noise; the number of Python-level calls a step makes is
exact. These tests pin the shape of the cost (which work grows with the size of a send,
which work is done once per connection rather than per send), not a figure.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest
from pydantic import SecretStr

from infobip_connector.errors import ConfigurationError
from infobip_connector.redaction import HiddenStr, carrying, encode_carrying
from infobip_connector.request import InfobipRequest
from infobip_connector.transport import attempts, client, deadline
from infobip_connector.transport.attempts import _httpx_request
from infobip_connector.transport.connection import (
    ConnectionSettings,
    checked_settings,
    settings_for,
)
from infobip_connector.transport.exchange import _Exchange

KEY = "bench-key-0123456789-abcdef"


def called(action: Callable[[], Any]) -> list[str]:
    """The names of the Python functions ``action`` calls, in order (C functions left out)."""
    names: list[str] = []

    def note(frame: Any, event: str, _arg: Any) -> None:
        if event == "call":
            names.append(frame.f_code.co_name)

    sys.setprofile(note)
    try:
        action()
    finally:
        sys.setprofile(None)
    return names


def python_calls(action: Callable[[], Any]) -> int:
    """How many Python functions ``action`` calls."""
    return len(called(action))


def sms_body(recipients: int) -> dict[str, Any]:
    destinations = [{"to": f"4179302{n:04d}", "messageId": f"m-{n}"} for n in range(recipients)]
    return {"messages": [{"from": "InfoSMS", "destinations": destinations, "text": "Hi"}]}


def test_encoding_a_request_costs_the_same_python_calls_for_10_or_1000_recipients() -> None:
    settings = ConnectionSettings(token=SecretStr(KEY))

    def exchange(recipients: int) -> Callable[[], Any]:
        request = InfobipRequest("POST", "/sms/2/text/advanced", sms_body(recipients))
        return lambda: _Exchange(settings, request)

    exchange(1)()  # caches filled
    assert python_calls(exchange(1000)) == python_calls(exchange(10))


def test_the_secrets_a_body_carries_are_found_where_they_are_nested() -> None:
    class Mapping(dict[str, Any]):
        pass

    body = {
        "url": "https://hooks.example.com",
        "auth": Mapping(password=HiddenStr("pw-9x"), items=[1, (HiddenStr("hmac-2"),)]),
        "plain": ["text", 3, 2.5, None, True],
    }
    encoded, carried = encode_carrying(body)
    assert encoded == orjson.dumps(body)
    assert carried == ("pw-9x", "hmac-2")
    assert encode_carrying(sms_body(3)) == (orjson.dumps(sms_body(3)), ())


def test_settings_checked_once_are_not_checked_again_while_unchanged() -> None:
    settings = settings_for({"token": KEY, "baseUrl": "https://api.infobip.com"})
    assert isinstance(settings, ConnectionSettings)
    first = checked_settings(settings)
    again = called(lambda: checked_settings(settings))
    assert "_checked_or_error" not in again
    assert "register_secret" not in again
    assert checked_settings(settings) is first


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_attempts", True),  # == 1, and refused: compared by identity, not equality
        ("max_attempts", 0),
        ("idempotent_sending", 1),
        ("base_url", "https://evil.example.com"),
        ("deadline", float("nan")),
        ("phone_number_check", "none"),
        ("token", SecretStr("short")),
    ],
)
def test_a_settings_object_changed_after_its_check_is_checked_again(name: str, value: Any) -> None:
    settings = ConnectionSettings(token=SecretStr(KEY), max_attempts=1)
    checked_settings(settings)
    checked_settings(settings)
    object.__setattr__(settings, name, value)
    with pytest.raises(ConfigurationError):
        checked_settings(settings)


def test_a_key_changed_inside_its_secretstr_is_checked_again() -> None:
    key = KEY + "-changed-inside"  # its own key: the SecretStr is shared with the check's cache
    settings = ConnectionSettings(token=SecretStr(key))
    checked_settings(settings)
    object.__setattr__(settings.token, "_secret_value", "https://api.infobip.com/x")
    with pytest.raises(ConfigurationError):
        checked_settings(settings)
    object.__setattr__(settings.token, "_secret_value", key + "-other")
    assert checked_settings(settings).token.get_secret_value() == key + "-other"


def test_a_subclass_is_checked_on_every_send() -> None:
    class Computed(ConnectionSettings):
        pass

    settings = Computed(token=SecretStr(KEY))
    checked_settings(settings)
    assert "_checked_or_error" in called(lambda: checked_settings(settings))


def test_a_base_url_is_read_once_to_know_whether_it_is_loopback() -> None:
    settings = ConnectionSettings(token=SecretStr(KEY), base_url="https://costs.api.infobip.com")
    assert settings.is_loopback is False
    assert "_split" not in called(lambda: settings.is_loopback)
    local = ConnectionSettings(token=SecretStr(KEY), base_url="http://127.0.0.1:8080")
    assert local.is_loopback is True
    assert "_split" not in called(lambda: local.is_loopback)


def test_a_base_url_of_a_str_subclass_is_read_each_time() -> None:
    from infobip_connector.transport.baseurl import is_loopback_url

    class Text(str):
        pass

    url = Text("http://localhost:9000")
    assert is_loopback_url(url) is True
    assert "_split" in called(lambda: is_loopback_url(url))


def test_a_request_carrying_no_secret_costs_no_context_of_its_own() -> None:
    def block() -> None:
        with carrying(()):
            pass

    assert called(block) == ["block", "carrying", "__enter__", "__exit__"]


def test_request_headers_are_encoded_once_per_distinct_set() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json={"ok": True})

    transport = httpx.MockTransport(answer)
    body = InfobipRequest("POST", "/sms/2/text/advanced", sms_body(1))
    first = ConnectionSettings(token=SecretStr(KEY))
    client.send(first, body, transport)
    attempt = _Exchange(first, body).next_attempt()
    # Made by the first send, with httpx's own (Host, Content-Length): none is read again,
    # and httpx prepares nothing of its own for a request of a shape already seen.
    names = called(lambda: _httpx_request(attempt))
    assert "_normalize_header_key" not in names and "_prepare" not in names
    wire = [k for k, _ in _httpx_request(attempt).headers.raw]
    assert wire[0] == b"Host" and wire[-1] == b"Content-Length"
    # Another key is another set of headers: never the cached one of the first key.
    client.send(ConnectionSettings(token=SecretStr(KEY + "-second")), body, transport)
    assert seen == [f"App {KEY}", f"App {KEY}-second"]


def test_an_answer_handed_over_read_is_not_read_again_in_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chunked: list[bytes] = []

    class Chunks(attempts.AnswerBody):
        def add(self, chunk: bytes) -> None:
            chunked.append(chunk)
            super().add(chunk)

    monkeypatch.setattr(attempts, "AnswerBody", Chunks)
    # Nor is a caller's transport bound to the deadline: no socket of it is reached.
    monkeypatch.setattr(deadline, "Active", None)
    answer = orjson.dumps({"ok": True})
    settings = ConnectionSettings(token=SecretStr(KEY))
    request = InfobipRequest("POST", "/sms/2/text/advanced", sms_body(1))

    def whole(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=answer)  # read into the response by httpx

    def streamed(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(answer))

    assert client.send(settings, request, httpx.MockTransport(whole)) == {"ok": True}
    assert chunked == []
    assert client.send(settings, request, httpx.MockTransport(streamed)) == {"ok": True}
    assert chunked == [answer]


def test_an_answer_without_deprecation_headers_is_not_searched_by_name() -> None:
    from infobip_connector.transport.answers import Answer, warn_deprecation

    plain = Answer(200, httpx.Headers({"Content-Type": "application/json"}), b"{}")
    assert "__getitem__" not in called(lambda: warn_deprecation(plain, "/sms/2/text/advanced"))


def test_a_target_without_parameters_is_not_encoded() -> None:
    from infobip_connector.transport.target import request_target

    calls = called(lambda: request_target("/sms/2/text/advanced", {}, ()))
    assert calls == ["<lambda>", "request_target"]
    assert request_target("/sms/1/logs", {}, (("limit", "5"),)) == "/sms/1/logs?limit=5"


def test_an_execution_and_a_poll_run_no_import_machinery() -> None:
    from infobip_connector import component
    from infobip_connector.sandbox import Sandbox

    from .sandbox_support import KEY as SANDBOX_KEY

    account = Sandbox(api_key=SANDBOX_KEY)
    connection = {"token": SANDBOX_KEY}
    values = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]}

    def send() -> None:
        component.execute("sendSms", values, connection, transport=account.transport())

    def poll() -> None:
        component.poll("newInboundSms", connection, None, transport=account.transport())

    for action in (send, poll):
        action()  # the first run loads the HTTP side
        names = called(action)
        # A relative import statement resolves its package and from-list on every run.
        assert "_handle_fromlist" not in names, action.__name__
        # One shared preparation per execution, the same for a send and a poll's fetch.
        assert names.count("_prepared") == 1, action.__name__
