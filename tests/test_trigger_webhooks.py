"""Webhook triggers: Infobip's published bodies become events of the declared type; unsigned,
mis-signed, oversized, malformed, wrongly typed and replayed calls get the right answer."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import orjson
import pytest

from infobip_connector import InputError, component
from infobip_connector.triggers.recent import RecentKeys
from infobip_connector.triggers.webhook import WebhookAnswer, WebhookRequest, handle

from .trigger_support import BASIC, HMAC, PASSWORD, SECRET, USER, answer, basic, examples, signed

WEBHOOK_TRIGGERS = [
    "newInboundSms",
    "smsDeliveryReport",
    "newInboundWhatsappMessage",
    "whatsappDeliveryReport",
    "whatsappSeenReport",
]


def _cases() -> list[Any]:
    return [
        pytest.param(trigger, name, body, id=f"{trigger}: {name}")
        for trigger in WEBHOOK_TRIGGERS
        for name, body in examples(trigger).items()
    ]


@pytest.mark.parametrize(("trigger", "name", "body"), _cases())
def test_each_published_example_gives_one_valid_event_per_result(
    trigger: str, name: str, body: dict[str, Any]
) -> None:
    result = answer(trigger, signed(body))
    assert (result.status, result.error) == (200, None)
    assert len(result.events) == len(body["results"])
    schema = component.event_schema(trigger)
    for event, item in zip(result.events, body["results"], strict=True):
        jsonschema.validate(event, schema)
        assert event["messageId"] == item["messageId"]
    assert json.loads(result.http_body()) == {"events": len(result.events)}


def test_every_webhook_trigger_has_published_examples() -> None:
    declared = [t.name for t in component.definition.triggers if t.webhook]
    assert declared == WEBHOOK_TRIGGERS
    assert all(examples(trigger) for trigger in declared)


def test_the_xml_delivery_report_gives_the_events_of_its_json_twin() -> None:
    (xml,) = examples("smsDeliveryReport", "application/xml").values()
    (body,) = examples("smsDeliveryReport").values()
    from_xml = answer("smsDeliveryReport", signed(xml, kind="application/xml"))
    from_json = answer("smsDeliveryReport", signed(body))
    assert from_xml.status == 200, from_xml.error
    assert from_xml.events == from_json.events
    report = from_xml.events[0]
    assert report["price"] == {"pricePerMessage": 0.01, "currency": "EUR"}
    assert report["error"]["permanent"] is False and report["messageCount"] == 1


def test_a_whatsapp_message_keeps_what_its_type_carries() -> None:
    bodies = examples("newInboundWhatsappMessage")
    location = answer(
        "newInboundWhatsappMessage", signed(bodies["Received WhatsApp LOCATION message"])
    )
    assert location.events[0]["message"]["latitude"] == pytest.approx(40.748433333333)
    reaction = answer(
        "newInboundWhatsappMessage", signed(bodies["Received WhatsApp REACTION message"])
    )
    assert reaction.events[0]["message"]["context"] == {"id": "abcdef_ghij124567890klmnopr"}


# -- who may call ------------------------------------------------------------------------------

INBOUND = next(iter(examples("newInboundSms").values()))


def _resigned(request: WebhookRequest, body: bytes) -> WebhookRequest:
    """``request`` with another body but its signature unchanged."""
    return WebhookRequest(request.method, dict(request.headers), body)


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(signed(INBOUND, **{"X-Hub-Signature-256": ""}), id="unsigned"),
        pytest.param(signed(INBOUND, secret="another-secret"), id="another secret"),
        pytest.param(signed(INBOUND, **{"X-Hub-Signature-256": "sha1=" + "0" * 40}), id="sha1"),
        pytest.param(
            _resigned(signed(INBOUND), json.dumps(INBOUND).encode() + b" "),
            id="body changed after signing",
        ),
    ],
)
def test_unsigned_or_mis_signed_calls_are_401(request_: WebhookRequest) -> None:
    result = answer("newInboundSms", request_)
    assert (result.status, result.events) == (401, [])
    assert result.error is not None and result.error["type"] == "authentication"
    assert SECRET not in result.http_body().decode()


def test_the_signature_may_be_spelled_in_other_ways() -> None:
    good = signed(INBOUND).headers["X-Hub-Signature-256"]
    digest = bytes.fromhex(good.removeprefix("sha256="))
    import base64

    for header, value in [
        ("X-Hub-Signature-256", good.upper().replace("SHA256=", "sha256=")),
        ("X-Hub-Signature-256", good.removeprefix("sha256=")),
        ("x-infobip-signature", base64.b64encode(digest).decode()),
    ]:
        request = signed(INBOUND, **{"X-Hub-Signature-256": ""})
        headers = {k: v for k, v in request.headers.items() if k != "X-Hub-Signature-256"}
        result = answer(
            "newInboundSms", WebhookRequest("POST", {**headers, header: value}, request.body)
        )
        assert result.status == 200, (header, value)


def test_basic_authentication() -> None:
    assert answer("newInboundSms", basic(INBOUND), BASIC).status == 200
    for user, password in [(USER, "wrong"), ("other", PASSWORD), (USER, PASSWORD + "x"), ("", "")]:
        result = answer("newInboundSms", basic(INBOUND, user, password), BASIC)
        assert result.status == 401
        assert PASSWORD not in result.http_body().decode()
    no_header = signed(INBOUND)  # signed, but Basic is what is configured
    assert answer("newInboundSms", no_header, BASIC).status == 401


def test_a_password_with_colons_and_both_checks_at_once() -> None:
    both = {"basicAuth": {"username": USER, "password": "pa:ss:word"}, "hmacSecret": SECRET}
    request = basic(INBOUND, USER, "pa:ss:word")
    signature = signed(INBOUND).headers["X-Hub-Signature-256"]
    with_both = WebhookRequest(
        "POST", {**request.headers, "X-Hub-Signature-256": signature}, request.body
    )
    assert answer("newInboundSms", with_both, both).status == 200
    assert answer("newInboundSms", request, both).status == 401  # Basic alone is not enough


def test_a_repeated_authorization_header_is_refused() -> None:
    headers = [
        ("Content-Type", "application/json"),
        ("Authorization", "Basic x"),
        ("authorization", "Basic y"),
    ]

    class Multi(dict[str, str]):
        def items(self) -> Any:  # as aiohttp's CIMultiDict gives them
            return headers

    request = WebhookRequest("POST", Multi(headers), json.dumps(INBOUND).encode())
    result = answer("newInboundSms", request, BASIC)
    assert result.status == 400 and "authorization" in result.error["message"]  # type: ignore[index]


# -- what may be posted ------------------------------------------------------------------------


def test_other_methods_are_405() -> None:
    result = answer("newInboundSms", signed(INBOUND, method="GET"))
    assert (result.status, result.headers["Allow"]) == (405, "POST")


def test_an_oversized_body_is_413_before_any_signature_is_computed() -> None:
    huge = b"{" + b" " * (4 * 1024 * 1024) + b"}"
    assert answer("newInboundSms", signed(huge)).status == 413
    small = {"maxBodyBytes": 100, "hmacSecret": SECRET}
    assert answer("newInboundSms", signed(INBOUND), small).status == 413


@pytest.mark.parametrize(
    ("kind", "trigger"),
    [
        ("text/plain", "newInboundSms"),
        ("application/xml", "newInboundSms"),  # only delivery reports come as XML
        ("application/json; charset=latin-1", "newInboundSms"),
        ("", "newInboundSms"),
    ],
)
def test_a_content_type_the_trigger_does_not_take_is_415(kind: str, trigger: str) -> None:
    result = answer(trigger, signed(INBOUND, kind=kind))
    assert result.status == 415, result.error


def test_content_type_parameters_and_case_are_fine() -> None:
    result = answer("newInboundSms", signed(INBOUND, kind="Application/JSON; charset=UTF-8"))
    assert result.status == 200


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b"not json", None),
        (b"", None),
        (b"[" * 40 + b"]" * 40, None),
        (json.dumps({"results": "x"}).encode(), "results"),
        (json.dumps([]).encode(), "(body)"),
    ],
)
def test_malformed_bodies_are_400_naming_the_path(body: bytes, path: str | None) -> None:
    result = answer("newInboundSms", signed(body))
    assert result.status == 400, result
    assert result.error is not None and result.events == []
    if path is not None:
        assert path in [e["path"] for e in result.error["details"]["errors"]]


def refused_paths(result: WebhookAnswer) -> list[str]:
    """The paths of the problems of the items ``result`` refused."""
    return [e["path"] for item in result.refused for e in item["errors"]]


@pytest.mark.parametrize(
    ("bad", "paths"),
    [
        ({"from": "1"}, ["results[1].messageId"]),
        ({"messageId": " "}, ["results[1].messageId"]),
        ("text", ["results[1]"]),
        (
            {"messageId": "1", "smsCount": "many", "price": 3},
            ["results[1].smsCount", "results[1].price"],
        ),
        ({"messageId": "1", "text": {"a": 1}}, ["results[1].text"]),
        ({"messageId": "1", "smsCount": 1.5}, ["results[1].smsCount"]),
        ({"messageId": "1", "smsCount": 10**30 - 1}, ["results[1].smsCount"]),
        ({"messageId": "1", "smsCount": "١٢"}, ["results[1].smsCount"]),
    ],
)
def test_one_unreadable_item_is_refused_alone_and_the_others_delivered(
    bad: object, paths: list[str]
) -> None:
    good = {"messageId": f"alone-{len(str(bad))}-{paths[-1]}", "text": "fine"}
    body = {"results": [good, bad, dict(good, messageId=good["messageId"] + "-2")]}
    result = answer("newInboundSms", signed(json.dumps(body).encode()))
    assert result.status == 200, result
    assert [e["messageId"] for e in result.events] == [good["messageId"], good["messageId"] + "-2"]
    assert refused_paths(result) == paths
    assert [item["path"] for item in result.refused] == ["results[1]"]
    # The item as sent, writable by any JSON encoder (a 30-digit integer as its digits).
    sent = result.refused[0]["item"]
    huge = isinstance(bad, dict) and bad.get("smsCount") == 10**30 - 1
    assert sent == ({**bad, "smsCount": str(10**30 - 1)} if huge else bad)
    orjson.dumps(sent)
    assert json.loads(result.http_body()) == {"events": 2, "refused": 1}


def test_a_whatsapp_message_without_a_type_is_refused() -> None:
    body = {"results": [{"messageId": "m1", "message": {"text": "hi"}}]}
    result = answer("newInboundWhatsappMessage", signed(body))
    assert result.status == 200 and result.events == []
    assert refused_paths(result) == ["results[0].message.type"]


@pytest.mark.parametrize(
    "xml",
    [
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r><results/></r>',
        "<DeliveryReports><results><result><messageId>1</messageId>",
        "<a>" * 40 + "</a>" * 40,
        "<r><results><result><messageId>1</messageId><messageId>2</messageId></result></results></r>",
    ],
)
def test_bad_xml_is_400(xml: str) -> None:
    result = answer("smsDeliveryReport", signed(xml, kind="application/xml"))
    assert result.status == 400, result


# -- each event once ---------------------------------------------------------------------------


def test_a_retried_delivery_returns_no_event_twice() -> None:
    seen = RecentKeys()
    (body,) = examples("smsDeliveryReport").values()
    first = answer("smsDeliveryReport", signed(body), seen=seen)
    again = answer("smsDeliveryReport", signed(body), seen=seen)
    assert (len(first.events), again.status, again.events) == (2, 200, [])
    later = json.loads(json.dumps(body))
    later["results"][0]["status"] = {
        "groupId": 4,
        "groupName": "EXPIRED",
        "id": 15,
        "name": "EXPIRED",
    }
    changed = answer("smsDeliveryReport", signed(later), seen=seen)
    assert [e["status"]["name"] for e in changed.events] == ["EXPIRED"]  # a new status is news


def test_a_repeat_within_one_body_is_one_event_and_a_refused_body_remembers_nothing() -> None:
    seen = RecentKeys()
    item = {"messageId": "m-1", "text": "hi"}
    assert len(answer("newInboundSms", signed({"results": [item, item]}), seen=seen).events) == 1
    bad = {"results": [{"messageId": "m-2"}, {"messageId": "m-3", "smsCount": "x"}]}
    first = answer("newInboundSms", signed(bad), seen=seen)
    assert [e["messageId"] for e in first.events] == ["m-2"] and len(first.refused) == 1
    fixed = {"results": [{"messageId": "m-2"}, {"messageId": "m-3", "smsCount": 1}]}
    assert [e["messageId"] for e in answer("newInboundSms", signed(fixed), seen=seen).events] == [
        "m-3"
    ]


def test_the_window_is_bounded_in_count_and_in_time() -> None:
    now = [0.0]
    seen = RecentKeys(max_keys=2, max_age=60.0, clock=lambda: now[0])
    assert seen.admit(["a", "b", "c"]) == [True, True, True]
    assert len(seen) == 2
    assert seen.admit(["a"]) == [True]  # pushed out by newer keys
    assert seen.admit(["c"]) == [False]
    now[0] = 61.0
    assert seen.admit(["c"]) == [True]  # forgotten after max_age
    assert len(seen) == 1


def test_the_component_keeps_a_window_per_trigger() -> None:
    body = {"results": [{"messageId": "component-window-1"}]}
    assert len(component.handle_webhook("newInboundSms", signed(body), HMAC).events) == 1
    assert component.handle_webhook("newInboundSms", signed(body), HMAC).events == []
    seen_elsewhere = {"results": [{"messageId": "component-window-1", "seenAt": "x"}]}
    assert (
        len(component.handle_webhook("whatsappSeenReport", signed(seen_elsewhere), HMAC).events)
        == 1
    )


def test_xml_numbers_stay_within_what_json_encoders_write() -> None:
    def report(count: str) -> str:
        return (
            "<r><results><result><messageId>1</messageId>"
            f"<messageCount>{count}</messageCount></result></results></r>"
        )

    assert answer("smsDeliveryReport", signed(report("7"), kind="application/xml")).status == 200
    for count in ("9" * 19, "1" * 5000, "٣", "1.5", "x", "1_000", "+1"):
        result = answer("smsDeliveryReport", signed(report(count), kind="application/xml"))
        assert result.status == 200 and result.events == [], count
        assert refused_paths(result) == ["results[0].messageCount"], count


@pytest.mark.parametrize("count", ["1.0", "1e0", "1E2", "-0.0", "2.50e1", "1.5", "1e-1"])
def test_xml_and_json_read_a_number_in_an_integer_field_the_same(count: str) -> None:
    json_body = (
        '{"results": [{"messageId": "1", "messageCount": ' + count + ', "to": "41793026727"}]}'
    )
    xml_body = (
        "<r><results><result><messageId>1</messageId><to>41793026727</to>"
        f"<messageCount>{count}</messageCount></result></results></r>"
    )
    from_json = answer("smsDeliveryReport", signed(json_body))
    from_xml = answer("smsDeliveryReport", signed(xml_body, kind="application/xml"))
    assert (from_xml.status, from_xml.events) == (from_json.status, from_json.events), count
    assert refused_paths(from_xml) == refused_paths(from_json), count
    if float(count).is_integer():
        assert from_xml.events[0]["messageCount"] == int(float(count))
    else:
        assert refused_paths(from_xml) == ["results[0].messageCount"]


def test_a_trigger_without_a_webhook_is_the_hosts_error_not_an_answer() -> None:
    runtime = copy.copy(component.trigger_runtime("newInboundSms"))
    # A trigger the definition's checks would refuse: copied, not validated again.
    runtime.trigger = copy.copy(runtime.trigger)
    runtime.trigger.__dict__.update(webhook=None, types=["POLLING"])
    with pytest.raises(InputError) as caught:
        handle(runtime, signed(INBOUND), HMAC, RecentKeys())
    assert caught.value.errors[0]["path"] == "trigger"
