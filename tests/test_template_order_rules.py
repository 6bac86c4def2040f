"""The rules between an ORDER_DETAILS order's members that Infobip documents (its 400
examples for the order object, "Each payment must have same ID"), refused by the connector at
the member's path with nothing sent and answered by the sandbox with the documented 400; and
every order rule the connector holds, refused by the sandbox too (the two share no code, so the
same cases run through both)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.errors import InputError
from infobip_connector.sandbox import Sandbox

from .sandbox_support import KEY, client_for
from .template_support import ACTION, CONNECTION, input_problems
from .test_template_order_details import ACTION_PATH, BRAZIL_ORDER, RAZORPAY_ORDER, _values

Change = Callable[[dict[str, Any]], None]


def _changed(base: dict[str, Any], change: Change) -> dict[str, Any]:
    order = copy.deepcopy(base)
    change(order)
    return order


def _sandbox_errors(order: dict[str, Any]) -> dict[str, list[str]]:
    """The sandbox's validation errors for a send of ``order`` ({} when it is accepted)."""
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    for client in client_for(sandbox, "transport"):
        answer = client.post("/whatsapp/1/message/template", json=_values(order))
    if answer.status_code == 200:
        return {}
    assert answer.status_code == 400, answer.text
    found: dict[str, list[str]] = answer.json()["requestError"]["serviceException"][
        "validationErrors"
    ]
    return found


def _set(where: str, value: Any) -> Change:
    """Set the member at the dotted ``where`` (``order.items.0.quantity``); None removes it."""

    def change(order: dict[str, Any]) -> None:
        *above, last = where.split(".")
        node: Any = order
        for part in above:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is None:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value

    return change


def _without_catalog(order: dict[str, Any]) -> None:
    del order["order"]["catalogId"]
    for name in ("originCountry", "importerName", "importerAddress"):
        del order["order"]["items"][0][name]


def _brazil_ids(first: str, second: str) -> Change:
    def change(order: dict[str, Any]) -> None:
        order["payment"]["payments"][0]["id"] = first
        order["payment"]["payments"][1]["id"] = second

    return change


# (base order, change, the connector's path below the action and words of its message, the
# sandbox's path below the action and its message: the documented 400 where there is one).
DOCUMENTED = [
    pytest.param(
        RAZORPAY_ORDER,
        _set("totalAmount", {"value": 1}),
        ("totalAmount", "18000 + 1800 + 2500 - 500 = 21800 (got 1)"),
        ("", "totalAmount must be sum of subtotal, tax and shipping reduced by discount"),
        id="total-amount",
    ),
    pytest.param(
        BRAZIL_ORDER,
        _set("totalAmount", {"value": 4999}),
        ("totalAmount", "5000 + 0 + 0 - 0 = 5000 (got 4999)"),
        ("", "totalAmount must be sum of subtotal, tax and shipping reduced by discount"),
        id="total-amount-without-shipping-or-discount",
    ),
    pytest.param(
        RAZORPAY_ORDER,
        _set("order.items.0.saleAmount", {"value": 1000000}),
        ("order.items[0].saleAmount", "must be less than the item's amount (10000)"),
        ("order.items[0]", "saleAmount must be less than amount"),
        id="sale-amount",
    ),
    pytest.param(
        RAZORPAY_ORDER,
        _set("order.items.0.saleAmount", {"value": 10000}),
        ("order.items[0].saleAmount", "must be less than the item's amount (10000)"),
        ("order.items[0]", "saleAmount must be less than amount"),
        id="sale-amount-equal",
    ),
    pytest.param(
        RAZORPAY_ORDER,
        _without_catalog,
        ("order.items[0].originCountry", "is required when the order has no catalogId"),
        (
            "order",
            "if catalogId is not present then originCountry, importerName and "
            "importerAddress must be specified",
        ),
        id="no-catalog",
    ),
    pytest.param(
        BRAZIL_ORDER,
        _set("order.catalogId", ""),
        ("order.items[0].originCountry", "is required when the order has no catalogId"),
        (
            "order",
            "if catalogId is not present then originCountry, importerName and "
            "importerAddress must be specified",
        ),
        id="empty-catalog",
    ),
    pytest.param(
        BRAZIL_ORDER,
        _brazil_ids("pix-1", "boleto-1"),
        ("payment.payments[1].id", "must be the same ID as payments[0] ('pix-1')"),
        ("payment.payments[1].id", "each payment must have same ID"),
        id="brazil-payment-ids",
    ),
]


