"""ORDER_DETAILS template buttons: sent exactly as given and as Infobip's schema describes
them, each payment type with its own members (a wrong one is a typed error at its path), and
the sandbox's approved ``order_payment`` template taking such a button."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.sandbox import Sandbox, Template
from infobip_connector.sandbox.templates import Button

from .sandbox_support import KEY, conforms
from .template_support import ACTION, SENDER, input_problems, sent_body

BUTTON = "messages[0].content.templateData.buttons[0]"
ACTION_PATH = f"{BUTTON}.action"

# Every member of an order, with a PG_RAZORPAY payment (the one with a callbackData map;
# PG_PAYU's list is in test_template_callback_data.py).
RAZORPAY_ORDER: dict[str, Any] = {
    "payment": {
        "type": "PG_RAZORPAY",
        "id": "pay-A17.1",
        "beneficiary": {
            "name": "Ana Marić",
            "firstAddressLine": "12 MG Road",
            "secondAddressLine": "Floor 3",
            "city": "Bengaluru",
            "state": "Karnataka",
            "country": "INDIA",
            "postalCode": "560001",
        },
        "callbackData": {"orderRef": "A-17", "channel": "whatsapp"},
    },
    "paymentConfiguration": "razorpay-main",
    "orderCurrency": "INR",
    "orderType": "PHYSICAL_GOODS",
    "totalAmount": {"value": 21800},
    "order": {
        "catalogId": "cat-1",
        "items": [
            {
                "retailerId": "sku-1",
                "name": "Tea, 250 g",
                "amount": {"value": 10000},
                "saleAmount": {"value": 9000},
                "quantity": 2,
                "originCountry": "India",
                "importerName": "Tea Importers Ltd",
                "importerAddress": {
                    "firstAddressLine": "1 Port Road",
                    "secondAddressLine": "Unit 4",
                    "city": "Mumbai",
                    "zoneCode": "MH",
                    "postalCode": "400001",
                    "countryCode": "IN",
                },
            }
        ],
        "subtotal": {"value": 18000},
        "tax": {"value": 1800, "description": "GST"},
        "shipping": {"value": 2500, "description": "Courier"},
        "discount": {"amount": {"value": 500, "description": "Welcome"}, "programName": "W10"},
        "orderExpiration": {"expirationSeconds": 3600, "description": "Pay within an hour"},
        "orderDetailsType": "QUICK_PAY",
    },
}
BRAZIL_ORDER: dict[str, Any] = {
    "payment": {
        "type": "BRAZIL_PAYMENTS",
        "payments": [
            {
                "type": "BRAZIL_PIX_DC",
                # Infobip: "Each payment must have same ID".
                "id": "pay-A17",
                "code": "00020126580014br.gov.bcb.pix",
                "merchantName": "Loja Ana",
                "keyType": "EMAIL",
                "key": "ana@example.com",
                "flowType": "COPYPASTE",
            },
            {"type": "BRAZIL_BOLETO", "id": "pay-A17", "code": "34191.79001 01043.510047"},
        ],
    },
    "orderCurrency": "BRL",
    "orderType": "DIGITAL_GOODS",
    "totalAmount": {"value": 5000},
    "order": {
        # Without a catalog every item would need its origin country and importer.
        "catalogId": "cat-br-1",
        "items": [
            {"retailerId": "e-book", "name": "E-book", "amount": {"value": 5000}, "quantity": 1}
        ],
        "subtotal": {"value": 5000},
        "tax": {"value": 0},
    },
}


def _values(action: Any, button_type: str = "ORDER_DETAILS") -> dict[str, Any]:
    content = {
        "templateName": "order_payment",
        "language": "en",
        "templateData": {
            "body": {"placeholders": ["A-17"]},
            "buttons": [{"type": button_type, "action": action}],
        },
    }
    return {
        "bulkId": "b-1",
        "messages": [{"from": SENDER, "to": "41793026727", "messageId": "m-1", "content": content}],
    }


@pytest.mark.parametrize("order", [RAZORPAY_ORDER, BRAZIL_ORDER], ids=["razorpay", "brazil"])
def test_a_full_order_details_button_is_sent_exactly(order: dict[str, Any]) -> None:
    values = _values(order)
    sent = sent_body(values)
    assert sent == values
    conforms("whatsapp_template_request.json", sent)


def _with(change: dict[str, Any], base: dict[str, Any] = RAZORPAY_ORDER) -> dict[str, Any]:
    """``base`` with members of its payment replaced (a None value removes one)."""
    order = copy.deepcopy(base)
    for name, value in change.items():
        if value is None:
            order["payment"].pop(name, None)
        else:
            order["payment"][name] = value
    return order


@pytest.mark.parametrize(
    ("order", "path", "words"),
    [
        # Members of another payment type.
        (
            _with({"type": "BRAZIL_LINK", "paymentLink": "https://pay.example/1"}),
            "payment.beneficiary",
            "does not belong to a payment of type BRAZIL_LINK",
        ),
        (
            _with({"type": "BRAZIL_PIX_DC", "code": "c", "merchantName": "m", "key": "k"}),
            "payment.keyType",
            "is required when type is BRAZIL_PIX_DC",
        ),
        (_with({"type": "UPI_INTENT"}), "payment.format", "is required when type is UPI_INTENT"),
        (_with({"id": None}), "payment.id", "is required when type is PG_RAZORPAY"),
        (
            _with({"type": "PG_PAYU"}),
            "payment.callbackData",
            "must be a list of texts for a PG_PAYU payment",
        ),
        (_with({"id": "pay 1"}), "payment.id", "must be"),
        (_with({"type": "PG_RAZORPAY", "postalCode": "1"}), "payment.postalCode", "unknown"),
        (
            _with({"payments": [{"type": "BRAZIL_LINK", "id": "l-1"}]}, BRAZIL_ORDER),
            "payment.payments[0].paymentLink",
            "is required when type is BRAZIL_LINK",
        ),
        (
            _with(
                {"payments": [{"type": "BRAZIL_BOLETO", "id": "b", "code": "c", "key": "k"}]},
                BRAZIL_ORDER,
            ),
            "payment.payments[0].key",
            "does not belong to a payment of type BRAZIL_BOLETO",
        ),
        (
            _with({"payments": [{"type": "PG_PAYU", "id": "p"}]}, BRAZIL_ORDER),
            "payment.payments[0].type",
            "must be one of",
        ),
        # Values of the callbackData map and the beneficiary's postal code.
        (_with({"callbackData": {"a": 5}}), "payment.callbackData.a", "must be text"),
        (_with({"callbackData": {"a": " "}}), "payment.callbackData.a", "blank"),
        (
            _with({"callbackData": ["a", "b"]}),
            "payment.callbackData",
            "must be an object of texts for a PG_RAZORPAY payment",
        ),
        (
            _with(
                {"beneficiary": {**RAZORPAY_ORDER["payment"]["beneficiary"], "postalCode": "56"}}
            ),
            "payment.beneficiary.postalCode",
            "6",
        ),
    ],
)
def test_a_payment_takes_the_members_of_its_type(
    order: dict[str, Any], path: str, words: str
) -> None:
    problems = input_problems(_values(order))
    assert words in problems.get(f"{ACTION_PATH}.{path}", ""), problems


def test_payment_configuration_and_quick_pay_follow_the_payment_type() -> None:
    link = _with(
        {
            "type": "BRAZIL_LINK",
            "paymentLink": "https://pay.example/1",
            "beneficiary": None,
            "callbackData": None,
        }
    )
    problems = input_problems(_values(link))
    assert "left out for a BRAZIL_LINK" in problems[f"{ACTION_PATH}.paymentConfiguration"]
    assert "QUICK_PAY applies" in problems[f"{ACTION_PATH}.order.orderDetailsType"]
    unconfigured = copy.deepcopy(RAZORPAY_ORDER)
    del unconfigured["paymentConfiguration"]
    problems = input_problems(_values(unconfigured))
    assert "required for a PG_RAZORPAY" in problems[f"{ACTION_PATH}.paymentConfiguration"]


def test_an_order_needs_its_required_parts() -> None:
    order = copy.deepcopy(BRAZIL_ORDER)
    del order["order"]["tax"]
    order["order"]["items"][0]["quantity"] = 0
    del order["totalAmount"]
    problems = input_problems(_values(order))
    assert problems[f"{ACTION_PATH}.order.tax"] == "is required"
    assert problems[f"{ACTION_PATH}.totalAmount"] == "is required"
    assert "at least 1" in problems[f"{ACTION_PATH}.order.items[0].quantity"]


def test_the_action_belongs_to_an_order_details_button_only() -> None:
    problems = input_problems(_values(RAZORPAY_ORDER, "QUICK_REPLY"))
    assert "does not belong to a button of type QUICK_REPLY" in problems[ACTION_PATH]
    content = _values(None)["messages"][0]["content"]
    content["templateData"]["buttons"] = [{"type": "ORDER_DETAILS"}]
    problems = input_problems(
        {"messages": [{"from": SENDER, "to": "41793026727", "content": content}]}
    )
    assert problems[ACTION_PATH] == "is required when type is ORDER_DETAILS"


def test_a_non_object_action_or_payment_is_a_typed_error() -> None:
    for action, path in (
        ("order", ACTION_PATH),
        ({**RAZORPAY_ORDER, "payment": 3}, f"{ACTION_PATH}.payment"),
    ):
        problems = input_problems(_values(action))
        assert "must be an object" in problems[path], problems


# ------------------------------------------------------------------------------ sandbox


def _sandbox_send(sandbox: Sandbox, values: dict[str, Any]) -> Any:
    connection = {"token": KEY, "baseUrl": "https://api.infobip.com"}
    return component.execute(ACTION, values, connection, transport=sandbox.transport())


@pytest.mark.parametrize("order", [RAZORPAY_ORDER, BRAZIL_ORDER], ids=["razorpay", "brazil"])
def test_the_sandbox_accepts_an_order_details_button_of_its_template(order: dict[str, Any]) -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    output = _sandbox_send(sandbox, _values(order))
    assert output["messages"][0]["status"]["groupName"] == "PENDING"


def test_the_sandbox_checks_an_order_details_button_like_the_others() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.infobip.com",
        headers={"Authorization": f"App {KEY}"},
    ) as client:
        body = _values(_with({"type": "BRAZIL_LINK", "paymentLink": None}))
        answer = client.post("/whatsapp/1/message/template", json=body)
        found = answer.json()["requestError"]["serviceException"]["validationErrors"]
        base = "messages[0].content.templateData.buttons[0].action.payment"
        assert found[f"{base}.paymentLink"] == ["must not be null"]
        assert found[f"{base}.beneficiary"] == ["unrecognized field"]
        # The order_payment template's one button is ORDER_DETAILS.
        wrong = _values(None)
        wrong["messages"][0]["content"]["templateData"]["buttons"] = [
            {"type": "QUICK_REPLY", "parameter": "p"}
        ]
        answer = client.post("/whatsapp/1/message/template", json=wrong)
        found = answer.json()["requestError"]["serviceException"]["validationErrors"]
        assert found == {
            "messages[0].content.templateData.buttons[0].type": [
                "template button 1 is ORDER_DETAILS"
            ]
        }


def test_the_sandbox_takes_a_flow_buttons_data() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.add_template(
        SENDER, Template("flow_start", "en", "Hi {{1}}", buttons=(Button("FLOW", "Start"),))
    )
    content = {
        "templateName": "flow_start",
        "language": "en",
        "templateData": {
            "body": {"placeholders": ["Ana"]},
            "buttons": [{"type": "FLOW", "flowToken": "t", "data": {"screen": {"name": "Ana"}}}],
        },
    }
    output = _sandbox_send(
        sandbox, {"messages": [{"from": SENDER, "to": "41793026727", "content": content}]}
    )
    assert output["messages"][0]["status"]["groupName"] == "PENDING"


def test_an_order_details_button_needs_a_variant() -> None:
    with pytest.raises(ValueError, match="variant"):
        Button("ORDER_DETAILS", "Pay")
