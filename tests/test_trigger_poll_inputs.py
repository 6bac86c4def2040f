"""A poll's own inputs (``now``, ``state``) are checked before anything is fetched: a bad one
is an InputError at its path, never an OverflowError/TypeError after items were handed out."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.sandbox import Sandbox

from .action_support import CONNECTION

DIGEST = "0123456789abcdef"


@pytest.mark.parametrize(
    "now", [float("nan"), float("inf"), -5, True, "2026-11-30", 10**400, 1e300, [1]]
)
def test_a_bad_now_is_refused_before_any_item_is_taken(now: Any) -> None:
    sandbox = Sandbox()
    sandbox.receive_sms("41793026727", "447860099299", "hello")
    with pytest.raises(InputError) as caught:
        component.poll("newInboundSms", CONNECTION, None, transport=sandbox.transport(), now=now)
    assert caught.value.errors[0]["path"] == "now"
    events, _ = component.poll("newInboundSms", CONNECTION, None, transport=sandbox.transport())
    assert [e["text"] for e in events] == ["hello"]  # still there: nothing was fetched


@pytest.mark.parametrize(
    ("state", "path"),
    [
        ({"version": 1, "recent": {DIGEST: 10**400}}, f"state.recent.{DIGEST}"),
        ({"version": 1, "recent": {DIGEST: -1}}, f"state.recent.{DIGEST}"),
        ({"version": 1, "recent": {1: 5}}, "state.recent"),
        ({"version": 1, "recent": {None: 5}}, "state.recent"),
        ({"version": True, "recent": {}}, "state.version"),
        ({"version": 1.0, "recent": {}}, "state.version"),
        ({"version": 1, "recent": {}, 3: 1}, "state.3"),
        # A member with an empty name is written "" (the README's path rule).
        ({"version": 1, "recent": {}, "": 1}, 'state.""'),
        ({"version": 1, "recent": {f"{i:016x}": 1 for i in range(1001)}}, "state.recent"),
    ],
)
def test_a_corrupt_state_is_an_input_error_at_its_path(state: Any, path: str) -> None:
    sandbox = Sandbox()
    sandbox.receive_sms("41793026727", "447860099299", "kept")
    with pytest.raises(InputError) as caught:
        component.poll("newInboundSms", CONNECTION, state, transport=sandbox.transport())
    assert caught.value.errors[0]["path"] == path
    events, _ = component.poll("newInboundSms", CONNECTION, None, transport=sandbox.transport())
    assert [e["text"] for e in events] == ["kept"]


def test_every_state_a_poll_returns_is_taken_by_the_next() -> None:
    sandbox = Sandbox()
    sandbox.receive_sms("41793026727", "447860099299", "one")
    _, state = component.poll(
        "newInboundSms", CONNECTION, None, transport=sandbox.transport(), now=0
    )
    state = json.loads(json.dumps(state))
    events, _ = component.poll("newInboundSms", CONNECTION, state, transport=sandbox.transport())
    assert events == []


def test_a_time_in_the_future_is_forgotten_by_age_like_any_other() -> None:
    sandbox = Sandbox()
    state = {"version": 1, "recent": {DIGEST: 10**11}}
    _, kept = component.poll(
        "newInboundSms", CONNECTION, state, transport=sandbox.transport(), now=1_000
    )
    assert kept["recent"] == {DIGEST: 1_000}
    _, later = component.poll(
        "newInboundSms", CONNECTION, kept, transport=sandbox.transport(), now=1_000 + 49 * 3600
    )
    assert later["recent"] == {}
