"""Every stdio line that holds a request gets an answer, whatever the shape of its id.

The SDK's reader takes a request whose id is not a strict integer or a string for a
notification, and refuses a line holding half of a UTF-16 pair as not JSON: either way
the request was never answered and its client waited for ever (``hosts/mcp/lineparse.py``).
Skipped when the ``mcp`` extra is not installed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("mcp")

import mcp_types as types
from mcp.shared.message import SessionMessage

from infobip_connector.hosts.mcp.lineparse import BadRequest, NotJson, encoded, parse_line

from .conftest import ROOT
from .mcp_messages import HELLO, result_error

SEND = (
    '{"name":"sendSms","arguments":{"messages":[{"destinations":[{"to":"+41793026727"}],'
    '"text":"\\ud800"}]}}'
)


def _line(request_id: str, method: str, params: str = "{}") -> bytes:
    return f'{{"jsonrpc":"2.0","id":{request_id},"method":"{method}","params":{params}}}'.encode()


@pytest.mark.parametrize(("written", "read"), [("1E2", 100), ("3.0", 3), ("-0.0", 0)])
def test_a_whole_number_id_is_that_integer(written: str, read: int) -> None:
    parsed = parse_line(_line(written, "ping"))
    assert isinstance(parsed, SessionMessage)
    assert isinstance(parsed.message, types.JSONRPCRequest) and parsed.message.id == read


@pytest.mark.parametrize("written", ["1.5", "null", "true", "[1]", '{"a":1}', "1e400"])
def test_another_id_is_an_invalid_request_not_a_notification(written: str) -> None:
    parsed = parse_line(_line(written, "tools/list"))
    assert isinstance(parsed, BadRequest) and "`id`" in str(parsed)


def test_a_notification_and_a_plain_request_are_read_as_the_sdk_reads_them() -> None:
    note = parse_line(b'{"jsonrpc":"2.0","method":"notifications/initialized"}')
    assert isinstance(note, SessionMessage)
    assert isinstance(note.message, types.JSONRPCNotification)
    text = parse_line(_line("5", "x", '{"t":"NaN and Infinity are words here"}'))
    assert isinstance(text, SessionMessage) and isinstance(text.message, types.JSONRPCRequest)


@pytest.mark.parametrize(
    "line", [b"NaN", b'{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":NaN}}']
)
def test_a_line_with_nan_is_not_json(line: bytes) -> None:
    assert isinstance(parse_line(line), NotJson)


def test_a_half_surrogate_keeps_the_request_and_its_id() -> None:
    parsed = parse_line(_line("12", "tools/call", SEND))
    assert isinstance(parsed, SessionMessage)
    assert isinstance(parsed.message, types.JSONRPCRequest) and parsed.message.id == 12
    on_id = parse_line(_line('"\\udfff"', "ping"))
    assert isinstance(on_id, SessionMessage)
    assert isinstance(on_id.message, types.JSONRPCRequest)
    answer = types.JSONRPCResponse(jsonrpc="2.0", id=on_id.message.id, result={})
    assert json.loads(encoded(answer)) == {"jsonrpc": "2.0", "id": "\udfff", "result": {}}


def test_bytes_not_utf8_in_a_text_keep_the_request_and_its_id() -> None:
    parsed = parse_line(_line("13", "tools/call", SEND).replace(b"\\ud800", b"\xff\xfe"))
    assert isinstance(parsed, SessionMessage)
    assert isinstance(parsed.message, types.JSONRPCRequest) and parsed.message.id == 13
    assert parsed.message.params is not None
    assert parsed.message.params["arguments"]["messages"][0]["text"] == "\udcff\udcfe"


@pytest.mark.parametrize(
    ("line", "named", "request_id"),
    [
        (SEND.replace('"text":"\\ud800"', '"text":"a","te\\u0078t":"b"'), "arguments", 7),
        ('{"name":"sendSms","name":"getSmsLogs","arguments":{}}', "params.name", 7),
    ],
)
def test_a_member_given_twice_is_refused_naming_it(line: str, named: str, request_id: int) -> None:
    parsed = parse_line(_line(str(request_id), "tools/call", line))
    assert isinstance(parsed, BadRequest) and "given twice" in str(parsed)
    assert named in str(parsed) and parsed.request_id == request_id


def test_an_id_given_twice_is_refused_without_an_id() -> None:
    parsed = parse_line(b'{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}')
    assert isinstance(parsed, BadRequest) and parsed.request_id is None


def test_a_batch_is_refused_saying_so() -> None:
    parsed = parse_line(b"[" + _line("1", "ping") + b"]")
    assert isinstance(parsed, BadRequest) and "batch" in str(parsed)


def test_over_the_wire_every_request_line_is_answered() -> None:
    lines = [
        json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": HELLO}).encode(),
        b'{"jsonrpc":"2.0","method":"notifications/initialized"}',
        _line("1E2", "tools/list"),
        _line("1.5", "tools/list"),
        _line("null", "tools/list"),
        _line("true", "tools/list"),
        _line("[1]", "tools/list"),
        _line("12", "tools/call", SEND),
        _line("13", "tools/call", SEND).replace(b"\\ud800", b"\xff"),
        _line('"\\ud800"', "ping"),
        b"NaN",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "infobip_connector", "mcp", "--sandbox"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    answers: list[dict[str, Any]] = [json.loads(line) for line in done.stdout.splitlines()]
    by_id = {json.dumps(a.get("id")): a for a in answers if a.get("id") is not None}
    assert "tools" in by_id["100"]["result"]
    unnamed = [a["error"]["code"] for a in answers if a.get("id") is None]
    assert sorted(unnamed) == [-32700] + [-32600] * 4
    for request_id in ("12", "13"):  # half a pair, bytes that are not UTF-8
        sent = by_id[request_id]["result"]
        assert sent["isError"] is True
        paths = [e["path"] for e in result_error(sent)["details"]["errors"]]
        assert paths == ["messages[0].text"]
    assert by_id[json.dumps("\ud800")]["result"] == {}
    assert len(answers) == len(lines) - 1  # one answer per line but the notification


def test_over_http_every_request_is_answered_too() -> None:
    import httpx

    from .test_mcp_http_guard import opened_session, serving

    for port in serving():
        with httpx.Client(timeout=30) as client:
            url, headers = opened_session(client, port)
            whole = client.post(url, content=_line("1E2", "ping"), headers=headers)
            assert whole.status_code == 200 and '"id":100' in whole.text
            for written in ("1.5", "null", "true"):
                refused = client.post(url, content=_line(written, "ping"), headers=headers)
                assert refused.status_code == 400
                assert refused.json()["error"]["code"] == -32600


@pytest.mark.parametrize("mark", ["\u0085", "\u2028", "\u2029"])
def test_an_mcp_stdio_message_is_one_line(mark: str) -> None:
    result = {"content": [{"type": "text", "text": f"a{mark}b"}], "isError": False}
    message = types.JSONRPCResponse(jsonrpc="2.0", id=3, result=result)
    text = encoded(message).decode("utf-8")
    # One line to str.splitlines as to a split at \n (hosts/jsonout.escaped_breaks).
    assert text.splitlines() == text.rstrip("\n").split("\n") == [text.rstrip("\n")]
    read = json.loads(text)
    assert read["result"]["content"][0]["text"] == f"a{mark}b"
