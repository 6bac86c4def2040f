"""Replay is bounded: events older than the maximum age are refused, and ``listen --state``
keeps the repeat window across a restart."""

from __future__ import annotations

import io
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from infobip_connector import Component, ConfigurationError, WebhookSettings
from infobip_connector.errors import UsageError
from infobip_connector.hosts.listen import Listener, webhook_settings
from infobip_connector.triggers.age import DEFAULT_MAX_EVENT_AGE
from infobip_connector.triggers.recent import RecentKeys

from .test_listen_release import _serving
from .trigger_support import SECRET, answer, signed

NOW = datetime.now(UTC)


def infobip_time(when: datetime) -> str:
    """A time as Infobip writes it: ``2026-11-30T12:00:00.000+0000``."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.000%z")


def test_an_event_older_than_the_maximum_age_is_refused_not_returned() -> None:
    old = infobip_time(NOW - timedelta(days=8))
    fresh = infobip_time(NOW - timedelta(days=6))
    body = {
        "results": [
            {"messageId": "replayed", "text": "STOP", "receivedAt": old},
            {"messageId": "recent", "text": "hi", "receivedAt": fresh},
            {"messageId": "timeless", "text": "no time"},
        ]
    }
    seen = RecentKeys()
    result = answer("newInboundSms", signed(body), seen=seen, now=time.time())
    assert result.status == 200
    assert [e["messageId"] for e in result.events] == ["recent", "timeless"]
    assert [item["path"] for item in result.refused] == ["results[0]"]
    assert result.refused[0]["errors"][0]["path"] == "results[0].receivedAt"
    assert "older than the maximum event age" in result.refused[0]["errors"][0]["message"]
    assert len(seen) == 2  # the stale event is not remembered as returned


@pytest.mark.parametrize(
    ("trigger", "field"),
    [
        ("smsDeliveryReport", "doneAt"),
        ("whatsappSeenReport", "seenAt"),
        ("newInboundWhatsappMessage", "receivedAt"),
    ],
)
def test_every_trigger_bounds_its_events_by_their_own_time(trigger: str, field: str) -> None:
    item = {"messageId": f"old-{trigger}", field: "2019-07-01T10:00:00.000+0000"}
    if trigger == "newInboundWhatsappMessage":
        item["message"] = {"type": "TEXT", "text": "hi"}
    result = answer(trigger, signed({"results": [item]}), now=time.time())
    assert result.status == 200 and result.events == []
    assert result.refused[0]["errors"][0]["path"] == f"results[0].{field}"


def test_the_maximum_age_is_a_setting() -> None:
    body = {
        "results": [{"messageId": "age-1", "receivedAt": infobip_time(NOW - timedelta(hours=2))}]
    }
    short = {"hmacSecret": SECRET, "maxEventAge": 3600}
    assert answer("newInboundSms", signed(body), short, now=time.time()).events == []
    assert (
        len(answer("newInboundSms", signed(body), {"hmacSecret": SECRET}, now=time.time()).events)
        == 1
    )
    assert WebhookSettings(hmac_secret=SECRET).max_event_age == DEFAULT_MAX_EVENT_AGE == 7 * 86400
    for bad in (0, 59, -1, float("nan"), True, "7d", 400 * 86400):
        with pytest.raises(ConfigurationError) as caught:
            WebhookSettings.from_values({"hmacSecret": SECRET, "maxEventAge": bad})
        assert caught.value.errors[0]["path"] == "maxEventAge"


def test_the_repeat_window_lasts_as_long_as_events_are_accepted() -> None:
    # A body posted again within the maximum age is a repeat; later, its events are stale.
    component = Component()
    body = {"results": [{"messageId": "window-age", "receivedAt": infobip_time(datetime.now(UTC))}]}
    settings = {"hmacSecret": SECRET, "maxEventAge": 3 * 86400}
    assert len(component.handle_webhook("newInboundSms", signed(body), settings).events) == 1
    assert component.handle_webhook("newInboundSms", signed(body), settings).events == []
    window = component._receivers.window("newInboundSms", WebhookSettings.from_values(settings))  # type: ignore[union-attr]
    assert window._window.max_age == 3 * 86400


def test_a_kept_window_survives_a_restart() -> None:
    seen = RecentKeys.from_state(None)
    assert seen.admit(["a", "b"]) == [True, True]
    state = seen.to_state()
    again = RecentKeys.from_state(state)
    assert again.admit(["a", "c"]) == [False, True]


# -- listen --state -------------------------------------------------------------------------------


def _post_once(listener: Listener, body: bytes) -> httpx.Response:
    stop = threading.Event()
    listener.start()
    thread = _serving(listener, io.StringIO(), stop)
    try:
        return httpx.post(
            listener.url, content=body, headers={"Content-Type": "application/json"}, timeout=30
        )
    finally:
        stop.set()
        thread.join(10)
        listener.stop()


def test_listen_with_a_state_file_does_not_reopen_replay_after_a_restart(tmp_path: Path) -> None:
    state = str(tmp_path / "listen-state.json")
    settings = WebhookSettings(allow_unauthenticated=True)
    body = b'{"results":[{"messageId":"listen-restart-1","text":"hi"}]}'

    def listener() -> Listener:
        # A component of its own each time: a restarted process keeps no window in memory.
        return Listener(
            Component(), "newInboundSms", settings, host="127.0.0.1", port=0, path="/h", state=state
        )

    assert _post_once(listener(), body).json() == {"events": 1}
    assert Path(state).exists()
    assert _post_once(listener(), body).json() == {"events": 0}  # restarted: still a repeat
    fresh = Listener(Component(), "newInboundSms", settings, host="127.0.0.1", port=0, path="/h")
    assert _post_once(fresh, body).json() == {"events": 1}  # without the file it would return


def test_a_state_file_that_is_not_one_is_a_usage_error(tmp_path: Path) -> None:
    state = tmp_path / "bad.json"
    state.write_text('{"version": 1, "recent": {"zz": 1}}')
    with pytest.raises(UsageError) as caught:
        Listener(
            Component(),
            "newInboundSms",
            WebhookSettings(allow_unauthenticated=True),
            host="127.0.0.1",
            port=0,
            path="/h",
            state=str(state),
        )
    assert caught.value.errors[0]["path"] == "--state"
    assert str(state) in caught.value.errors[0]["message"]


def test_listen_takes_the_maximum_age_as_an_option() -> None:
    settings = webhook_settings(
        basic_auth=None,
        hmac_secret=SECRET,
        allow_unauthenticated=False,
        environ={},
        max_event_age=3600,
    )
    assert settings.max_event_age == 3600
    with pytest.raises(UsageError) as caught:
        webhook_settings(
            basic_auth=None,
            hmac_secret=SECRET,
            allow_unauthenticated=False,
            environ={},
            max_event_age=1,
        )
    assert caught.value.errors[0]["path"] == "--max-event-age"
