"""The API key never appears in logs, errors, reprs, chained causes, tracebacks rendered with
their locals, configuration errors, outputs or the CLI's output."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from pytest_httpx import HTTPXMock

from infobip_connector import (
    ConfigurationError,
    ConnectionSettings,
    ConnectorError,
    component,
    connection_from_values,
    redaction,
)
from infobip_connector.hosts.cli import main
from infobip_connector.redaction import keys, redact, register_secret, snippet
from infobip_connector.transport import exchange

from .conftest import CANARY

MINIMAL = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "x"}]}
OK = {"bulkId": "B", "messages": []}
PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
ESCAPED_CANARY = "".join(f"\\u{ord(c):04x}" for c in CANARY)


def _echoing_answer(text: str, *, raw: bool = False) -> Callable[[httpx.Request], httpx.Response]:
    """A 2xx answer for every message sent, with ``text`` in each status description."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        messages = [
            {
                "messageId": d["messageId"],
                "to": d["to"],
                "status": {**PENDING, "description": "" if raw else text},
            }
            for m in body["messages"]
            for d in m["destinations"]
        ]
        encoded = json.dumps({"bulkId": body["bulkId"], "messages": messages})
        if raw:  # written into the JSON as is: escapes stay escapes
            encoded = encoded.replace('"description": ""', f'"description": "{text}"')
        return httpx.Response(200, content=encoded.encode())

    return answer


Setup = Callable[[HTTPXMock], None]
SCENARIOS: dict[str, Setup] = {
    "success": lambda m: m.add_response(json=OK),
    "connect error then success": lambda m: (
        m.add_exception(httpx.ConnectError(f"refused App {CANARY}")),
        m.add_response(json=OK),
    ),
    "unreachable": lambda m: [m.add_exception(httpx.ConnectError("refused")) for _ in range(3)],
    "429 then success": lambda m: (
        m.add_response(status_code=429, headers={"Retry-After": "0"}),
        m.add_response(json=OK),
    ),
    "429 huge": lambda m: m.add_response(status_code=429, headers={"Retry-After": "9999"}),
    "read timeout": lambda m: m.add_exception(httpx.ReadTimeout(f"timed out, key {CANARY}")),
    "500": lambda m: m.add_response(status_code=500, text=f"internal error for App {CANARY}"),
    "html 200": lambda m: m.add_response(html="<html>down</html>"),
    "400": lambda m: m.add_response(
        status_code=400,
        json={
            "requestError": {
                "serviceException": {
                    "messageId": "BAD_REQUEST",
                    "text": f"bad key {CANARY}",
                    "validationErrors": {"to": ["bad"]},
                }
            }
        },
    ),
    "401": lambda m: m.add_response(
        status_code=401,
        json={
            "requestError": {
                "serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}
            }
        },
    ),
    "403 echoing the header": lambda m: m.add_response(
        status_code=403, text=f"Authorization: App {CANARY}"
    ),
    "200 echoing the key": lambda m: m.add_callback(_echoing_answer(f"key {CANARY} ok")),
    "200 echoing the key in escapes": lambda m: m.add_callback(
        _echoing_answer(f"key {ESCAPED_CANARY}", raw=True)
    ),
    "200 echoing the header": lambda m: m.add_callback(_echoing_answer(f"App {CANARY}")),
    "500 with the key where the text is cut": lambda m: m.add_response(
        status_code=500, text="x" * 190 + CANARY + "y" * 100
    ),
    "400 with the key where the text is cut": lambda m: m.add_response(
        status_code=400, text="x" * 195 + CANARY
    ),
}


def _with_locals(exc: BaseException) -> str:
    """The traceback as ``capture_locals=True`` renders it: every frame's locals by repr."""
    return "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())


