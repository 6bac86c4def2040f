"""``serve`` never runs a call whose answer is its only record when it comes as a notification.

A notification (no ``id``) gets no answer, so an ``execute`` sent as one would send a paid
message whose IDs, or ``outcome_unknown``, nobody could ever be told; a ``poll`` or
``handleWebhook`` would hand out events once, to nobody. The worker does not run them and
says so on stderr, one line naming the method; other notifications run as before.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import orjson
import pytest

from infobip_connector.sandbox import Sandbox

from .serve_support import KEY, SMS, methods_for, request, run_worker
from .test_serve_triggers import call_of, inbound_body, webhook

SMS_PATH = "/sms/2/text/advanced"


def notification(method: str, **params: Any) -> bytes:
    return orjson.dumps({"jsonrpc": "2.0", "method": method, "params": params})


def serve(box: Sandbox, *lines: bytes) -> list[Any]:
    return run_worker(methods_for(box.transport()), b"\n".join(lines) + b"\n", max_in_flight=2)


def sent(box: Sandbox) -> int:
    return sum(1 for r in box.requests if r.method == "POST" and r.path == SMS_PATH)


def test_an_execute_notification_sends_nothing_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    box = Sandbox(KEY, deliver_reports=False)
    with caplog.at_level("WARNING"):
        answers = serve(
            box,
            notification("execute", action="sendSms", input=SMS, idempotencyKey="K"),
            notification("execute", action="sendSms", input=SMS),
            request(1, "execute", action="sendSms", input=SMS),
        )
    assert [a["id"] for a in answers] == [1] and "result" in answers[0]
    assert sent(box) == 1  # only the request with an id
    lines = [r.getMessage() for r in caplog.records if "notification" in r.getMessage()]
    assert len(lines) == 2
    assert all(line.startswith("notification execute not run") for line in lines)
    assert all("give it an id" in line and "Hello" not in line for line in lines)


def test_in_a_batch_the_notification_is_left_out_and_the_rest_answered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    box = Sandbox(KEY, deliver_reports=False)
    batch = b"[" + notification("execute", action="sendSms", input=SMS) + b","
    batch += request(2, "definition") + b"]"
    with caplog.at_level("WARNING"):
        [answers] = serve(box, batch)
    assert [a["id"] for a in answers] == [2] and sent(box) == 0
    assert "notification execute not run" in caplog.text


def test_a_poll_notification_hands_nothing_out(caplog: pytest.LogCaptureFixture) -> None:
    box = Sandbox(KEY, deliver_reports=False)
    first = box.receive_sms("385916242493", "385921004026", "first")
    with caplog.at_level("WARNING"):
        answers = serve(
            box,
            notification("poll", trigger="newInboundSms"),
            request(1, "poll", trigger="newInboundSms"),
        )
    [answer] = answers
    assert [e["messageId"] for e in answer["result"]["events"]] == [first]
    assert "notification poll not run" in caplog.text


def test_a_webhook_notification_keeps_its_events_for_a_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Message IDs of its own: the window of events already returned outlives one worker.
    body = json.loads(inbound_body())
    body["results"] = [dict(r, messageId=str(uuid.uuid4())) for r in body["results"]]
    call = call_of(json.dumps(body).encode())
    as_notification = json.loads(webhook(1, call))
    del as_notification["id"]
    with caplog.at_level("WARNING"):
        [answer] = serve(
            Sandbox(KEY, deliver_reports=False), orjson.dumps(as_notification), webhook(2, call)
        )
    assert answer["id"] == 2 and answer["result"]["events"]
    assert "notification handleWebhook not run" in caplog.text


def test_other_notifications_still_run_unanswered() -> None:
    box = Sandbox(KEY, deliver_reports=False)
    assert serve(box, notification("definition"), notification("testConnection")) == []
    assert any(r.method == "GET" for r in box.requests)  # the balance was read
