"""A poll state names the trigger and the account it belongs to, and a poll refuses a
state of another trigger or account at ``state`` before anything is fetched (no silent mix
of another source's keys into this one's window)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.sandbox import Sandbox
from infobip_connector.triggers.pollstate import account_of

from .action_support import CONNECTION

OTHER_ACCOUNT = {**CONNECTION, "baseUrl": "https://xyz123.api.infobip.com"}


def poll(sandbox: Sandbox, trigger: str, state: Any, connection: Any = CONNECTION) -> Any:
    return component.poll(trigger, connection, state, transport=sandbox.transport())


def test_the_state_names_its_trigger_and_account_and_no_secret(account: Sandbox) -> None:
    account.receive_sms("385916242493", "385921004026", "hi")
    _, state = poll(account, "newInboundSms", None)
    assert state["trigger"] == "newInboundSms"
    assert state["account"] == account_of(CONNECTION["baseUrl"])
    text = json.dumps(state)
    assert CONNECTION["token"] not in text and "api.infobip.com" not in text
    # The state it returned is taken back by the next poll of the same trigger.
    assert poll(account, "newInboundSms", state)[0] == []


def test_a_state_of_another_trigger_is_refused_at_state_trigger(account: Sandbox) -> None:
    message_id = account.receive_sms("385916242493", "385921004026", "hi")
    events, inbound_state = poll(account, "newInboundSms", None)
    assert [e["messageId"] for e in events] == [message_id]
    seen = len(account.requests)
    with pytest.raises(InputError) as caught:
        poll(account, "smsDeliveryReport", inbound_state)
    (problem,) = caught.value.errors
    assert problem["path"] == "state.trigger" and "newInboundSms" in problem["message"]
    assert len(account.requests) == seen  # nothing fetched


def test_a_state_of_another_account_is_refused_at_state_account(account: Sandbox) -> None:
    _, state = poll(account, "newInboundSms", None)
    seen = len(account.requests)
    with pytest.raises(InputError) as caught:
        poll(account, "newInboundSms", state, OTHER_ACCOUNT)
    assert [e["path"] for e in caught.value.errors] == ["state.account"]
    assert len(account.requests) == seen


def test_the_async_poll_checks_the_owner_too(account: Sandbox) -> None:
    _, state = poll(account, "newInboundSms", None)
    with pytest.raises(InputError) as caught:
        asyncio.run(
            component.poll_async(
                "smsDeliveryReport",
                CONNECTION,
                state,
                transport=account.transport(),
            )
        )
    assert [e["path"] for e in caught.value.errors] == ["state.trigger"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"trigger": None}, "state.trigger"),
        ({"account": None}, "state.account"),
        ({"trigger": 7}, "state.trigger"),
        ({"account": "0" * 16}, "state.account"),
    ],
)
def test_a_tampered_owner_is_refused(account: Sandbox, change: dict[str, Any], path: str) -> None:
    _, state = poll(account, "newInboundSms", None)
    for name, value in change.items():
        if value is None:
            del state[name]
        else:
            state[name] = value
    with pytest.raises(InputError) as caught:
        poll(account, "newInboundSms", state)
    assert [e["path"] for e in caught.value.errors] == [path]


def test_a_state_from_before_owners_is_read_and_upgraded(account: Sandbox) -> None:
    _, state = poll(account, "newInboundSms", None)
    legacy = {"version": state["version"], "recent": state["recent"]}
    _, upgraded = poll(account, "newInboundSms", legacy)
    assert upgraded["trigger"] == "newInboundSms" and "account" in upgraded


def test_the_account_does_not_depend_on_the_key_or_a_trailing_slash() -> None:
    assert account_of("https://api.infobip.com") == account_of("https://API.infobip.com/")
    assert account_of("https://api.infobip.com") != account_of("https://xyz.api.infobip.com")
