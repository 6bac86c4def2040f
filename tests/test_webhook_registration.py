"""Registering a trigger's webhook with Infobip and removing it (component.register_webhook /
unregister_webhook), against the sandbox: the subscription each trigger needs, security
settings Infobip signs with and the connector's receiver accepts, removal that tolerates
what is already gone, and the retry policy of each call's kind."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import component, digits
from infobip_connector.errors import InputError, OutcomeUnknownError
from infobip_connector.sandbox import Fault, Sandbox
from infobip_connector.triggers.webhook import WebhookRequest, WebhookSettings

from .webhook_receiver import Hook

CONNECTION = {"token": "sandbox-key-for-local-tests", "baseUrl": "https://api.infobip.com"}
# A sandbox on this machine: the only caller that can post to a loopback URL.
LOCAL = {"token": "sandbox-key-for-local-tests", "baseUrl": "http://127.0.0.1:9"}
OPEN = {"allowUnauthenticated": True}
SECRET = "hmac-secret-for-tests"
URL = "https://hooks.example.com/infobip/inbound"


def subscriptions(sandbox: Sandbox) -> list[dict[str, Any]]:
    return list(sandbox.subscriptions.subscriptions.values())


@pytest.mark.parametrize(
    ("trigger", "channel", "events"),
    [
        ("newInboundSms", "SMS", ["INBOUND_MESSAGE"]),
        ("smsDeliveryReport", "SMS", ["DELIVERY"]),
        ("newInboundWhatsappMessage", "WHATSAPP", ["INBOUND_MESSAGE"]),
        ("whatsappDeliveryReport", "WHATSAPP", ["DELIVERY"]),
        ("whatsappSeenReport", "WHATSAPP", ["SEEN"]),
    ],
)
def test_each_trigger_registers_the_subscription_its_events_come_from(
    trigger: str, channel: str, events: list[str]
) -> None:
    sandbox = Sandbox(deliver_reports=False)
    registration = component.register_webhook(
        trigger, URL, CONNECTION, security={"hmacSecret": SECRET}, transport=sandbox.transport()
    )
    assert registration["trigger"] == trigger and registration["channel"] == channel
    (kept,) = subscriptions(sandbox)
    assert (kept["channel"], kept["events"]) == (channel, events)
    assert kept["subscriptionId"] == registration["subscriptionId"]
    # A send whose answer makes no output: its reader with every digit is not kept.
    assert digits._held == {}
    profile = sandbox.subscriptions.profiles[registration["profileId"]]
    assert profile["webhook"]["notifyUrl"] == URL
    security = sandbox.subscriptions.security[registration["authId"]]
    assert security["type"] == "HMAC" and security["credentials"] == {"secretKey": SECRET}
    component.unregister_webhook(trigger, registration, CONNECTION, transport=sandbox.transport())
    assert subscriptions(sandbox) == []
    assert sandbox.subscriptions.profiles == {} and sandbox.subscriptions.security == {}


def test_what_the_sandbox_posts_after_registering_starts_the_trigger() -> None:
    """Signed as Infobip signs, checked as the connector checks: the two sides agree."""
    hook = Hook()
    try:
        sandbox = Sandbox(report_delay=0.0)
        settings = WebhookSettings(hmac_secret=SECRET)  # type: ignore[arg-type]
        registration = component.register_webhook(
            "newInboundSms", hook.url, LOCAL, security=settings, transport=sandbox.transport()
        )
        message_id = sandbox.receive_sms("41793026727", "447860099299", "YES")
        assert sandbox.wait_for_reports(5)
        (post,) = hook.posts
    finally:
        hook.close()
    request = WebhookRequest("POST", post.headers, post.data)
    answer = component.handle_webhook("newInboundSms", request, settings)
    assert answer.status == 200, answer.error
    assert [event["messageId"] for event in answer.events] == [message_id]
    forged = WebhookRequest("POST", {**post.headers, "X-Hub-Signature-256": "sha256=00"}, post.data)
    assert component.handle_webhook("newInboundSms", forged, settings).status == 401
    assert registration["url"] == hook.url


def test_basic_credentials_are_registered_as_basic_security() -> None:
    sandbox = Sandbox(deliver_reports=False)
    registration = component.register_webhook(
        "whatsappSeenReport",
        URL,
        CONNECTION,
        security={"basicAuth": {"username": "infobip", "password": "pass-word"}},
        transport=sandbox.transport(),
    )
    security = sandbox.subscriptions.security[registration["authId"]]
    assert security["type"] == "BASIC"
    assert security["credentials"] == {"username": "infobip", "password": "pass-word"}


def test_without_security_nothing_is_registered_for_it_and_resources_narrow_it() -> None:
    sandbox = Sandbox(deliver_reports=False)
    registration = component.register_webhook(
        "newInboundSms",
        URL,
        CONNECTION,
        security=OPEN,
        resources=["447860099299"],
        transport=sandbox.transport(),
    )
    assert "authId" not in registration
    (kept,) = subscriptions(sandbox)
    assert "security" not in sandbox.subscriptions.profiles[registration["profileId"]]
    assert kept["resources"] == ["447860099299"]
    assert sandbox.subscriptions.security == {}
    component.unregister_webhook(
        "newInboundSms", registration, CONNECTION, transport=sandbox.transport()
    )
    assert sandbox.request_counts["/subscriptions/1/security/" + registration["profileId"]] == 0


def test_unregistering_what_is_already_gone_is_not_an_error() -> None:
    sandbox = Sandbox(deliver_reports=False)
    transport = sandbox.transport()
    registration = component.register_webhook(
        "smsDeliveryReport", URL, CONNECTION, security={"hmacSecret": SECRET}, transport=transport
    )
    component.unregister_webhook("smsDeliveryReport", registration, CONNECTION, transport=transport)
    component.unregister_webhook("smsDeliveryReport", registration, CONNECTION, transport=transport)
    # Removed by hand at Infobip in part: the rest still goes.
    again = component.register_webhook(
        "smsDeliveryReport", URL, CONNECTION, security={"hmacSecret": SECRET}, transport=transport
    )
    del sandbox.subscriptions.subscriptions[("SMS", again["subscriptionId"])]
    component.unregister_webhook("smsDeliveryReport", again, CONNECTION, transport=transport)
    assert sandbox.subscriptions.profiles == {} and sandbox.subscriptions.security == {}


@pytest.mark.parametrize(
    ("url", "security", "resources", "path"),
    [
        ("ftp://example.com/hook", OPEN, None, "url"),
        ("https://exa mple.com/", OPEN, None, "url"),
        ("https://example.com/" + "a" * 600, OPEN, None, "url"),
        (5, OPEN, None, "url"),
        (
            URL,
            {"hmacSecret": SECRET, "basicAuth": {"username": "u", "password": "p"}},
            None,
            "security",
        ),
        (URL, OPEN, "447860099299", "resources"),
        (URL, OPEN, [""], "resources[0]"),
    ],
)
def test_bad_registrations_are_input_errors_and_send_nothing(
    url: Any, security: Any, resources: Any, path: str
) -> None:
    sandbox = Sandbox(deliver_reports=False)
    with pytest.raises(InputError) as caught:
        component.register_webhook(
            "newInboundSms",
            url,
            CONNECTION,
            security=security,
            resources=resources,
            transport=sandbox.transport(),
        )
    assert [error["path"] for error in caught.value.errors] == [path]
    assert sandbox.requests == []


def test_unknown_triggers_and_foreign_registrations_are_input_errors() -> None:
    sandbox = Sandbox(deliver_reports=False)
    with pytest.raises(InputError) as caught:
        component.register_webhook(
            "noSuchTrigger", URL, CONNECTION, security=OPEN, transport=sandbox.transport()
        )
    assert caught.value.errors[0]["path"] == "trigger"
    registration = component.register_webhook(
        "newInboundSms", URL, CONNECTION, security=OPEN, transport=sandbox.transport()
    )
    bad = [
        ("whatsappSeenReport", registration, "registration.trigger"),
        (
            "newInboundSms",
            {**registration, "subscriptionId": "../../x"},
            "registration.subscriptionId",
        ),
        ("newInboundSms", {**registration, "channel": "EMAIL"}, "registration.channel"),
        ("newInboundSms", "s1", "registration"),
    ]
    for trigger, value, path in bad:
        with pytest.raises(InputError) as caught:
            component.unregister_webhook(trigger, value, CONNECTION, transport=sandbox.transport())
        assert path in [error["path"] for error in caught.value.errors]
    assert len(subscriptions(sandbox)) == 1


def test_a_create_is_never_repeated_after_an_ambiguous_failure() -> None:
    sandbox = Sandbox(deliver_reports=False)
    sandbox.script("POST", "/subscriptions/1/subscription/SMS", Fault(status=500, process=True))
    with pytest.raises(OutcomeUnknownError) as caught:
        component.register_webhook(
            "newInboundSms",
            URL,
            CONNECTION,
            security={"hmacSecret": SECRET},
            transport=sandbox.transport(),
        )
    details = caught.value.details
    assert sandbox.request_counts["/subscriptions/1/subscription/SMS"] == 1
    # The IDs it may have created are in the error, so the caller can remove them.
    registration = {
        key: details[key] for key in ("trigger", "channel", "subscriptionId", "profileId", "authId")
    }
    assert len(subscriptions(sandbox)) == 1
    component.unregister_webhook(
        "newInboundSms", registration, CONNECTION, transport=sandbox.transport()
    )
    assert subscriptions(sandbox) == []
    assert SECRET not in str(caught.value.to_dict())


def test_a_removal_is_repeated_after_an_ambiguous_failure() -> None:
    sandbox = Sandbox(deliver_reports=False)
    transport = sandbox.transport()
    registration = component.register_webhook(
        "newInboundSms", URL, CONNECTION, security=OPEN, transport=transport
    )
    path = f"/subscriptions/1/subscription/SMS/{registration['subscriptionId']}"
    sandbox.script("DELETE", path, Fault(status=503), Fault(status=500, process=True))
    component.unregister_webhook(
        "newInboundSms", registration, {**CONNECTION, "maxAttempts": 3}, transport=transport
    )
    assert sandbox.request_counts[path] == 3
    assert subscriptions(sandbox) == [] and sandbox.subscriptions.profiles == {}


def test_the_secret_stays_out_of_reprs() -> None:
    from infobip_connector.triggers.registration import register_request

    trigger = component.definition.trigger("newInboundSms")
    _, request = register_request(trigger, URL, WebhookSettings(hmac_secret=SECRET))  # type: ignore[arg-type]
    assert SECRET not in repr(request)


def test_a_removal_that_keeps_failing_says_it_is_safe_to_repeat() -> None:
    from infobip_connector.errors import UnreachableError

    sandbox = Sandbox(deliver_reports=False)
    transport = sandbox.transport()
    registration = component.register_webhook(
        "newInboundSms", URL, CONNECTION, security=OPEN, transport=transport
    )
    path = f"/subscriptions/1/subscription/SMS/{registration['subscriptionId']}"
    sandbox.script("DELETE", path, *[Fault(status=503)] * 3)
    with pytest.raises(UnreachableError) as caught:
        component.unregister_webhook("newInboundSms", registration, CONNECTION, transport=transport)
    assert "Removing is safe to repeat" in caught.value.message
    assert caught.value.details["subscriptionId"] == registration["subscriptionId"]


def test_registration_belongs_to_webhook_triggers_only() -> None:
    from pydantic import TypeAdapter, ValidationError

    from infobip_connector.definition.checked import validate
    from infobip_connector.definition.model import Trigger

    trigger = component.definition.trigger("newInboundSms")
    declared = TypeAdapter(Trigger).dump_python(trigger, by_alias=True)
    declared.update(types=["POLLING"], webhook=None)
    with pytest.raises(ValidationError, match="'registration' belongs to a trigger with"):
        validate(Trigger, declared)
    declared["registration"] = None
    assert validate(Trigger, declared).registration is None
    declared["registration"] = {"channel": "EMAIL", "events": ["DELIVERY"]}
    declared.update(
        types=["WEBHOOK", "POLLING"],
        webhook={"operation": "x", "contentTypes": ["application/json"]},
    )
    with pytest.raises(ValidationError):
        validate(Trigger, declared)
