"""A JSON document a person gives (the CLI's ``--input`` and ``--connection`` files, the
editor's requests) that names one member twice in an object is refused, naming the member
and where: JSON readers keep only the last, so it would otherwise be sent half-read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from infobip_connector.hosts.cli import main
from infobip_connector.hosts.editor import EditorServer, make_server
from infobip_connector.hosts.uniquejson import loads_unique
from infobip_connector.safejson import JsonError, loads

from .test_editor_server import request

REPEATED = [
    (b'{"a": {"x": 1}, "a": {"y": 2}}', '"a"', "the top level"),
    (b'{"m": [{"d": [{"to": 1}, {"to": 1, "to": 2}]}]}', '"to"', "m[0].d[1]"),
    (b'{"a" : 1,\n "a"\t: 2}', '"a"', "the top level"),  # space before the colons
    (b'{"ab": 1, "a\\u0062": 2}', '"ab"', "the top level"),  # one name, two spellings
    (b'{"a\\u003a": 1, "a:": 2}', '"a:"', "the top level"),  # an escaped colon
    (b'{"u": "x", "u": "http://a:b/c"}', '"u"', "the top level"),  # colons in the kept value
    ('{"é": 1, "é": 2}'.encode(), '"é"', "the top level"),
]


@pytest.mark.parametrize(("text", "name", "where"), REPEATED)
def test_a_member_given_twice_is_refused_naming_it_and_where(
    text: bytes, name: str, where: str
) -> None:
    with pytest.raises(JsonError) as caught:
        loads_unique(text)
    assert f"gives the member {name} twice in one object (at {where})" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        b'{"a": 1, "b": {"a": 1}, "c": [{"a": 1}, {"a": 2}]}',
        b'{"s": "x\\": y", "t": "10:00", "u": "a\\u003ab"}',
        b'[1, "a:b", {}]',
        b'"just text: here"',
        b'{"big": 123456789012345678901234567890, "f": 1.5e300}',
    ],
)
def test_a_document_without_a_repeat_is_read_as_it_is(text: bytes) -> None:
    assert loads_unique(text) == loads(text)


def test_a_large_document_is_read_whole() -> None:
    to = [{"to": f"4179302{i:04d}", "messageId": f"m{i}"} for i in range(20000)]
    document = {"messages": [{"destinations": to, "text": "a: b"}]}
    assert loads_unique(orjson.dumps(document)) == document
    with pytest.raises(JsonError, match=r"at messages\[0\]\.destinations\[19999\]"):
        loads_unique(orjson.dumps(document)[: -len(b'"}],"text":"a: b"}]}')] + b'","to":"x"}]}]}')


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    error: dict[str, Any] = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    return int(exited.value.code or 0), error["error"]


def test_the_cli_refuses_an_input_file_with_a_member_given_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "send.json"
    values.write_text(
        '{"messages": [{"destinations": [{"to": "41793026727"}], "text": "a", "text": "b"}]}'
    )
    code, error = _cli(capsys, "run", "sendSms", "--input", str(values), "--sandbox")
    assert code == 2 and error["type"] == "input"
    (problem,) = error["details"]["errors"]
    assert 'gives the member "text" twice in one object (at messages[0])' in problem["message"]


def test_the_cli_refuses_a_connection_file_with_a_member_given_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "logs.json"
    values.write_text(json.dumps({"limit": 1}))
    connection = tmp_path / "connection.json"
    connection.write_text(
        '{"token": "cli-key-4d2a-5e6f7a8b", "baseUrl": "https://a.example", '
        '"baseUrl": "https://api.infobip.com"}'
    )
    code, error = _cli(
        capsys, "run", "getSmsLogs", "--input", str(values), "--connection", str(connection)
    )
    assert code == 2
    (problem,) = error["details"]["errors"]
    assert problem["path"] == "--connection"
    assert 'gives the member "baseUrl" twice' in problem["message"]
    assert "cli-key-4d2a-5e6f7a8b" not in json.dumps(error)


@pytest.fixture()
def server() -> Iterator[EditorServer]:
    with make_server(0) as running:
        yield running


def test_the_editor_refuses_a_request_with_a_member_given_twice(server: EditorServer) -> None:
    body = b'{"action": "sendSms", "inputs": {"messages": []}, "inputs": {}}'
    status, _, data = request(
        server, "POST", "/api/validate", body, {"Content-Type": "application/json"}
    )
    assert status == 400
    assert 'gives the member "inputs" twice' in json.loads(data)["error"]["message"]