def _chain(exc: BaseException | None) -> list[str]:
    seen: list[str] = []
    while exc is not None:
        seen += [str(exc), repr(exc), "".join(traceback.format_exception(exc)), _with_locals(exc)]
        if isinstance(exc, ConnectorError):
            seen.append(json.dumps(exc.to_dict()))
        exc = exc.__cause__ or exc.__context__
    return seen


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "BACKOFF_BASE", 0.001)


@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_canary_never_leaks_from_execute(
    name: str, httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture
) -> None:
    SCENARIOS[name](httpx_mock)
    texts: list[Any] = []
    with caplog.at_level(logging.DEBUG, logger="infobip_connector"):
        # The connection is not a local of this frame: only the connector's frames are judged.
        try:
            texts.append(component.execute("sendSms", MINIMAL, {"token": CANARY}))
        except ConnectorError as exc:
            texts += _chain(exc)
        SCENARIOS[name](httpx_mock)  # the same answers again, for the async path
        try:
            transport = httpx.AsyncHTTPTransport()
            texts.append(
                asyncio.run(
                    component.execute_async(
                        "sendSms", MINIMAL, {"token": CANARY}, transport=transport
                    )
                )
            )
        except ConnectorError as exc:
            texts += _chain(exc)
    texts += [r.getMessage() for r in caplog.records] + [caplog.text]
    haystack = json.dumps(texts, default=str)
    assert CANARY not in haystack
    assert ESCAPED_CANARY not in haystack
    assert httpx_mock.get_requests()[0].headers["Authorization"] == f"App {CANARY}"


