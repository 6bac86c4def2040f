"""A request address too long for web servers is an input error at its parameter, not a crash."""

from __future__ import annotations

import pytest

from infobip_connector import component
from infobip_connector.errors import InputError
from infobip_connector.sandbox import Sandbox
from infobip_connector.transport.target import MAX_TARGET_CHARS, request_target

CONNECTION = {"token": "sandbox-key-for-local-tests", "baseUrl": "https://api.infobip.com"}


def test_a_hundred_long_ids_are_refused_at_their_filter_and_nothing_is_sent() -> None:
    sandbox = Sandbox(deliver_reports=False)
    values = {"bulkId": ["a" * 700] * 100}
    with pytest.raises(InputError) as info:
        component.execute("getSmsLogs", values, CONNECTION, transport=sandbox.transport())
    assert info.value.type == "input"
    assert info.value.errors[0]["path"] == "bulkId"
    assert "fewer" in info.value.errors[0]["message"]
    assert not sandbox.requests


def test_the_longest_parameter_is_named() -> None:
    query = [("messageId", "m"), ("bulkId", "b" * MAX_TARGET_CHARS)]
    with pytest.raises(InputError) as info:
        request_target("/sms/3/logs", {}, query)
    assert info.value.errors[0]["path"] == "bulkId"


def test_targets_within_the_limit_are_unchanged() -> None:
    assert request_target("/sms/3/logs", {}, [("bulkId", "x.y")]) == "/sms/3/logs?bulkId=x%2Ey"
