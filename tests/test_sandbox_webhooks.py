"""What the sandbox posts to registered webhooks: inbound messages (a person replies, in
Python or over HTTP), delivery and seen reports (to the subscription and the message's
notifyUrl alike), signed as the subscription's security settings say, retried within bounds."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest

from infobip_connector.sandbox import Sandbox
from infobip_connector.sandbox.reports import MAX_ATTEMPTS

from .conftest import SHARED
from .operation_slices import NO_SHARED
from .sandbox_support import client_for, conforms
from .webhook_receiver import Hook

SECRET = "s3cret-for-tests"
SPEC = SHARED / "infobip-openapi" / "infobip-whatsapp-openapi.json"


@pytest.fixture()
def hook() -> Iterator[Hook]:
    endpoint = Hook()
    yield endpoint
    endpoint.close()


def register(
    http: httpx.Client,
    channel: str,
    events: list[str],
    url: str,
    *,
    security: dict[str, Any] | None = None,
    name: str = "s1",
    **filters: Any,
) -> None:
    profile: dict[str, Any] = {"profileId": f"{name}-profile", "webhook": {"notifyUrl": url}}
    if security is not None:
        profile["security"] = {"authId": f"{name}-auth", **security}
    body = {"subscriptionId": name, "events": events, "profile": profile, **filters}
    response = http.post(f"/subscriptions/1/subscription/{channel}", json=body)
    assert response.status_code == 201, response.text


HMAC_SECURITY = {"type": "HMAC", "credentials": {"secretKey": SECRET}}


def expected_signature(data: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), data, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("mode", ["transport", "server"])
def test_a_reply_sms_is_posted_signed_and_queued_for_the_pull(mode: str, hook: Hook) -> None:
    sandbox = Sandbox(report_delay=0.0)
    for http in client_for(sandbox, mode):
        register(http, "SMS", ["INBOUND_MESSAGE"], hook.url, security=HMAC_SECURITY)
        message_id = sandbox.receive_sms(
            "41793026727", "447860099299", "STOP please", keyword="STOP", entity_id="shop"
        )
        assert sandbox.wait_for_reports(5)
        (post,) = hook.posts
        conforms("webhook_sms_inbound.json", post.body)
        (result,) = post.body["results"]
        assert result["messageId"] == message_id
        assert (result["from"], result["to"], result["cleanText"]) == (
            "41793026727",
            "447860099299",
            "please",
        )
        assert result["entityId"] == "shop"
        assert post.body["messageCount"] == 1 and post.body["pendingMessageCount"] == 0
        assert post.headers["Content-Type"] == "application/json"
        assert post.headers["X-Hub-Signature-256"] == expected_signature(post.data)
        # Still handed out by the pull endpoint, once.
        assert http.get("/sms/1/inbox/reports").json()["results"] == [result]
        assert http.get("/sms/1/inbox/reports").json()["results"] == []
    (record,) = sandbox.reports
    assert (record.event, record.subscription_id, record.outcome) == (
        "INBOUND_MESSAGE",
        "s1",
        "sent",
    )


def test_basic_credentials_are_sent_as_infobip_sends_them(hook: Hook) -> None:
    sandbox = Sandbox(report_delay=0.0)
    security = {"type": "BASIC", "credentials": {"username": "infobip", "password": "p:w é"}}
    for http in client_for(sandbox, "transport"):
        register(http, "SMS", ["INBOUND_MESSAGE"], hook.url, security=security)
    sandbox.receive_sms("41793026727", "447860099299", "hi")
    assert sandbox.wait_for_reports(5)
    (post,) = hook.posts
    token = base64.b64encode("infobip:p:w é".encode()).decode()
    assert post.headers["Authorization"] == f"Basic {token}"
    assert "X-Hub-Signature-256" not in post.headers


def test_receive_over_http_for_other_languages(hook: Hook) -> None:
    sandbox = Sandbox(report_delay=0.0)
    for http in client_for(sandbox, "server"):
        register(http, "SMS", ["INBOUND_MESSAGE"], hook.url, name="sms")
        register(http, "WHATSAPP", ["INBOUND_MESSAGE"], hook.url, name="wa")
        sms = http.post(
            "/sandbox/1/inbound/sms",
            json={"from": "41793026727", "to": "447860099299", "text": "Yes", "keyword": "YES"},
        )
        assert sms.status_code == 200
        whatsapp = http.post(
            "/sandbox/1/inbound/whatsapp",
            json={"from": "41793026727", "to": "447860099299", "text": "Hello", "contactName": "A"},
        )
        assert whatsapp.status_code == 200
        bad = http.post("/sandbox/1/inbound/sms", json={"from": "", "text": 5})
        assert bad.status_code == 400
        problems = bad.json()["requestError"]["serviceException"]["validationErrors"]
        assert set(problems) == {"from", "to", "text"}
        assert sandbox.wait_for_reports(5)
        pulled = http.get("/sms/1/inbox/reports").json()["results"]
    assert [item["messageId"] for item in pulled] == [sms.json()["messageId"]]
    first, second = sorted(hook.posts, key=lambda post: "integrationType" in post.data.decode())
    assert first.body["results"][0]["messageId"] == sms.json()["messageId"]
    whatsapp_result = second.body["results"][0]
    assert whatsapp_result["messageId"] == whatsapp.json()["messageId"]
    assert whatsapp_result["message"] == {"text": "Hello", "type": "TEXT"}
    assert whatsapp_result["contact"] == {"name": "A"}
    conforms("webhook_whatsapp_inbound.json", second.body)


def sms_send(notify_url: str | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "from": "InfoSMS",
        "text": "Your order shipped",
        "applicationId": "shop",
        "destinations": [{"to": "41793026727", "messageId": "m-1"}, {"to": "41793026728"}],
    }
    if notify_url:
        message["notifyUrl"] = notify_url
    return {"bulkId": "b-1", "messages": [message]}


def test_sms_reports_reach_the_notify_url_and_the_subscription(hook: Hook) -> None:
    notify = Hook()
    try:
        sandbox = Sandbox(report_delay=0.0)
        for http in client_for(sandbox, "transport"):
            register(http, "SMS", ["DELIVERY"], hook.url, security=HMAC_SECURITY)
            assert http.post("/sms/2/text/advanced", json=sms_send(notify.url)).status_code == 200
        assert sandbox.wait_for_reports(5)
        (own,) = notify.posts
        (registered,) = hook.posts
    finally:
        notify.close()
    conforms("sms_delivery_report.json", own.body)
    conforms("webhook_sms_reports_v3.json", registered.body)
    results = registered.body["results"]
    assert [result["messageId"] for result in results] == ["m-1", results[1]["messageId"]]
    assert {result["bulkId"] for result in results} == {"b-1"}
    assert results[0]["sender"] == "InfoSMS"
    assert results[0]["platform"] == {"applicationId": "shop"}
    assert results[0]["status"]["groupName"] == "DELIVERED"
    assert registered.headers["X-Hub-Signature-256"] == expected_signature(registered.data)
    assert "X-Hub-Signature-256" not in own.headers
    # Without a subscription, only the notifyUrl gets one.
    assert [record.subscription_id for record in sandbox.reports] == [None, "s1"]


def whatsapp_text(notify_url: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "from": "447860099299",
        "to": "41793026727",
        "messageId": "wa-1",
        "entityId": "shop",
        "content": {"text": "Your order shipped"},
    }
    if notify_url:
        body["notifyUrl"] = notify_url
    return body


def test_whatsapp_delivery_and_seen_reports_reach_both(hook: Hook) -> None:
    notify = Hook()
    try:
        sandbox = Sandbox(report_delay=0.0)
        for http in client_for(sandbox, "server"):
            register(http, "WHATSAPP", ["DELIVERY", "SEEN"], hook.url, security=HMAC_SECURITY)
            sent = http.post("/whatsapp/1/message/text", json=whatsapp_text(notify.url))
            assert sent.status_code == 200
            assert sandbox.wait_for_reports(5)
            seen = http.post("/sandbox/1/whatsapp/seen", json={"messageId": "wa-1"})
            assert seen.status_code == 200
            unknown = http.post("/sandbox/1/whatsapp/seen", json={"messageId": "nope"})
            assert unknown.status_code == 404
            assert sandbox.wait_for_reports(5)
        own = [post.body for post in notify.posts]
        registered = [post.body for post in hook.posts]
    finally:
        notify.close()
    assert own == registered
    delivery, seen_report = registered
    conforms("whatsapp_delivery_report.json", delivery)
    conforms("webhook_whatsapp_seen.json", seen_report)
    (result,) = seen_report["results"]
    assert result == seen.json()
    assert (result["messageId"], result["from"], result["to"]) == (
        "wa-1",
        "41793026727",
        "447860099299",
    )
    assert result["entityId"] == "shop"
    assert [record.event for record in sandbox.reports] == ["DELIVERY"] * 2 + ["SEEN"] * 2


def test_see_whatsapp_in_python_knows_only_sent_messages(hook: Hook) -> None:
    sandbox = Sandbox(report_delay=0.0)
    for http in client_for(sandbox, "transport"):
        register(http, "WHATSAPP", ["SEEN"], hook.url)
        assert http.post("/whatsapp/1/message/text", json=whatsapp_text()).status_code == 200
    assert sandbox.see_whatsapp("unknown") is None
    report = sandbox.see_whatsapp("wa-1")
    assert report is not None and report["messageId"] == "wa-1"
    assert sandbox.wait_for_reports(5)
    assert [post.body["results"][0]["messageId"] for post in hook.posts] == ["wa-1"]


def test_subscriptions_filter_by_event_resource_and_criteria(hook: Hook) -> None:
    sandbox = Sandbox(report_delay=0.0)
    for http in client_for(sandbox, "transport"):
        register(http, "SMS", ["DELIVERY"], hook.url, name="reports-only")
        register(
            http,
            "SMS",
            ["INBOUND_MESSAGE"],
            hook.url,
            name="other-number",
            resources=["447000000000"],
        )
        register(
            http,
            "SMS",
            ["INBOUND_MESSAGE"],
            hook.url,
            name="other-app",
            criteria=[{"applicationId": "crm"}],
        )
        register(
            http,
            "SMS",
            ["INBOUND_MESSAGE"],
            hook.url,
            name="this-app",
            resources=["447860099299"],
            criteria=[{"applicationId": "shop"}],
        )
        register(http, "WHATSAPP", ["INBOUND_MESSAGE"], hook.url, name="whatsapp")
    sandbox.receive_sms("41793026727", "447860099299", "hi", application_id="shop")
    assert sandbox.wait_for_reports(5)
    assert [record.subscription_id for record in sandbox.reports] == ["this-app"]


def test_a_deleted_subscription_gets_nothing_more(hook: Hook) -> None:
    sandbox = Sandbox(report_delay=0.0)
    for http in client_for(sandbox, "transport"):
        register(http, "SMS", ["INBOUND_MESSAGE"], hook.url)
        sandbox.receive_sms("41793026727", "447860099299", "one")
        assert http.delete("/subscriptions/1/subscription/SMS/s1").status_code == 200
        sandbox.receive_sms("41793026727", "447860099299", "two")
    assert sandbox.wait_for_reports(5)
    assert [post.body["results"][0]["text"] for post in hook.posts] == ["one"]


def test_failing_receivers_are_retried_within_bounds() -> None:
    flaky = Hook(503, 500)
    refusing = Hook(*[503] * (MAX_ATTEMPTS + 2))
    try:
        sandbox = Sandbox(report_delay=0.0)
        for http in client_for(sandbox, "transport"):
            register(http, "SMS", ["INBOUND_MESSAGE"], flaky.url, name="flaky")
            register(http, "SMS", ["INBOUND_MESSAGE"], refusing.url, name="refusing")
            register(http, "SMS", ["INBOUND_MESSAGE"], "http://127.0.0.1:9/dead", name="dead")
        sandbox.receive_sms("41793026727", "447860099299", "hi")
        assert sandbox.wait_for_reports(10)
        records = {record.subscription_id: record for record in sandbox.reports}
        assert (records["flaky"].outcome, records["flaky"].attempts) == ("sent", 3)
        assert (records["refusing"].outcome, records["refusing"].status) == ("failed", 503)
        assert records["refusing"].attempts == MAX_ATTEMPTS
        assert len(refusing.posts) == MAX_ATTEMPTS
        assert (records["dead"].outcome, records["dead"].attempts) == ("failed", MAX_ATTEMPTS)
        # Retries carry the same bytes and signature headers.
        assert len({post.data for post in flaky.posts}) == 1
    finally:
        flaky.close()
        refusing.close()


def test_a_receiver_that_refuses_is_not_retried() -> None:
    refusing = Hook(401)
    try:
        sandbox = Sandbox(report_delay=0.0)
        for http in client_for(sandbox, "transport"):
            register(http, "SMS", ["INBOUND_MESSAGE"], refusing.url)
        sandbox.receive_sms("41793026727", "447860099299", "hi")
        assert sandbox.wait_for_reports(5)
        (record,) = sandbox.reports
        assert (record.outcome, record.status, record.attempts) == ("failed", 401, 1)
    finally:
        refusing.close()


def test_posting_never_holds_the_answers_back() -> None:
    """A receiver that never answers costs the API nothing: the post happens after the
    answer, on the report pool."""
    sandbox = Sandbox(report_delay=60.0)
    for http in client_for(sandbox, "transport"):
        register(http, "SMS", ["INBOUND_MESSAGE", "DELIVERY"], "http://127.0.0.1:9/")
        assert http.post("/sms/2/text/advanced", json=sms_send()).status_code == 200
        assert (
            http.post(
                "/sandbox/1/inbound/sms", json={"from": "1", "to": "2", "text": "x"}
            ).status_code
            == 200
        )
    assert [record.outcome for record in sandbox.reports] == ["pending", "pending"]
    sandbox.reset()
    assert sandbox.reports == []


def _whatsapp_text_content_schema() -> dict[str, Any]:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    (name,) = [key for key in schemas if key.endswith(".WhatsAppInboundTextContent")]
    return {"$ref": f"#/components/schemas/{name}", "components": {"schemas": schemas}}


@pytest.mark.skipif(not SPEC.is_file(), reason=NO_SHARED)
def test_the_whatsapp_inbound_text_matches_infobips_text_content() -> None:
    sandbox = Sandbox(deliver_reports=False)
    for http in client_for(sandbox, "transport"):
        register(http, "WHATSAPP", ["INBOUND_MESSAGE"], "http://127.0.0.1:9/")
    sandbox.receive_whatsapp("41793026727", "447860099299", "Hello")
    (record,) = sandbox.reports
    message = record.body["results"][0]["message"]
    jsonschema.Draft202012Validator(_whatsapp_text_content_schema()).validate(message)