@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_canary_never_leaks_from_the_cli(
    name: str,
    httpx_mock: HTTPXMock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    SCENARIOS[name](httpx_mock)
    monkeypatch.setenv("INFOBIP_API_KEY", CANARY)
    (tmp_path / "in.json").write_text(json.dumps(MINIMAL))
    with pytest.raises(SystemExit):
        main(["--verbose", "run", "sendSms", "--input", str(tmp_path / "in.json")])
        raise SystemExit(0)
    out, err = capsys.readouterr()
    assert CANARY not in out + err


def test_connection_reprs_hide_the_token() -> None:
    settings = connection_from_values({"token": CANARY})
    assert CANARY not in repr(settings) + str(settings)


def test_an_exception_with_the_token_in_it_is_logged_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    connection_from_values({"token": CANARY})  # registers the key
    log = logging.getLogger("infobip_connector.client")
    with caplog.at_level(logging.DEBUG, logger="infobip_connector"):
        try:
            raise RuntimeError(f"boom {CANARY}")
        except RuntimeError:
            log.exception("failed with %s", CANARY)
    assert CANARY not in caplog.text and "***" in caplog.text


# ---------------------------------------------------------------- configuration errors

SWAPPED = {
    "key in baseUrl, URL in token": {"token": "https://xyz12.api.infobip.com", "baseUrl": CANARY},
    "key in baseUrl, host in token": {"token": "xyz12.api.infobip.com", "baseUrl": CANARY},
    "key in baseUrl with a custom host allowed": {
        "token": "xyz12.api.infobip.com",
        "baseUrl": CANARY,
        "allowCustomHost": True,
    },
    "key as the base URL's host": {
        "token": "sandbox-key-for-local-tests",
        "baseUrl": f"http://{CANARY}:8080",
    },
    "key in a number": {"token": "sandbox-key-for-local-tests", "deadline": CANARY},
    "key in a flag": {"token": "sandbox-key-for-local-tests", "allowCustomHost": CANARY},
    "key with a space in it": {"token": f"{CANARY} "},
}


@pytest.mark.parametrize("name", list(SWAPPED))
def test_configuration_errors_never_print_the_key(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        component.execute("sendSms", MINIMAL, dict(SWAPPED[name]))
    assert CANARY not in json.dumps(_chain(caught.value))
    (tmp_path / "connection.json").write_text(json.dumps(SWAPPED[name]))
    (tmp_path / "in.json").write_text(json.dumps(MINIMAL))
    with pytest.raises(SystemExit):
        main(
            [
                "--verbose",
                "run",
                "sendSms",
                "--input",
                str(tmp_path / "in.json"),
                "--connection",
                str(tmp_path / "connection.json"),
            ]
        )
    out, err = capsys.readouterr()
    assert '"configuration"' in err
    assert CANARY not in out + err


# ---------------------------------------------------------------- the mask itself

PUNCTUATED_KEYS = [
    "PART1,PART2-9999",
    "semi;colon;key-1234",
    "a.b+c+d?(e)[f]{g}|h^$\\i",  # a key holding '*' is refused (test_keys_with_the_mask.py)
    "quote'and\"double-77",
    "angle<bracket>key-88",
    "amp&eq=pct%hash#key",
    "back`tick~tilde!key",
]


@pytest.mark.parametrize("key", PUNCTUATED_KEYS)
def test_keys_with_punctuation_are_masked_whole(key: str) -> None:
    settings = ConnectionSettings(token=SecretStr(key))
    for text in (
        f"Authorization: App {key}",
        f"header App {key}, then more",
        f'{{"authorization": "App {key}"}}',
        f"the key {key} alone",
        f"twice: {key}{key}",
    ):
        masked = redact(text)
        assert key not in masked
        # No piece of the key between its punctuation survives either.
        pieces = [p for p in re.split(r"[^A-Za-z0-9]", key) if len(p) >= 4]
        assert not any(piece in masked for piece in pieces), masked
    del settings


def test_a_key_containing_another_key_is_masked_whole() -> None:
    short, long = (
        ConnectionSettings(token=SecretStr("abcd-1234-abcd-1234")),
        ConnectionSettings(token=SecretStr("abcd-1234-abcd-1234-EXTRA-5678")),
    )
    assert redact("x abcd-1234-abcd-1234-EXTRA-5678 y") == "x *** y"
    del short, long


def test_text_is_masked_before_it_is_cut() -> None:
    settings = ConnectionSettings(token=SecretStr(CANARY))
    for cut in range(150, 230, 7):
        text = "x" * cut + CANARY + "tail"
        assert CANARY[:6] not in snippet(text, 200)
        assert CANARY[:6] not in snippet("App " + "y" * cut + CANARY, 200)
    del settings


def test_a_key_in_use_is_never_forgotten_and_dead_keys_are_bounded() -> None:
    held = ConnectionSettings(token=SecretStr("held-key-" + "a1" * 8))
    # Many other tenants since: some still in use, most long gone.
    alive = [ConnectionSettings(token=SecretStr(f"alive-{i:04d}-key-padding")) for i in range(300)]
    for i in range(redaction.MAX_FORGOTTEN_KEYS * 3):
        ConnectionSettings(token=SecretStr(f"gone-{i:05d}-key-padding"))
        register_secret(f"ownerless-{i:05d}-key-padding")
    gc.collect()
    assert redact("App-less: held-key-" + "a1" * 8) == "App-less: ***"
    assert all(redact(s.token.get_secret_value()) == "***" for s in alive)
    assert len(keys.known_secrets()) <= len(keys._live) + redaction.MAX_FORGOTTEN_KEYS
    # The most recently forgotten keys are still masked; the oldest went.
    assert redact(f"gone-{redaction.MAX_FORGOTTEN_KEYS * 3 - 1:05d}-key-padding") == "***"
    assert redact("gone-00000-key-padding") == "gone-00000-key-padding"
    del alive, held


def test_input_errors_mask_a_key_before_cutting_the_value() -> None:
    settings = ConnectionSettings(token=SecretStr(CANARY))
    for padding in range(40, 60):
        values = {
            "messages": [
                {
                    "destinations": [{"to": "41793026727"}],
                    "text": "x",
                    "language": {"languageCode": "y" * padding + CANARY},
                }
            ]
        }
        with pytest.raises(ConnectorError) as caught:
            component.validate_input("sendSms", values)
        assert CANARY[:6] not in json.dumps(caught.value.to_dict())
    del settings
