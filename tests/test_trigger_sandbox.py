"""The sandbox signs its webhook posts as Infobip is assumed to, and the triggers accept them:
each kind of event the sandbox posts comes out of ``component.handle_webhook`` as events of
the declared type, and a receiver configured with other credentials refuses it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from infobip_connector import WebhookRequest, WebhookSettings, component
from infobip_connector.sandbox import Sandbox
from infobip_connector.triggers.recent import RecentKeys

from .sandbox_support import client_for
from .test_sandbox_webhooks import SECRET, register, sms_send, whatsapp_text
from .webhook_receiver import Hook, Post

SECURITIES = {
    "hmac": (
        {"type": "HMAC", "credentials": {"secretKey": SECRET}},
        WebhookSettings(hmac_secret=SECRET),
        WebhookSettings(hmac_secret=SECRET + "x"),
    ),
    "basic": (
        {"type": "BASIC", "credentials": {"username": "hooks", "password": "pa:ss word"}},
        WebhookSettings(basic_auth=("hooks", "pa:ss word")),
        WebhookSettings(basic_auth=("hooks", "pa:ss")),
    ),
}


@pytest.fixture()
def hook() -> Iterator[Hook]:
    endpoint = Hook()
    yield endpoint
    endpoint.close()


def _posts(security: dict[str, Any], hook: Hook) -> dict[str, Post]:
    """One post of each kind the sandbox makes, by the trigger that takes it."""
    sandbox = Sandbox(report_delay=0.0)
    for http in client_for(sandbox, "transport"):
        register(
            http, "SMS", ["INBOUND_MESSAGE"], hook.url + "/sms-in", name="a", security=security
        )
        register(http, "SMS", ["DELIVERY"], hook.url + "/sms-dr", name="b", security=security)
        register(
            http, "WHATSAPP", ["INBOUND_MESSAGE"], hook.url + "/wa-in", name="c", security=security
        )
        register(http, "WHATSAPP", ["DELIVERY"], hook.url + "/wa-dr", name="d", security=security)
        register(http, "WHATSAPP", ["SEEN"], hook.url + "/wa-seen", name="e", security=security)
        sandbox.receive_sms("41793026727", "447860099299", "YES please", keyword="YES")
        sandbox.receive_whatsapp("41793026727", "447860099299", "Hello", contact_name="A")
        assert http.post("/sms/2/text/advanced", json=sms_send()).status_code == 200
        assert http.post("/whatsapp/1/message/text", json=whatsapp_text()).status_code == 200
        assert sandbox.wait_for_reports(5)
        assert sandbox.see_whatsapp("wa-1") is not None
        assert sandbox.wait_for_reports(5)
    by_path = {post.path.rsplit("/", 1)[-1]: post for post in hook.posts}
    return {
        "newInboundSms": by_path["sms-in"],
        "smsDeliveryReport": by_path["sms-dr"],
        "newInboundWhatsappMessage": by_path["wa-in"],
        "whatsappDeliveryReport": by_path["wa-dr"],
        "whatsappSeenReport": by_path["wa-seen"],
    }


@pytest.mark.parametrize("kind", sorted(SECURITIES))
def test_every_post_of_the_sandbox_is_accepted_with_its_credentials_only(
    kind: str, hook: Hook
) -> None:
    security, settings, wrong = SECURITIES[kind]
    posts = _posts(security, hook)
    assert sorted(posts) == sorted(component.trigger_names)
    for trigger, post in posts.items():
        request = WebhookRequest("POST", post.headers, post.data)
        answer = component.handle_webhook(trigger, request, settings, seen=RecentKeys())
        assert answer.status == 200, (trigger, answer.error)
        assert len(answer.events) == len(post.body["results"]) >= 1
        for event in answer.events:
            jsonschema.validate(event, component.event_schema(trigger))
        refused = component.handle_webhook(trigger, request, wrong, seen=RecentKeys())
        assert refused.status == 401, trigger
