"""The headers and timeouts of a connection are made once for it, and never outlive a change.

``transport.plan`` makes a checked connection's request headers (the Authorization value
among them) and an attempt's timeouts once, and every send over it shares them; a send over
a connection whose key or timeouts changed, or over another connection, gets its own.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from infobip_connector.request import InfobipRequest
from infobip_connector.transport import client
from infobip_connector.transport.connection import ConnectionSettings, checked_settings
from infobip_connector.transport.exchange import _Exchange
from infobip_connector.transport.plan import plan_for

from .test_send_costs import called, sms_body

KEY = "plan-key-0123456789-abcdef"
REQUEST = InfobipRequest("POST", "/sms/2/text/advanced", sms_body(1))


def _sent_with(settings: ConnectionSettings) -> list[httpx.Request]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    client.send(settings, REQUEST, httpx.MockTransport(answer))
    return seen


def test_a_second_send_makes_no_headers_nor_timeouts() -> None:
    settings = ConnectionSettings(token=SecretStr(KEY))
    _sent_with(settings)
    exchange = _Exchange(settings, REQUEST)
    names = called(exchange.next_attempt)
    assert "__init__" not in names  # no httpx.Timeout, no HiddenStr, no header dict
    attempt = exchange.next_attempt()
    assert attempt["headers"] is plan_for(checked_settings(settings)).body_headers
    assert attempt["timeout"] == httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)


def test_shared_headers_cannot_be_changed_and_mask_the_key() -> None:
    plan = plan_for(checked_settings(ConnectionSettings(token=SecretStr(KEY))))
    with pytest.raises(TypeError):
        plan.body_headers["Authorization"] = "App other"  # type: ignore[index]
    assert KEY not in repr(plan.headers) and KEY not in repr(plan.body_headers)
    assert plan.headers["Authorization"] == f"App {KEY}"
    assert "Content-Type" not in plan.headers
    assert plan.body_headers["Content-Type"] == "application/json"


def test_a_key_changed_in_place_is_sent_never_the_old_one() -> None:
    key = KEY + "-in-place"  # its own SecretStr: changed inside below
    settings = ConnectionSettings(token=SecretStr(key))
    assert _sent_with(settings)[0].headers["Authorization"] == f"App {key}"
    object.__setattr__(settings.token, "_secret_value", key + "-other")
    assert _sent_with(settings)[0].headers["Authorization"] == f"App {key}-other"
    object.__setattr__(settings, "token", SecretStr(key + "-third"))
    assert _sent_with(settings)[0].headers["Authorization"] == f"App {key}-third"


def test_each_connection_sends_its_own_key_and_timeouts() -> None:
    first = ConnectionSettings(token=SecretStr(KEY + "-1"), read_timeout=12.0)
    second = ConnectionSettings(token=SecretStr(KEY + "-2"), connect_timeout=3.0)
    for _ in range(2):
        one, two = _sent_with(first)[0], _sent_with(second)[0]
        assert one.headers["Authorization"] == f"App {KEY}-1"
        assert two.headers["Authorization"] == f"App {KEY}-2"
        assert one.extensions["timeout"] == {
            "connect": 5.0,
            "read": 12.0,
            "write": 12.0,
            "pool": 5.0,
        }
        assert two.extensions["timeout"] == {
            "connect": 3.0,
            "read": 30.0,
            "write": 30.0,
            "pool": 3.0,
        }


def test_a_plan_is_not_used_for_changed_timeouts() -> None:
    settings = checked_settings(ConnectionSettings(token=SecretStr(KEY)))
    plan = plan_for(settings)
    object.__setattr__(settings, "read_timeout", 5.0)
    try:
        assert plan_for(settings) is not plan
        assert plan_for(settings).timeout.read == 5.0
    finally:
        object.__setattr__(settings, "read_timeout", 30.0)


def test_timeouts_are_cut_to_what_the_deadline_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = ConnectionSettings(token=SecretStr(KEY), deadline=60.0)
    exchange = _Exchange(settings, REQUEST)
    now = time.monotonic()
    monkeypatch.setattr(exchange.deadline, "ends", now + 20.0)
    attempt: dict[str, Any] = exchange.next_attempt()
    assert attempt["timeout"].connect == 5.0
    assert 19.0 < attempt["timeout"].read <= 20.0
    monkeypatch.setattr(exchange.deadline, "ends", now + 3.0)
    attempt = exchange.next_attempt()
    assert 2.0 < attempt["timeout"].connect <= 3.0 and attempt["timeout"].pool <= 3.0
