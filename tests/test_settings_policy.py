"""The connection policy holds for a ``ConnectionSettings`` however it reaches the client.

Engines may hand the component a settings object instead of connection values: one they
constructed, copied, modified or unpickled. The client checks the object it is about to send
with, so none of these ways gets the key to a host the policy refuses, over plain http, with
characters a transport would mangle, or unregistered for masking. Nothing is sent in any of
these cases: the recording transport fails the test if it is called.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from infobip_connector import (
    ConfigurationError,
    ConnectionSettings,
    ConnectorError,
    component,
    connection_from_values,
)

from .conftest import CANARY

VALUES = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hello"}]}
GOOD_URL = "https://xyz12.api.infobip.com"
PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}


def _never_called(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"a request was sent to {request.url}")


NOTHING_SENT = httpx.MockTransport(_never_called)


def _tampered(**changes: Any) -> ConnectionSettings:
    """A checked settings object changed behind the check's back, as ``setattr`` would."""
    settings = ConnectionSettings(token=SecretStr(CANARY), base_url=GOOD_URL)
    for name, value in changes.items():
        object.__setattr__(settings, name, value)
    return settings


def _unpickled(**changes: Any) -> ConnectionSettings:
    return pickle.loads(pickle.dumps(_tampered(**changes)))


def _copied(**changes: Any) -> ConnectionSettings:
    return copy.copy(_tampered(**changes))


def _deep_copied(**changes: Any) -> ConnectionSettings:
    return copy.deepcopy(_tampered(**changes))


def _bare(**changes: Any) -> ConnectionSettings:
    """Made the way unpickling makes it: no ``__init__``, no ``__post_init__``."""
    settings = object.__new__(ConnectionSettings)
    fields = {f.name: f.default for f in dataclasses.fields(ConnectionSettings)}
    settings.__dict__.update({**fields, "token": SecretStr(CANARY), "base_url": GOOD_URL})
    settings.__dict__.update(changes)
    return settings


MADE: dict[str, Callable[..., ConnectionSettings]] = {
    "attribute assigned": _tampered,
    "unpickled": _unpickled,
    "copied": _copied,
    "deep-copied": _deep_copied,
    "built without __init__": _bare,
}

# (changes to a good settings object, the connection property the error must name)
UNSAFE: dict[str, tuple[dict[str, Any], str]] = {
    "plain http to another host": ({"base_url": "http://attacker.example:8080"}, "baseUrl"),
    "https to a non-Infobip host": ({"base_url": "https://attacker.example"}, "baseUrl"),
    "a name under localhost": ({"base_url": "http://evil.localhost:8080"}, "baseUrl"),
    "an IPv6 zone naming Infobip": (
        {"base_url": "https://[2001:db8::1%25x.api.infobip.com]"},
        "baseUrl",
    ),
    "a malformed IPv6 literal": ({"base_url": "https://[::1"}, "baseUrl"),
    "userinfo": ({"base_url": "https://user:pw@xyz12.api.infobip.com"}, "baseUrl"),
    "plain http with allowCustomHost": (
        {"base_url": "http://proxy.example", "allow_custom_host": True},
        "baseUrl",
    ),
    "allowCustomHost not a bool": (
        {"base_url": "https://proxy.example", "allow_custom_host": 1},
        "allowCustomHost",
    ),
    "base URL not text": ({"base_url": b"https://xyz12.api.infobip.com"}, "baseUrl"),
    "token not a secret or text": ({"token": 12345678}, "token"),
    "token with DEL": ({"token": SecretStr("canary\x7fTOKEN")}, "token"),
    "token with a non-ASCII letter": ({"token": SecretStr("canary-TÖKEN-1")}, "token"),
    "token with a line break": ({"token": SecretStr("canary\r\nX-Injected: 1")}, "token"),
    "maxAttempts true": ({"max_attempts": True}, "maxAttempts"),
    "maxAttempts 1000": ({"max_attempts": 1000}, "maxAttempts"),
    "deadline NaN": ({"deadline": float("nan")}, "deadline"),
    "readTimeout as text": ({"read_timeout": "5"}, "readTimeout"),
}


def _refused(run: Callable[[], Any]) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        run()
    return caught.value


@pytest.mark.parametrize("made", list(MADE))
@pytest.mark.parametrize("case", list(UNSAFE))
def test_the_policy_holds_for_every_settings_object(made: str, case: str) -> None:
    changes, path = UNSAFE[case]
    settings = MADE[made](**changes)
    for run in (
        lambda: component.execute("sendSms", VALUES, settings, transport=NOTHING_SENT),
        lambda: asyncio.run(
            component.execute_async("sendSms", VALUES, settings, transport=NOTHING_SENT)
        ),
        lambda: component.test_connection(settings, transport=NOTHING_SENT),
    ):
        error = _refused(run)
        assert [e["path"] for e in error.errors] == [path]
        assert CANARY not in json.dumps(error.to_dict())


