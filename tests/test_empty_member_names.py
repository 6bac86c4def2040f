"""A member whose name is empty is named ``""`` in every error path, by every host: the
library (``messages[0].""``, a top-level one ``""``), the CLI, ``serve`` (its
``connection.""``, its params, a name given twice) and the poll state, never by a path that
ends in a bare dot or names the object that holds it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.component import connection_error
from infobip_connector.errors import ConfigurationError, InputError, member_path
from infobip_connector.hosts.uniquejson import repeats

from .serve_support import KEY, SMS, by_id, methods_for, request, run_worker
from .test_cli import error_of, run_cli

TOKEN = "empty-name-key-7c1d-9e2f"


def test_a_member_path_writes_an_empty_name_quoted() -> None:
    assert member_path("", "") == '""'
    assert member_path("connection", "") == 'connection.""'
    assert member_path("connection", "token") == "connection.token"
    assert member_path("", "token") == "token"


def _input_paths(values: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as caught:
        component.validate_input("sendSms", values)
    return [problem["path"] for problem in caught.value.errors]


def test_the_library_names_an_empty_input_member_at_its_place() -> None:
    assert _input_paths({**SMS, "": 1}) == ['""']
    message = {"destinations": [{"to": "41793026727", "": 2}], "text": "hi"}
    assert _input_paths({"messages": [message]}) == ['messages[0].destinations[0].""']


def test_the_library_names_an_empty_connection_member() -> None:
    error = connection_error({"token": TOKEN, "": 1})
    assert isinstance(error, ConfigurationError)
    assert [problem["path"] for problem in error.errors] == ['""']


def _serve_error(line: bytes) -> list[str]:
    error = by_id(run_worker(methods_for(None, sandbox=False), line + b"\n"))[1]["error"]
    return [problem["path"] for problem in error["data"]["error"]["details"]["errors"]]


def test_serve_names_an_empty_connection_member_under_connection() -> None:
    for connection, expected in [
        ({"": 1, "token": KEY}, ['connection.""']),
        ({"": 1}, ['connection.""', "connection.token"]),
    ]:
        line = request(1, "execute", action="sendSms", input=SMS, connection=connection)
        assert _serve_error(line) == expected


def test_serve_names_an_empty_param_and_an_empty_input_member() -> None:
    assert _serve_error(request(1, "validate", action="sendSms", input=SMS, **{"": 2})) == ['""']
    # The input's own errors are named as the library names them (from the input's root).
    line = request(1, "validate", action="sendSms", input={**SMS, "": 1})
    assert _serve_error(line) == ['""']


def test_a_name_given_twice_is_named_at_its_place_when_it_is_empty() -> None:
    raw = b'{"a": {"": 1, "": 2}, "b": {"": {"x": 1, "x": 2}}}'
    assert repeats(raw, json.loads(raw)) == [("a", ""), ('b.""', "x")]


def test_the_cli_names_empty_members_of_the_connection_and_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = tmp_path / "connection.json"
    connection.write_text(json.dumps({"token": TOKEN, "": 1}), encoding="utf-8")
    given = tmp_path / "sms.json"
    given.write_text(json.dumps(SMS), encoding="utf-8")
    code, _, err = run_cli(
        capsys, "run", "sendSms", "--input", str(given), "--connection", str(connection)
    )
    assert code == 2
    assert [p["path"] for p in error_of(err)["details"]["errors"]] == ['""']
    given.write_text(json.dumps({**SMS, "": 1}), encoding="utf-8")
    code, _, err = run_cli(capsys, "run", "sendSms", "--input", str(given), "--sandbox")
    assert code == 2
    assert [p["path"] for p in error_of(err)["details"]["errors"]] == ['""']
