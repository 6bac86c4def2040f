"""smsDeliveryReport reads both formats Infobip posts to the same URL: v3 (subscriptions:
``sender``, ``messageCount``, ``platform``) and the v2 report a ``notifyUrl`` of
``/sms/2/text/advanced`` gets (``from``, ``smsCount``, ``entityId``/``applicationId``),
JSON or XML; either way the event carries the same fields."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.sandbox import Sandbox
from infobip_connector.triggers.recent import RecentKeys
from infobip_connector.triggers.webhook import WebhookRequest

from .webhook_receiver import Hook

CONNECTION = {"token": "sandbox-key-for-local-tests"}
OPEN = {"allowUnauthenticated": True}


def handled(request: WebhookRequest) -> list[dict[str, Any]]:
    answer = component.handle_webhook("smsDeliveryReport", request, OPEN, seen=_fresh())
    assert answer.status == 200, answer.error
    return answer.events


def _fresh() -> RecentKeys:
    return RecentKeys()


@pytest.mark.parametrize("content_type", ["application/json", "application/xml"])
def test_a_notify_url_report_keeps_its_sender_count_and_platform(content_type: str) -> None:
    hook = Hook()
    try:
        sandbox = Sandbox(report_delay=0.0)
        message = {
            "destinations": [{"to": "41793026727"}],
            "from": "InfoSMS",
            "text": "hello",
            "notifyUrl": hook.url,
            "notifyContentType": content_type,
            "entityId": "entity-1",
            "applicationId": "app-1",
        }
        component.execute(
            "sendSms", {"messages": [message]}, CONNECTION, transport=sandbox.transport()
        )
        assert sandbox.wait_for_reports(5)
        (post,) = hook.posts
    finally:
        hook.close()
    (event,) = handled(WebhookRequest("POST", post.headers, post.data))
    assert event["sender"] == "InfoSMS"
    assert event["messageCount"] == 1
    assert event["platform"] == {"entityId": "entity-1", "applicationId": "app-1"}
    assert "from" not in event and "smsCount" not in event


def test_v3_names_win_over_their_v2_twins() -> None:
    body = (
        b'{"results":[{"messageId":"m1","sender":"v3","from":"v2","messageCount":2,'
        b'"smsCount":9,"platform":{"entityId":"e3"},"entityId":"e2"}]}'
    )
    post = WebhookRequest("POST", {"Content-Type": "application/json"}, body)
    (event,) = handled(post)
    assert (event["sender"], event["messageCount"], event["platform"]) == (
        "v3",
        2,
        {"entityId": "e3"},
    )