@pytest.mark.parametrize("case", list(UNSAFE))
def test_constructing_or_replacing_checks_at_once(case: str) -> None:
    changes, path = UNSAFE[case]
    fields = {"token": SecretStr(CANARY), "base_url": GOOD_URL, **changes}
    assert [e["path"] for e in _refused(lambda: ConnectionSettings(**fields)).errors] == [path]
    good = ConnectionSettings(token=SecretStr(CANARY), base_url=GOOD_URL)
    error = _refused(lambda: dataclasses.replace(good, **changes))
    assert [e["path"] for e in error.errors] == [path]


def test_a_constructed_settings_object_is_normalised_like_connection_values() -> None:
    made = ConnectionSettings(token=SecretStr(CANARY), base_url="XYZ12.api.infobip.com/")
    assert made.base_url == GOOD_URL
    assert made == connection_from_values({"token": CANARY, "baseUrl": "xyz12.api.infobip.com"})


def test_a_key_never_seen_before_is_masked_when_an_unpickled_object_sends_it() -> None:
    # A key that no connection in this process has used: as in a worker process that
    # received pickled settings. The server echoes it in an error.
    key = "fresh-key-" + "9f3a" * 6
    settings = _bare(token=SecretStr(key))

    def echo(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"App {key}"
        return httpx.Response(400, text=f"unknown key {key}")

    with pytest.raises(ConnectorError) as caught:
        component.execute("sendSms", VALUES, settings, transport=httpx.MockTransport(echo))
    assert key not in json.dumps(caught.value.to_dict()) + str(caught.value)


BAD_TOKENS = {
    "DEL": "canary\x7fTOKEN",
    "non-ASCII letter": "canary-TÖKEN-1",
    "non-Latin letters": "ключ-канарейка",
    "no-break space": "canary\u00a0TOKEN",
    "zero-width space": "canary\u200bTOKEN",
    "next line (NEL)": "canary\x85TOKEN",
    "tab": "canary\tTOKEN",
    "inner space": "canary TOKEN",
    "NUL": "canary\x00TOKEN",
    "lone surrogate": "canary\ud800TOKEN",
    "a URL (token and baseUrl swapped)": "https://xyz12.api.infobip.com",
    "a host name (token and baseUrl swapped)": "xyz12.api.infobip.com",
    "too long": "k" * 513,
}


@pytest.mark.parametrize("name", list(BAD_TOKENS))
def test_bad_token_characters_are_refused_alike_on_every_path(name: str) -> None:
    token = BAD_TOKENS[name]
    connection = {"token": token, "baseUrl": GOOD_URL}
    runs: list[Callable[[], Any]] = [
        lambda: connection_from_values(connection),
        lambda: component.execute("sendSms", VALUES, connection, transport=NOTHING_SENT),
        lambda: asyncio.run(component.execute_async("sendSms", VALUES, connection)),
        lambda: component.execute("sendSms", VALUES, _bare(token=SecretStr(token))),
        lambda: asyncio.run(
            component.execute_async("sendSms", VALUES, _bare(token=SecretStr(token)))
        ),
    ]
    messages = set()
    for run in runs:
        error = _refused(run)
        assert [e["path"] for e in error.errors] == ["token"]
        messages.add(error.message)
    assert len(messages) == 1, messages  # one check, the same answer on every path


# ---------------------------------------------------------------- cached connections

CACHE_CASES = [
    ("maxAttempts", 1, True),
    ("maxAttempts", 1.0, True),
    ("allowCustomHost", True, 1),
    ("allowCustomHost", False, 0),
    ("connectTimeout", 1, True),
    ("readTimeout", 1.0, True),
    ("deadline", 1, True),
]


@pytest.mark.parametrize(("key", "accepted", "refused"), CACHE_CASES)
def test_a_cached_connection_is_not_reused_for_an_equal_value_of_another_type(
    key: str, accepted: Any, refused: Any
) -> None:
    base = {"token": CANARY, "baseUrl": GOOD_URL}
    if key == "maxAttempts" and isinstance(accepted, float):
        _refused(lambda: connection_from_values({**base, key: accepted}))
    else:
        connection_from_values({**base, key: accepted})
    error = _refused(lambda: connection_from_values({**base, key: refused}))
    assert [e["path"] for e in error.errors] == [key]


def test_a_checked_settings_object_is_not_reused_for_an_equal_value_of_another_type() -> None:
    component.execute(
        "sendSms", VALUES, _bare(max_attempts=1), transport=httpx.MockTransport(_accept)
    )
    error = _refused(
        lambda: component.execute(
            "sendSms", VALUES, _bare(max_attempts=True), transport=NOTHING_SENT
        )
    )
    assert [e["path"] for e in error.errors] == ["maxAttempts"]


def _accept(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    messages = [
        {"messageId": d["messageId"], "to": d["to"], "status": PENDING}
        for m in body["messages"]
        for d in m["destinations"]
    ]
    return httpx.Response(200, json={"bulkId": body["bulkId"], "messages": messages})


def test_connection_keys_that_do_not_sort_are_a_configuration_error() -> None:
    error = _refused(lambda: connection_from_values({"token": CANARY, 1: "x", "y": 2}))
    assert error.errors[0]["path"] in ("(a int as a property name)", "y")
