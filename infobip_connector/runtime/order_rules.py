"""Rules of a WhatsApp template's ORDER_DETAILS button that a JSON Schema cannot say.

Infobip's OpenAPI description (``TemplateOrderDetailsActionContent``) gives the order's
``payment`` a ``type`` discriminator (``TemplateAllowedOrderPaymentDetails``), each type its
own members, and a BRAZIL_PAYMENTS payment a list of payments discriminated the same way
(``InteractiveAllowedOrderBrazilPaymentsDetails``: BRAZIL_PIX_DC, BRAZIL_BOLETO or
BRAZIL_LINK, the schema's options). ``connector.yaml`` declares one object
with every member, as it does for buttons; these rules say which members each type takes.
Each rule gets a schema-valid value and returns ``{"path": below the value, "message"}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .order_sums import catalog_free_items, documented_order_problems
from .problems import Covering
from .template_rules import Problems, payment_id_problems, type_members

_PIX = (("id", "code", "merchantName", "keyType", "key"), ("flowType",))
_BOLETO = (("id", "code"), ())
_LINK = (("id", "paymentLink"), ())

#: Members of each payment type: (required, optional), from the ``required`` lists of
#: ``InteractiveOrder*PaymentDetails``.
PAYMENT_MEMBERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "BRAZIL_PIX_DC": _PIX,
    "BRAZIL_LINK": _LINK,
    "BRAZIL_BOLETO": _BOLETO,
    "BRAZIL_PAYMENTS": (("payments",), ()),
    "PG_PAYU": (("id",), ("beneficiary", "callbackData")),
    "PG_RAZORPAY": (("id",), ("beneficiary", "callbackData")),
    "UPI_INTENT": (("id", "format"), ("beneficiary",)),
    "UPI_LINK": (("id", "paymentLink"), ("beneficiary",)),
}
_ALL_PAYMENT_MEMBERS = tuple(
    dict.fromkeys(
        name for needed, optional in PAYMENT_MEMBERS.values() for name in needed + optional
    )
)

#: The form of ``callbackData`` each payment type takes (``callbackData`` is a ONE_OF of
#: both): ``InteractiveOrderUPIPGPayUPaymentDetails`` a list of strings (up to 4, each 1 to
#: 255 characters: the list form's own limits), ``InteractiveOrderUPIPGRazorpayPaymentDetails``
#: an object of strings.
CALLBACK_DATA_FORMS: dict[str, tuple[type, str, str]] = {
    "PG_PAYU": (list, "a list of texts", '["A-17"]'),
    "PG_RAZORPAY": (dict, "an object of texts", '{"orderRef": "A-17"}'),
}

#: ``paymentConfiguration``, per the description: "Can be omitted for Brazil PIX, UPI Link
#: and must be omitted for Brazil link, Brazil Boleto, Brazil Payments and UPI Intent
#: payment" (so the payment gateways, PG_PAYU and PG_RAZORPAY, need one).
CONFIGURATION_REFUSED = frozenset({"BRAZIL_LINK", "BRAZIL_BOLETO", "BRAZIL_PAYMENTS", "UPI_INTENT"})
CONFIGURATION_REQUIRED = frozenset({"PG_PAYU", "PG_RAZORPAY"})
#: ``orderDetailsType: QUICK_PAY`` is "applicable for PG PayU and PG Razorpay".
QUICK_PAY_TYPES = CONFIGURATION_REQUIRED


def order_details_payment(payment: dict[str, Any], now: datetime) -> Problems:
    """The members of an order's ``payment`` (or of one of a BRAZIL_PAYMENTS payment's
    ``payments``) are those of its ``type``, and its ``id`` is in the described form."""
    kind = payment["type"]
    needed, optional = PAYMENT_MEMBERS[kind]
    problems = type_members(payment, "a payment", needed, optional, _ALL_PAYMENT_MEMBERS)
    problems += _callback_data_form(payment, kind)
    payment_id = payment.get("id")
    if isinstance(payment_id, str):
        problems += payment_id_problems(payment_id, kind)
    return problems


def _callback_data_form(payment: dict[str, Any], kind: str) -> Problems:
    """``callbackData`` in the form of the payment's type (another type's is refused)."""
    form = CALLBACK_DATA_FORMS.get(kind)
    given = payment.get("callbackData")
    # An empty map stays ``{}`` while it is checked and is then dropped (not given).
    if form is None or not given or isinstance(given, form[0]):
        return []
    message = f"must be {form[1]} for a {kind} payment, such as {form[2]}"
    for other, (shape, said, _) in CALLBACK_DATA_FORMS.items():
        if isinstance(given, shape):
            message += f" ({said} is {other}'s form)"
    # What is wrong inside the other form is moot: the whole value is to be rewritten.
    return [{"path": "callbackData", "message": Covering(message)}]


def order_details(action: dict[str, Any], now: datetime) -> Problems:
    """``order_details_forms``, and the rules between the order's members Infobip documents
    (``order_sums.py``)."""
    return order_details_forms(action, now) + documented_order_problems(action)


def order_details_forms(action: dict[str, Any], now: datetime) -> Problems:
    """``paymentConfiguration`` and ``orderDetailsType`` as the payment's type allows them,
    and an item's origin members as ``catalogId`` asks: the members one member's value
    decides (run even where the schema found a problem, form_rules.py)."""
    kind = action["payment"]["type"]
    if kind not in PAYMENT_MEMBERS:
        return []  # the schema refuses it: what it would decide is moot
    problems: Problems = []
    if "paymentConfiguration" in action and kind in CONFIGURATION_REFUSED:
        refused = Covering(f"must be left out for a {kind} payment")
        problems.append({"path": "paymentConfiguration", "message": refused})
    if "paymentConfiguration" not in action and kind in CONFIGURATION_REQUIRED:
        message = f"is required for a {kind} payment: the name of its payment configuration"
        problems.append({"path": "paymentConfiguration", "message": message})
    order = action["order"]
    if "orderDetailsType" in order and kind not in QUICK_PAY_TYPES:
        said = f"QUICK_PAY applies to PG_PAYU and PG_RAZORPAY payments only, not {kind}"
        problems.append({"path": "order.orderDetailsType", "message": Covering(said)})
    return problems + catalog_free_items(action)
