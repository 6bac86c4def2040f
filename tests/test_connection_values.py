"""Connection values no rule foresaw are configuration errors, never crashes or leaks.

A base URL far too long, integers too large to convert, a token that is not text (bytes, a
list, ``SecretStr(b"...")``), a property name that cannot be named: each is a
``ConfigurationError`` naming the property, on every path, with the key in no frame.
"""

from __future__ import annotations

import asyncio
import json
import traceback
from typing import Any

import pytest
from pydantic import SecretStr

from infobip_connector import ConfigurationError, ConnectionSettings, component
from infobip_connector.component import connection_error
from infobip_connector.hosts.cli import main

from .conftest import CANARY

SMS = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]}
LONG_URL = "https://x.api.infobip.com/" + "a" * 70000


def _execute(connection: Any, mode: str) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as info:
        if mode == "sync":
            component.execute("sendSms", SMS, connection)
        else:
            asyncio.run(component.execute_async("sendSms", SMS, connection))
    return info.value


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("connection", "path"),
    [
        ({"token": CANARY, "baseUrl": LONG_URL}, "baseUrl"),
        ({"token": CANARY, "deadline": 10**400}, "deadline"),
        ({"token": CANARY, "readTimeout": -(10**400)}, "readTimeout"),
        ({"token": CANARY, "connectTimeout": 10**5000}, "connectTimeout"),
        ({"token": CANARY, 10**5000: 1}, ""),
    ],
)
def test_values_out_of_any_range_are_configuration_errors(
    connection: dict[Any, Any], path: str, mode: str
) -> None:
    error = _execute(connection, mode)
    assert error.errors[0]["path"].startswith(path)
    assert CANARY not in _connector_locals(error)


def _connector_locals(error: BaseException | None) -> str:
    """The locals of the connector's frames in ``error`` and its chain, as ``repr`` shows them."""
    shown = []
    while error is not None:
        for frame, _ in traceback.walk_tb(error.__traceback__):
            if "infobip_connector" in frame.f_code.co_filename:
                shown += [_repr(v) for v in frame.f_locals.values()]
        error = error.__cause__ or error.__context__
    return " ".join(shown)


def _repr(value: Any) -> str:
    try:
        return repr(value)
    except ValueError:  # an integer past the conversion limit
        return "(int)"


@pytest.mark.parametrize(
    "token",
    [b"abcd1234abcd1234", ["abcd1234abcd1234"], 1234567890123456789, SecretStr(b"x" * 20)],  # type: ignore[arg-type]
)
def test_a_token_that_is_not_text_says_so(token: Any) -> None:
    error = _execute({"token": token}, "sync")
    assert error.errors[0] == {"path": "token", "message": error.errors[0]["message"]}
    assert "must be text" in error.errors[0]["message"]


def test_a_bytes_secret_after_a_text_one_with_the_same_hash() -> None:
    token = "abcd1234abcd1234"
    held = ConnectionSettings(token=SecretStr(token))  # cached: SecretStr(b"...") hashes alike
    error = _execute({"token": SecretStr(token.encode())}, "sync")  # type: ignore[arg-type]
    assert error.errors[0]["path"] == "token" and "must be text" in error.errors[0]["message"]
    del held


def test_the_cli_check_refuses_a_long_base_url(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "connection.json"
    path.write_text(json.dumps({"token": CANARY, "baseUrl": LONG_URL}))
    with pytest.raises(SystemExit) as info:
        main(["check", "--connection", str(path)])
    error = json.loads(capsys.readouterr().err)["error"]
    assert info.value.code == 2 and error["type"] == "configuration"
    assert error["details"]["errors"][0]["path"] == "baseUrl"


def test_unknown_members_are_named_with_every_other_bad_setting() -> None:
    error = connection_error({"tokn": CANARY, "zz": 1, "readTimeout": -1})
    assert error is not None
    assert [problem["path"] for problem in error.errors] == ["tokn", "zz", "token", "readTimeout"]
    assert "unknown connection property" in error.errors[0]["message"]
    assert CANARY not in str(error)  # the value of a misspelt member is never quoted