@pytest.mark.parametrize(("base", "change", "connector", "sandbox"), DOCUMENTED)
def test_a_documented_order_rule_is_refused_before_sending(
    base: dict[str, Any],
    change: Change,
    connector: tuple[str, str],
    sandbox: tuple[str, str],
) -> None:
    order = _changed(base, change)
    path, words = connector
    problems = input_problems(_values(order))
    assert words in problems.get(f"{ACTION_PATH}.{path}", ""), problems
    sent: list[httpx.Request] = []
    with pytest.raises(InputError):
        component.execute(
            ACTION, _values(order), CONNECTION, transport=httpx.MockTransport(sent.append)
        )
    assert sent == []
    where, message = sandbox
    assert _sandbox_errors(order) == {f"{ACTION_PATH}{'.' if where else ''}{where}": [message]}


def test_the_documented_rules_hold_at_their_edges() -> None:
    """A sale price one below the amount, an order without a catalog whose items say where
    they come from, items of a catalogued order that do not, and payments sharing one ID are
    sent and accepted."""
    sale = _changed(RAZORPAY_ORDER, _set("order.items.0.saleAmount", {"value": 9999}))
    uncatalogued = _changed(RAZORPAY_ORDER, _set("order.catalogId", None))
    catalogued = _changed(RAZORPAY_ORDER, _set("order.items.0.importerAddress", None))
    shared = _changed(BRAZIL_ORDER, _brazil_ids("A-17", "A-17"))
    link = _changed(RAZORPAY_ORDER, _brazil_link)
    for order in (sale, uncatalogued, catalogued, shared, link):
        component.validate_input(ACTION, _values(order))
        assert _sandbox_errors(order) == {}


def _brazil_link(order: dict[str, Any]) -> None:
    order["payment"] = {"type": "BRAZIL_LINK", "id": "l-1", "paymentLink": "https://pay.example/1"}
    del order["order"]["orderDetailsType"]
    del order["paymentConfiguration"]


def _configured_link(order: dict[str, Any]) -> None:
    _brazil_link(order)
    order["paymentConfiguration"] = "c"


def _quick_link(order: dict[str, Any]) -> None:
    _brazil_link(order)
    order["order"]["orderDetailsType"] = "QUICK_PAY"


def _three_payments(order: dict[str, Any]) -> None:
    order["payment"]["payments"].append(copy.deepcopy(order["payment"]["payments"][0]))


# The connector's other order rules, and the path where each refuses (below the action).
CONNECTOR_RULES = [
    pytest.param(_set("payment.id", "a b"), "payment.id", id="payment-id"),
    pytest.param(_set("payment.id", "x" * 36), "payment.id", id="payment-id-length"),
    pytest.param(_set("paymentConfiguration", None), "paymentConfiguration", id="no-configuration"),
    pytest.param(_configured_link, "paymentConfiguration", id="configuration-left-out"),
    pytest.param(_quick_link, "order.orderDetailsType", id="quick-pay"),
    pytest.param(_set("order.items.0.quantity", 0), "order.items[0].quantity", id="quantity-0"),
    pytest.param(_set("totalAmount", {"value": -1}), "totalAmount.value", id="negative-total"),
    pytest.param(
        _set("order.items.0.amount", {"value": -1}),
        "order.items[0].amount.value",
        id="negative-item-amount",
    ),
    pytest.param(
        _set("order.shipping", {"value": -1}), "order.shipping.value", id="negative-shipping"
    ),
    pytest.param(
        _set("order.discount", {"amount": {"value": -1}}),
        "order.discount.amount.value",
        id="negative-discount",
    ),
    # No input text is blank; a text a type requires is not empty either.
    pytest.param(
        _set("payment.beneficiary.city", " "), "payment.beneficiary.city", id="blank-city"
    ),
    pytest.param(
        _set("payment.callbackData", {"orderRef": "  "}),
        "payment.callbackData.orderRef",
        id="blank-callback-value",
    ),
    pytest.param(_set("order.items.0.name", " "), "order.items[0].name", id="blank-item-name"),
    # The bounds of an object with free members: names never blank, 20,000 UTF-16 units.
    pytest.param(
        _set("payment.callbackData", {" ": "x"}),
        "payment.callbackData. ",
        id="blank-callback-name",
    ),
    pytest.param(
        _set("payment.callbackData", {"\u200b": "x"}),
        "payment.callbackData.\u200b",
        id="invisible-callback-name",
    ),
    pytest.param(
        _set("payment.callbackData", {"k\u0001": "x"}),
        "payment.callbackData.k\u0001",
        id="control-in-callback-name",
    ),
    pytest.param(
        _set("payment.callbackData", {"": "x"}),
        'payment.callbackData.""',
        id="empty-callback-name",
    ),
    pytest.param(
        _set("payment.callbackData", {"orderRef": "x" * 20_001}),
        "payment.callbackData",
        id="callback-data-too-long",
    ),
    pytest.param(
        # 10,000 emoji: 20,000 UTF-16 code units before the JSON around them.
        _set("payment.callbackData", {"orderRef": "\U0001f600" * 10_000}),
        "payment.callbackData",
        id="callback-data-too-long-in-utf16",
    ),
    pytest.param(
        _set("order.orderExpiration.description", ""),
        "order.orderExpiration.description",
        id="empty-expiration-description",
    ),
    pytest.param(_set("order.items", []), "order.items", id="no-items"),
]
BRAZIL_RULES = [
    pytest.param(
        _set("payment.payments.0.id", "pix 1"), "payment.payments[0].id", id="brazil-payment-id"
    ),
    pytest.param(_three_payments, "payment.payments", id="three-payments"),
    pytest.param(_set("payment.payments.1.code", ""), "payment.payments[1].code", id="empty-code"),
]


