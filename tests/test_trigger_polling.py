"""Polling triggers against the sandbox's pull endpoints: state carried between polls, a lost
answer reported (never a silent gap), repeats dropped by the state's window."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import jsonschema
import pytest

from infobip_connector import InputError, OutcomeUnknownError, component
from infobip_connector.sandbox import Fault, Sandbox
from infobip_connector.triggers.polling import poll
from infobip_connector.triggers.recent import POLL_MAX_KEYS

from .action_support import CONNECTION, fast_retries, send_sms

INBOX = "/sms/1/inbox/reports"


def _poll(
    sandbox: Sandbox, trigger: str, state: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    return component.poll(trigger, CONNECTION, state, transport=sandbox.transport())


def test_two_polls_with_a_lost_answer_in_between(
    account: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_retries(monkeypatch)
    first_id = account.receive_sms("385916242493", "385921004026", "first")
    events, state = _poll(account, "newInboundSms", None)
    assert [e["messageId"] for e in events] == [first_id]
    jsonschema.validate(events[0], component.event_schema("newInboundSms"))
    assert json.loads(json.dumps(state)) == state and len(json.dumps(state)) < 200

    lost_id = account.receive_sms("385916242494", "385921004026", "taken, answer lost")
    account.script("GET", INBOX, Fault(status=503, process=True))
    with pytest.raises(OutcomeUnknownError) as caught:
        _poll(account, "newInboundSms", state)
    error = caught.value
    assert error.details["itemsMayBeLost"] is True and error.details["trigger"] == "newInboundSms"
    assert "may now be lost" in error.message and "web interface" in error.message
    assert len([r for r in account.requests if r.path == INBOX]) == 2  # not repeated

    later_id = account.receive_sms("385916242495", "385921004026", "after")
    events, state = _poll(account, "newInboundSms", state)  # the state from before the loss
    assert [e["messageId"] for e in events] == [later_id]
    assert lost_id not in {e["messageId"] for e in events}
    assert _poll(account, "newInboundSms", state)[0] == []


def test_delivery_reports_are_polled_too(account: Sandbox) -> None:
    sent = send_sms(account, "41793026727", "41793026834", text="Hi")
    events, state = _poll(account, "smsDeliveryReport", None)
    assert sorted(e["messageId"] for e in events) == sorted(
        m["messageId"] for m in sent["messages"]
    )
    for event in events:
        jsonschema.validate(event, component.event_schema("smsDeliveryReport"))
    assert _poll(account, "smsDeliveryReport", state)[0] == []


def test_an_item_handed_out_again_is_not_returned_twice() -> None:
    runtime = component.trigger_runtime("newInboundSms")
    answers = iter(
        [
            {"results": [{"messageId": "a"}, {"messageId": "b"}]},
            {"results": [{"messageId": "b"}, {"messageId": "c"}]},
        ]
    )
    asked: list[dict[str, Any]] = []

    def fetch(values: dict[str, Any]) -> Any:
        asked.append(values)
        return next(answers)

    first, state = poll(runtime, fetch, None, now=1_000)
    second, state = poll(runtime, fetch, state, now=1_060)
    assert [e["messageId"] for e in first + second] == ["a", "b", "c"]
    assert asked == [{"limit": 100}, {"limit": 100}]
    assert sorted(state["recent"].values()) == [1_000, 1_000, 1_060]


def test_the_state_window_is_bounded_in_count_and_in_time() -> None:
    runtime = component.trigger_runtime("newInboundSms")
    many = {"results": [{"messageId": f"m{i}"} for i in range(POLL_MAX_KEYS + 50)]}
    _, state = poll(runtime, lambda _: many, None, now=0)
    assert len(state["recent"]) == POLL_MAX_KEYS
    again, state = poll(
        runtime, lambda _: {"results": [{"messageId": "m0"}, {"messageId": "m999"}]}, state, now=10
    )
    assert [e["messageId"] for e in again] == ["m0"]  # m0 was pushed out, m999 is still known
    two_days = 48 * 3600
    late, state = poll(
        runtime, lambda _: {"results": [{"messageId": "m999"}]}, state, now=two_days + 20
    )
    assert [e["messageId"] for e in late] == ["m999"]
    assert list(state["recent"].values()) == [two_days + 20]


@pytest.mark.parametrize(
    ("state", "path"),
    [
        ([], "state"),
        ({"version": 2, "recent": {}}, "state.version"),
        ({"version": 1, "recent": []}, "state.recent"),
        ({"version": 1, "recent": {"not-a-digest": 1}}, "state.recent"),
        (
            {"version": 1, "recent": {"0123456789abcdef": "yesterday"}},
            "state.recent.0123456789abcdef",
        ),
        ({"version": 1, "recent": {}, "cursor": 3}, "state.cursor"),
    ],
)
def test_a_state_no_poll_returned_is_refused_before_anything_is_fetched(
    state: Any, path: str
) -> None:
    runtime = component.trigger_runtime("newInboundSms")

    def fetch(values: dict[str, Any]) -> Any:
        raise AssertionError("fetched with a bad state")

    with pytest.raises(InputError) as caught:
        poll(runtime, fetch, state)
    assert [e["path"] for e in caught.value.errors] == [path]


def test_unreadable_items_are_reported_with_the_events_read_not_skipped() -> None:
    runtime = component.trigger_runtime("smsDeliveryReport")
    answer = {"results": [{"messageId": "ok"}, {"status": {}}, {"messageId": "ok-2"}]}
    result = poll(runtime, lambda _: answer, None)
    events, state = result
    assert [e["messageId"] for e in events] == ["ok", "ok-2"]
    assert [item["path"] for item in result.refused] == ["results[1]"]
    assert result.refused[0]["errors"][0]["path"] == "results[1].messageId"
    assert result.refused[0]["item"] == {"status": {}}
    # The state holds the events read: a later poll handing them out again returns nothing.
    assert poll(runtime, lambda _: answer, state).events == []


def test_an_answer_that_is_not_a_list_of_items_loses_the_poll() -> None:
    runtime = component.trigger_runtime("smsDeliveryReport")
    with pytest.raises(OutcomeUnknownError) as caught:
        poll(runtime, lambda _: {"results": "x"}, None)
    assert caught.value.details["errors"][0]["path"] == "results"
    assert caught.value.details["itemsMayBeLost"] is True


def test_webhook_only_triggers_cannot_be_polled() -> None:
    with pytest.raises(InputError) as caught:
        component.poll("whatsappSeenReport", CONNECTION, None)
    assert caught.value.errors[0]["path"] == "trigger"


def test_the_async_poll_carries_the_state_and_reports_a_lost_answer(
    account: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_retries(monkeypatch)

    async def polls() -> None:
        first_id = account.receive_sms("385916242493", "385921004026", "first")
        events, state = await component.poll_async(
            "newInboundSms", CONNECTION, None, transport=account.transport()
        )
        assert [e["messageId"] for e in events] == [first_id]
        account.receive_sms("385916242494", "385921004026", "lost")
        account.script("GET", INBOX, Fault(status=500, process=True))
        with pytest.raises(OutcomeUnknownError) as caught:
            await component.poll_async(
                "newInboundSms", CONNECTION, state, transport=account.transport()
            )
        assert caught.value.details["itemsMayBeLost"] is True
        again, _ = await component.poll_async(
            "newInboundSms", CONNECTION, state, transport=account.transport()
        )
        assert again == []

    asyncio.run(polls())
