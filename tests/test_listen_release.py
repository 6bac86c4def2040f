"""A call whose events could not be handed on is answered 503 and its events are given back
to the repeat window, so Infobip's retry returns them instead of counting as a repeat."""

from __future__ import annotations

import contextlib
import io
import threading

import httpx

from infobip_connector import Component, WebhookSettings
from infobip_connector.hosts.listen import Listener

SETTINGS = WebhookSettings(allow_unauthenticated=True)
BODY = {"results": [{"messageId": "m-release", "from": "41793026727", "to": "447860099299"}]}


class _Broken(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError


class _Stop(Exception):
    pass


def _serving(listener: Listener, out: io.StringIO, stop: threading.Event) -> threading.Thread:
    def idle() -> None:
        if stop.is_set():
            raise _Stop

    def run() -> None:
        with contextlib.suppress(_Stop):
            listener.serve(out, idle)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_events_not_handed_on_are_returned_by_the_retry() -> None:
    component = Component()
    stop = threading.Event()
    first = Listener(component, "newInboundSms", SETTINGS, host="127.0.0.1", port=0, path="/h")
    first.start()
    try:
        _serving(first, _Broken(), stop)
        assert httpx.post(first.url, json=BODY, timeout=30).status_code == 503
    finally:
        first.stop()
    out = io.StringIO()
    second = Listener(component, "newInboundSms", SETTINGS, host="127.0.0.1", port=0, path="/h")
    second.start()
    try:
        thread = _serving(second, out, stop)
        answer = httpx.post(second.url, json=BODY, timeout=30)
        assert (answer.status_code, answer.json()) == (200, {"events": 1})
        assert "m-release" in out.getvalue()
    finally:
        stop.set()
        thread.join(5)
        second.stop()