@pytest.mark.parametrize(
    ("base", "change", "path"),
    [(RAZORPAY_ORDER, *case.values) for case in CONNECTOR_RULES]
    + [(BRAZIL_ORDER, *case.values) for case in BRAZIL_RULES],
    ids=[case.id for case in (*CONNECTOR_RULES, *BRAZIL_RULES)],
)
def test_the_sandbox_refuses_what_the_connector_refuses(
    base: dict[str, Any], change: Change, path: str
) -> None:
    order = _changed(base, change)
    assert f"{ACTION_PATH}.{path}" in input_problems(_values(order))
    assert f"{ACTION_PATH}.{path}" in _sandbox_errors(order)


def _status_errors(
    payment: dict[str, Any], description: str = "On its way", template: str | None = None
) -> tuple[Any, Any]:
    """The connector's problems (None when it takes the send) and the sandbox's errors for a
    send with one order status of ``payment`` (``template``: another template's name)."""
    values = _values(RAZORPAY_ORDER)
    if template is not None:
        values["messages"][0]["content"]["templateName"] = template
    status = {"type": "ORDER_STATUS", "payment": payment, "status": "SHIPPED"}
    status["description"] = description
    values["messages"][0]["content"]["templateData"]["orderStatus"] = {"orderStatuses": [status]}
    try:
        component.validate_input(ACTION, values)
        connector = None
    except InputError as caught:
        connector = {error["path"] for error in caught.errors}
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    for client in client_for(sandbox, "transport"):
        answer = client.post("/whatsapp/1/message/template", json=values)
    if answer.status_code == 200:
        return connector, None
    return connector, set(answer.json()["requestError"]["serviceException"]["validationErrors"])


STATUS = "messages[0].content.templateData.orderStatus.orderStatuses[0]"


@pytest.mark.parametrize(
    ("payment", "description", "path"),
    [
        ({"type": "BRAZIL", "id": "a b"}, "On its way", "payment.id"),
        ({"type": "PG_RAZORPAY", "id": "x" * 36}, "On its way", "payment.id"),
        ({"type": "UPI_PAYU", "id": "x" * 26}, "On its way", "payment.id"),
        ({"type": "BRAZIL", "id": "A-1"}, "  ", "description"),
    ],
)
def test_an_order_status_is_refused_alike(
    payment: dict[str, Any], description: str, path: str
) -> None:
    connector, sandbox = _status_errors(payment, description)
    assert connector is not None and f"{STATUS}.{path}" in connector
    assert sandbox is not None and f"{STATUS}.{path}" in sandbox


def test_an_order_status_id_of_its_form_is_taken() -> None:
    for payment in ({"type": "UPI_PAYU", "id": "a b" * 8}, {"type": "BRAZIL", "id": "A" * 35}):
        assert _status_errors(payment) == (None, None)


def test_the_sandbox_tells_an_order_status_fault_with_an_unknown_template() -> None:
    _, sandbox = _status_errors({"type": "BRAZIL", "id": "a b"}, template="no_such_template")
    assert sandbox is not None
    assert {f"{STATUS}.payment.id", "messages[0].content.templateName"} <= sandbox
