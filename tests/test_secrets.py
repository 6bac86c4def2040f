"""The API key never appears in logs, errors, reprs, chained causes, CLI output or outputs."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from infobip_connector import ConnectorError, client, component, connection_from_values
from infobip_connector.cli import main

from .conftest import CANARY

MINIMAL = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "x"}]}
OK = {"bulkId": "B", "messages": []}

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
}


def _chain(exc: BaseException | None) -> list[str]:
    seen: list[str] = []
    while exc is not None:
        seen += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
        if isinstance(exc, ConnectorError):
            seen.append(json.dumps(exc.to_dict()))
        exc = exc.__cause__ or exc.__context__
    return seen


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client, "BACKOFF_BASE", 0.001)


@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_canary_never_leaks_from_execute(
    name: str, httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture
) -> None:
    SCENARIOS[name](httpx_mock)
    texts: list[Any] = []
    with caplog.at_level(logging.DEBUG, logger="infobip_connector"):
        try:
            texts.append(component.execute("sendSms", MINIMAL, {"token": CANARY}))
        except ConnectorError as exc:
            texts += _chain(exc)
    texts += [r.getMessage() for r in caplog.records] + [caplog.text]
    haystack = json.dumps(texts, default=str)
    assert CANARY not in haystack
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
