"""Every parser of untrusted JSON refuses deep or non-strict data with the typed error of its place.

One loader (``infobip_connector.safejson``) reads CLI input and connection files and
Infobip's answers. Nesting past its limit, ``NaN``/``Infinity`` and lone surrogates are
refused there, so nothing downstream meets a ``RecursionError`` or prints non-JSON:

- CLI input and connection files: an input error, exit 2;
- a 2xx answer: outcome unknown, with the bulkId and messageIds;
- a 4xx answer: rejected (401/403 authentication, 429 rate limited); 5xx: outcome unknown.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from infobip_connector import (
    AuthenticationError,
    ConnectorError,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    component,
    safejson,
)
from infobip_connector.hosts.cli import main

from .conftest import CANARY
from .outcomes import SMS_TWO
from .rawserver import RawServer, answer

SMS_VALUES = SMS_TWO
CONNECTION = {"token": CANARY, "baseUrl": "https://xyz.api.infobip.com", "maxAttempts": 1}


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


DEEP = {
    "100,000 deep": deep(100_000),
    "5,000 deep": deep(5_000),
    "just past the limit": deep(safejson.MAX_DEPTH + 1),
    "deep object": b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    "deep inside an answer": b'{"bulkId": "B1", "messages": ' + deep(5_000) + b"}",
}
NOT_STRICT = {
    "NaN": b'{"bulkId": "B1", "messages": [], "x": NaN}',
    "Infinity": b'{"bulkId": "B1", "x": -Infinity}',
    "overflow to infinity": b'{"bulkId": "B1", "x": 1e999}',
    "lone surrogate": b'{"bulkId": "\\ud800"}',
    "trailing data": b'{"bulkId": "B1"} {}',
}
BAD = {**DEEP, **NOT_STRICT}


# ------------------------------------------------------------------ the loader itself


@pytest.mark.parametrize("raw", BAD.values(), ids=BAD.keys())
def test_the_loader_refuses_with_its_one_error(raw: bytes) -> None:
    with pytest.raises(safejson.JsonError):
        safejson.loads(raw)
    with pytest.raises(safejson.JsonError):
        safejson.loads(raw.decode("utf-8"))


def test_the_loader_reads_up_to_its_limit() -> None:
    value = safejson.loads(deep(safejson.MAX_DEPTH))
    for _ in range(safejson.MAX_DEPTH - 1):
        value = value[0]
    assert value == []


@pytest.mark.parametrize("raw", [None, 12, object(), b"\xff\xfe"])
def test_the_loader_refuses_what_is_not_text(raw: Any) -> None:
    with pytest.raises(safejson.JsonError):
        safejson.loads(raw)


# ------------------------------------------------------------------ the CLI


def _run_cli(
    argv: list[str], stdin: bytes, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    code = exit_info.value.code
    assert isinstance(code, int)
    return code, out, err


@pytest.mark.parametrize("raw", BAD.values(), ids=BAD.keys())
def test_cli_input_is_an_input_error(
    raw: bytes, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _run_cli(
        ["run", "sendSms", "--input", "-", "--sandbox"], raw, capsys, monkeypatch
    )
    assert code == 2, err
    assert out == ""
    assert json.loads(err.strip().splitlines()[-1])["error"]["type"] == "input"


@pytest.mark.parametrize("command", ["run", "check"])
@pytest.mark.parametrize("raw", DEEP.values(), ids=DEEP.keys())
def test_cli_connection_file_is_a_usage_error_at_connection(
    command: str,
    raw: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "connection.json").write_bytes(raw)
    (tmp_path / "input.json").write_text(json.dumps(SMS_VALUES))
    argv = [command, "--connection", str(tmp_path / "connection.json")]
    if command == "run":
        argv[1:1] = ["sendSms", "--input", str(tmp_path / "input.json")]
    code, out, err = _run_cli(argv, b"", capsys, monkeypatch)
    assert code == 2, err
    assert out == ""
    error = json.loads(err.strip().splitlines()[-1])["error"]
    assert error["type"] == "usage"
    assert error["details"]["errors"][0]["path"] == "--connection"


# ------------------------------------------------------------------ Infobip's answers


def _answered(status: int, raw: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda r: httpx.Response(status, content=raw, headers={"Content-Type": "application/json"})
    )


def _execute(status: int, raw: bytes, mode: str) -> Any:
    if mode == "sync":
        return component.execute(
            "sendSms", SMS_VALUES, CONNECTION, transport=_answered(status, raw)
        )

    async def run() -> Any:
        return await component.execute_async(
            "sendSms", SMS_VALUES, CONNECTION, transport=_answered(status, raw)
        )

    return asyncio.run(run())


EXPECTED: dict[int, type[ConnectorError]] = {
    200: OutcomeUnknownError,
    201: OutcomeUnknownError,
    400: RejectedError,
    404: RejectedError,
    401: AuthenticationError,
    403: AuthenticationError,
    429: RateLimitedError,
    500: OutcomeUnknownError,
    503: OutcomeUnknownError,
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", EXPECTED)
@pytest.mark.parametrize("raw", BAD.values(), ids=BAD.keys())
def test_an_answer_gets_the_error_of_its_status(raw: bytes, status: int, mode: str) -> None:
    with pytest.raises(ConnectorError) as info:
        _execute(status, raw, mode)
    error = info.value
    assert type(error) is EXPECTED[status]
    json.dumps(error.to_dict(), allow_nan=False)
    if isinstance(error, OutcomeUnknownError):
        assert error.details["bulkId"] == "B1"
        assert error.details["messageIds"] == ["M1", "M2"]


@pytest.mark.parametrize("status", [400, 401, 500])
def test_error_fields_of_any_shape_are_quoted_as_text(status: int) -> None:
    raw = (
        b'{"requestError": {"serviceException": {"messageId": '
        + deep(900)
        + b', "text": {"a": '
        + deep(900)
        + b'}, "validationErrors": {"to": ['
        + deep(900)
        + b"]}}}}"
    )
    with pytest.raises(ConnectorError) as info:
        _execute(status, raw, "sync")
    assert type(info.value) is EXPECTED[status]
    json.dumps(info.value.to_dict(), allow_nan=False)


def test_check_prints_a_deep_balance_answer_cut_to_strict_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = b'{"balance": 1.5, "currency": "EUR", "x": ' + deep(1_000) + b"}"
    with RawServer(answer(200, body)) as server:
        (tmp_path / "connection.json").write_text(
            json.dumps({"token": CANARY, "baseUrl": server.url})
        )
        main(["check", "--connection", str(tmp_path / "connection.json")])
    printed = json.loads(capsys.readouterr().out)
    assert printed["ok"] is True and printed["balance"] == 1.5
