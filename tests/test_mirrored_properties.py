"""The request properties mirrored from Infobip's operations go on the wire as written, the
body stays valid against the published request schema, their limits are the spec's, and the
sandbox accepts what the spec accepts."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import pytest

from infobip_connector import InputError, component
from infobip_connector.sandbox import Sandbox, Template
from infobip_connector.sandbox.templates import Button

from .action_support import refused_at, run
from .conftest import FIXTURES
from .operations import OPERATIONS
from .sandbox_support import KEY


def _slice(action: str) -> dict[str, Any]:
    name = OPERATIONS[action].request_slice
    assert name is not None
    schema: dict[str, Any] = json.loads((FIXTURES / "openapi" / name).read_text("utf-8"))
    return schema


def _sent(action: str, values: dict[str, Any], sandbox: Sandbox | None = None) -> Any:
    """The body ``action`` sends for ``values`` to a sandbox (which must accept it), checked
    against the published request schema."""
    sandbox = sandbox or Sandbox(api_key=KEY, deliver_reports=False)
    _output, exchange = run(action, values, sandbox)
    assert exchange.status == 200, exchange.answer
    jsonschema.Draft202012Validator(_slice(action)).validate(exchange.body)
    return exchange.body


def _refusals(action: str, values: dict[str, Any]) -> dict[str, str]:
    """The message of each path an ``InputError`` names for ``values``; nothing was sent."""
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    try:
        run(action, values, sandbox)
    except InputError as exc:
        assert sandbox.requests == []
        return {e["path"]: e["message"] for e in exc.errors}
    raise AssertionError(f"{action} accepted {values!r}")


def _sms(**message: Any) -> dict[str, Any]:
    base = {"destinations": [{"to": "41793026727", "messageId": "m-1"}], "text": "Hi"}
    return {"bulkId": "b-1", "messages": [{**base, **message}]}


def test_send_sms_campaign_reference_id_is_sent_and_found_in_the_logs() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    body = _sent("sendSms", _sms(campaignReferenceId="summer-2026"), sandbox)
    assert body["messages"][0] == {
        "destinations": [{"to": "41793026727", "messageId": "m-1"}],
        "text": "Hi",
        "campaignReferenceId": "summer-2026",
    }
    logs, _exchange = run("getSmsLogs", {"campaignReferenceId": ["summer-2026"]}, sandbox)
    assert [entry["messageId"] for entry in logs["results"]] == ["m-1"]


def test_send_sms_campaign_reference_id_has_the_specs_limit() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    _sent("sendSms", _sms(campaignReferenceId="c" * 255))
    paths = refused_at("sendSms", _sms(campaignReferenceId="c" * 256), sandbox)
    assert paths == ["messages[0].campaignReferenceId"]


@pytest.mark.parametrize("value", ["ALL", "NONE"])
def test_send_sms_takes_every_transliteration_preview_sms_takes(value: str) -> None:
    body = _sent("sendSms", _sms(transliteration=value))
    assert body["messages"][0]["transliteration"] == value


def test_send_sms_and_preview_sms_offer_the_same_transliterations() -> None:
    # Infobip's TransliterationCode serves both operations; a text previewed with one value
    # must be sendable with it.
    def offered(action: str, path: tuple[str, ...]) -> list[Any]:
        schema = component.input_schema(action)
        for name in path:
            schema = schema["properties"][name]
            schema = schema.get("items", schema)
        return list(schema["enum"])

    sms = offered("sendSms", ("messages", "transliteration"))
    assert sorted(sms) == sorted(offered("previewSms", ("transliteration",)))
    assert {"ALL", "NONE"} <= set(sms)


def test_send_sms_regional_fields_of_india_and_south_korea() -> None:
    regional = {
        "indiaDlt": {
            "principalEntityId": "pe-1",
            "contentTemplateId": "ct-1",
            "telemarketerId": "tm-1",
        },
        "southKorea": {"resellerCode": 123456789, "title": "Notice"},
    }
    body = _sent("sendSms", _sms(regional=regional))
    assert body["messages"][0]["regional"] == regional


def test_send_sms_south_korea_title_has_the_specs_limit() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    _sent("sendSms", _sms(regional={"southKorea": {"title": "t" * 66}}))
    paths = refused_at("sendSms", _sms(regional={"southKorea": {"title": "t" * 67}}), sandbox)
    assert paths == ["messages[0].regional.southKorea.title"]


def test_whatsapp_text_reply_context_is_sent_at_the_top_level() -> None:
    values = {
        "from": "447860099299",
        "to": "41793026727",
        "messageId": "w-1",
        "content": {"text": "Thanks"},
        "context": {"replyToMessageId": "inbound-7"},
    }
    assert _sent("sendWhatsappTextMessage", values) == values


def test_whatsapp_template_reply_context_is_sent_per_message() -> None:
    message = {
        "from": "447860099299",
        "to": "41793026727",
        "messageId": "w-1",
        "content": {
            "templateName": "welcome",
            "language": "en",
            "templateData": {"body": {"placeholders": ["Ann"]}},
        },
        "context": {"replyToMessageId": "inbound-7"},
    }
    body = _sent("sendWhatsappTemplateMessage", {"bulkId": "b-1", "messages": [message]})
    assert body == {"bulkId": "b-1", "messages": [message]}


@pytest.mark.parametrize("context", [{"callbackData": "x"}, {"replyToMessageId": "a\u202eb"}])
def test_a_reply_context_without_a_usable_id_is_refused(context: dict[str, Any]) -> None:
    values = {"from": "447860099299", "to": "41793026727", "content": {"text": "Thanks"}}
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    paths = refused_at("sendWhatsappTextMessage", {**values, "context": context}, sandbox)
    assert "context.replyToMessageId" in paths


_BUTTONS = [
    ("FLOW", {"type": "FLOW", "flowToken": "flow-token-1"}),
    ("FLOW", {"type": "FLOW"}),
    ("FLOW", {"type": "FLOW", "flowToken": "flow-token-1", "data": {"screen": {"step": 1}}}),
    ("CATALOG", {"type": "CATALOG", "thumbnailProductRetailerId": "sku-1"}),
    (
        "MULTI_PRODUCT",
        {
            "type": "MULTI_PRODUCT",
            "thumbnailProductRetailerId": "sku-1",
            "sections": [
                {"title": "Shoes", "productRetailerIds": ["sku-1", "sku-2"]},
                {"title": "Socks", "productRetailerIds": ["sku-3"]},
            ],
        },
    ),
    ("VOICE_CALL", {"type": "VOICE_CALL", "callValidityPeriod": 43200, "callContextPayload": "c"}),
    ("VOICE_CALL", {"type": "VOICE_CALL"}),
]


def _template_send(*buttons: dict[str, Any]) -> dict[str, Any]:
    content = {
        "templateName": "with_button",
        "language": "en",
        "templateData": {"body": {"placeholders": ["Ann"]}, "buttons": list(buttons)},
    }
    message = {"from": "447860099299", "to": "41793026727", "messageId": "w-1", "content": content}
    return {"bulkId": "b-1", "messages": [message]}


@pytest.mark.parametrize(("kind", "button"), _BUTTONS)
def test_template_buttons_of_every_offered_type_are_sent_as_written(
    kind: str, button: dict[str, Any]
) -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.add_template(
        "447860099299",
        Template(name="with_button", language="en", body="Hi {{1}}", buttons=(Button(kind, "Go"),)),
    )
    values = _template_send(button)
    assert _sent("sendWhatsappTemplateMessage", values, sandbox) == values


@pytest.mark.parametrize(
    ("button", "path", "message"),
    [
        ({"type": "MULTI_PRODUCT"}, "sections", "is required when type is MULTI_PRODUCT"),
        ({"type": "QUICK_REPLY"}, "parameter", "is required when type is QUICK_REPLY"),
        (
            {"type": "QUICK_REPLY", "parameter": "p", "flowToken": "t"},
            "flowToken",
            "does not belong to a button of type QUICK_REPLY (it takes parameter)",
        ),
        (
            {"type": "FLOW", "parameter": "p"},
            "parameter",
            "does not belong to a button of type FLOW (it takes flowToken and data)",
        ),
        (
            {"type": "VOICE_CALL", "callValidityPeriod": 43201},
            "callValidityPeriod",
            "43200",
        ),
        (
            {
                "type": "MULTI_PRODUCT",
                "sections": [{"title": "t" * 25, "productRetailerIds": ["a"]}],
            },
            "sections[0].title",
            "24",
        ),
        ({"type": "ORDER_DETAILS"}, "action", "is required when type is ORDER_DETAILS"),
    ],
)
def test_a_button_takes_the_members_of_its_type(
    button: dict[str, Any], path: str, message: str
) -> None:
    found = _refusals("sendWhatsappTemplateMessage", _template_send(button))
    assert message in found[f"messages[0].content.templateData.buttons[0].{path}"], found


def test_the_sandbox_checks_a_buttons_required_members_as_infobip_describes_them() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.add_template(
        "447860099299",
        Template(
            name="with_button",
            language="en",
            body="Hi {{1}}",
            buttons=(Button("MULTI_PRODUCT", "See"),),
        ),
    )
    with httpx.Client(transport=sandbox.transport(), base_url="https://api.infobip.com") as http:
        answer = http.post(
            "/whatsapp/1/message/template",
            json=_template_send({"type": "MULTI_PRODUCT"}),
            headers={"Authorization": f"App {KEY}"},
        )
    assert answer.status_code == 400
    assert "messages[0].content.templateData.buttons[0].sections" in answer.text


def _template_data(**parts: Any) -> dict[str, Any]:
    content = {
        "templateName": "welcome",
        "language": "en",
        "templateData": {"body": {"placeholders": ["Ann"]}, **parts},
    }
    message = {"from": "447860099299", "to": "41793026727", "messageId": "w-1", "content": content}
    return {"bulkId": "b-1", "messages": [message]}


_CAROUSEL = {
    "cards": [
        {
            "header": {"type": "IMAGE", "mediaUrl": "https://example.com/a.png"},
            "body": {"placeholders": ["Shoes"]},
            "buttons": [{"type": "QUICK_REPLY", "parameter": "buy-1"}],
        },
        {
            "header": {"type": "VIDEO", "mediaUrl": "https://example.com/b.mp4"},
            "buttons": [
                {"type": "URL", "parameter": "item/2"},
                {"type": "QUICK_REPLY", "parameter": "buy-2"},
            ],
        },
    ]
}
_ORDER_STATUS = {
    "orderStatuses": [
        {
            "type": "ORDER_STATUS",
            "payment": {"type": "UPI_PAYU", "id": "p" * 25},
            "status": "SHIPPED",
            "description": "On its way",
        },
        {
            "type": "ORDER_STATUS",
            "payment": {"type": "BRAZIL", "id": "A-1_b.2"},
            "status": "PENDING",
        },
    ]
}


@pytest.mark.parametrize("parts", [{"carousel": _CAROUSEL}, {"orderStatus": _ORDER_STATUS}])
def test_template_carousels_and_order_statuses_are_sent_as_written(parts: dict[str, Any]) -> None:
    values = _template_data(**parts)
    assert _sent("sendWhatsappTemplateMessage", values) == values


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("2030-01-01T10:00:00Z", "2030-01-01T10:00:00.000+0000"),
        ("2030-01-01T12:30:00.250+02:00", "2030-01-01T12:30:00.250+0200"),
    ],
)
def test_a_limited_time_offer_expires_at_the_instant_given_written_as_infobip_reads_it(
    given: str, sent: str
) -> None:
    body = _sent(
        "sendWhatsappTemplateMessage", _template_data(limitedTimeOffer={"expirationTime": given})
    )
    data = body["messages"][0]["content"]["templateData"]
    assert data["limitedTimeOffer"] == {"expirationTime": sent}


def test_the_sandbox_takes_the_specs_own_expiration_time_example() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    with httpx.Client(transport=sandbox.transport(), base_url="https://api.infobip.com") as http:
        answer = http.post(
            "/whatsapp/1/message/template",
            json=_template_data(limitedTimeOffer={"expirationTime": "2030-01-01T10:00:00Z"}),
            headers={"Authorization": f"App {KEY}"},
        )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("parts", "path", "message"),
    [
        (
            {"limitedTimeOffer": {"expirationTime": "2030-01-01T10:00:00"}},
            "limitedTimeOffer.expirationTime",
            "offset",
        ),
        (
            {
                "orderStatus": {
                    "orderStatuses": [
                        {
                            **_ORDER_STATUS["orderStatuses"][0],
                            "payment": {"type": "UPI_PAYU", "id": "p" * 26},
                        }
                    ]
                }
            },
            "orderStatus.orderStatuses[0].payment.id",
            "UPI_PAYU",
        ),
        (
            {
                "orderStatus": {
                    "orderStatuses": [
                        {
                            **_ORDER_STATUS["orderStatuses"][0],
                            "payment": {"type": "BRAZIL", "id": "a b"},
                        }
                    ]
                }
            },
            "orderStatus.orderStatuses[0].payment.id",
            "BRAZIL",
        ),
        (
            {
                "orderStatus": {
                    "orderStatuses": [
                        {**_ORDER_STATUS["orderStatuses"][0], "description": "d" * 121}
                    ]
                }
            },
            "orderStatus.orderStatuses[0].description",
            "120",
        ),
        (
            {"carousel": {"cards": [{"body": {"placeholders": ["x"]}}]}},
            "carousel.cards[0].header",
            "required",
        ),
        (
            {"carousel": {"cards": [{"header": {"type": "IMAGE"}}]}},
            "carousel.cards[0].header.mediaUrl",
            "required when type is IMAGE",
        ),
        (
            {
                "carousel": {
                    "cards": [
                        {
                            "header": {"type": "IMAGE", "mediaUrl": "https://e.com/a.png"},
                            "buttons": [{"type": "FLOW", "parameter": "x"}],
                        }
                    ]
                }
            },
            "carousel.cards[0].buttons[0].type",
            "one of",
        ),
        (
            {
                "carousel": {
                    "cards": [
                        {
                            "header": {"type": "IMAGE", "mediaUrl": "https://e.com/a.png"},
                            "buttons": [{"type": "QUICK_REPLY", "parameter": "q" * 129}],
                        }
                    ]
                }
            },
            "carousel.cards[0].buttons[0].parameter",
            "128",
        ),
    ],
)
def test_template_parts_are_checked_before_sending(
    parts: dict[str, Any], path: str, message: str
) -> None:
    found = _refusals("sendWhatsappTemplateMessage", _template_data(**parts))
    assert message in found[f"messages[0].content.templateData.{path}"], found
