"""The ``action`` of an ORDER_DETAILS template button, as the sandbox checks it.

From Infobip's OpenAPI description: ``TemplateOrderDetailsActionContent`` (the order, its
amounts and its ``payment``), whose ``payment`` is discriminated by ``type``
(``TemplateAllowedOrderPaymentDetails``: each type's members and which it requires, as in
``InteractiveOrder*PaymentDetails``), as are the payments of a BRAZIL_PAYMENTS payment. The
shape is checked by ``ORDER_DETAILS_ACTION``; ``payment_problems`` checks the members of
each payment's type, answered as the endpoint answers other fields (``must not be null``
for a missing one, ``unrecognized field`` for one its type does not have).
"""

from __future__ import annotations

import re
from typing import Any

from .validation import Arr, Forms, Free, Int, Obj, Str

_INT32_MAX = 2**31 - 1
#: A payment ``id``'s ``pattern`` (every ``InteractiveOrder*PaymentDetails``), matched whole.
_PAYMENT_ID = re.compile(r"[A-Za-z0-9\-_.]{1,35}")


def _six_digits(text: str) -> str | None:
    """``Beneficiary.postalCode``'s pattern ``^[0-9]{6}$``."""
    return None if len(text) == 6 and text.isascii() and text.isdigit() else "must be 6 digits"


def _not_spaces(text: str) -> str | None:
    """An optional text is empty (the connector leaves it out) or shows something: the
    connector refuses a blank input text, so the sandbox does too."""
    return "must not be blank" if text and not text.strip() else None


def _payment_id(text: str) -> str | None:
    return None if _PAYMENT_ID.fullmatch(text) else f'must match "{_PAYMENT_ID.pattern}"'


# Amounts are not negative and an item's quantity is at least 1: the connector refuses both
# (the description states int32 only), and the sandbox refuses what the connector does.
_AMOUNT_VALUE = Int(True, minimum=0, maximum=_INT32_MAX)
_AMOUNT = Obj({"value": _AMOUNT_VALUE}, required=True)
_DESCRIBED = Obj(
    {"value": _AMOUNT_VALUE, "description": Str(max_len=60, check=_not_spaces)},
    required=True,
)
_PIX_KEY_TYPES = ("CPF", "CNPJ", "EMAIL", "PHONE", "EVP")
_PIX_FLOW_TYPES = ("REDIRECT", "COPYPASTE", "APPSWITCH")
_BRAZIL_PAYMENT_TYPES = ("BRAZIL_PIX_DC", "BRAZIL_BOLETO", "BRAZIL_LINK")
_BENEFICIARY = Obj(
    {
        "name": Str(True, max_len=200, not_blank=True),
        "firstAddressLine": Str(True, max_len=100, not_blank=True),
        "secondAddressLine": Str(max_len=100, check=_not_spaces),
        "city": Str(check=_not_spaces),
        "state": Str(check=_not_spaces),
        "country": Str(True, enum=("INDIA",)),
        "postalCode": Str(check=_six_digits),
    }
)
_BRAZIL_MEMBERS = {
    "id": Str(check=_payment_id),
    "code": Str(not_blank=True),
    "merchantName": Str(not_blank=True),
    "keyType": Str(enum=_PIX_KEY_TYPES),
    "key": Str(not_blank=True),
    "flowType": Str(enum=_PIX_FLOW_TYPES),
    "paymentLink": Str(not_blank=True),
}
# PG_PAYU's list items are 1 to 255 characters; PG_RAZORPAY's map values any string.
_CALLBACK_ITEM = Str(min_len=1, max_len=255, check=_not_spaces)
_CALLBACK_VALUE = Str(min_len=1, check=_not_spaces)
_PAYMENT = Obj(
    {
        "type": Str(
            True,
            enum=(
                *_BRAZIL_PAYMENT_TYPES,
                "BRAZIL_PAYMENTS",
                "PG_PAYU",
                "PG_RAZORPAY",
                "UPI_INTENT",
                "UPI_LINK",
            ),
        ),
        **_BRAZIL_MEMBERS,
        "payments": Arr(
            Obj({**_BRAZIL_MEMBERS, "type": Str(True, enum=_BRAZIL_PAYMENT_TYPES)}),
            min_items=1,
            max_items=2,
        ),
        "beneficiary": _BENEFICIARY,
        # PG_PAYU's list (InteractiveOrderUPIPGPayUPaymentDetails) or PG_RAZORPAY's map.
        "callbackData": Forms(
            Arr(_CALLBACK_ITEM, max_items=4),
            Free(_CALLBACK_VALUE),
            takes=(("PG_PAYU", "array"), ("PG_RAZORPAY", "map")),
        ),
        "format": Obj(
            {"type": Str(True, enum=("LINK",)), "paymentLink": Str(True, not_blank=True)}
        ),
    },
    required=True,
)
_ITEM = Obj(
    {
        "retailerId": Str(True, not_blank=True),
        "name": Str(True, 1, 60, not_blank=True),
        "amount": _AMOUNT,
        "saleAmount": Obj(_AMOUNT.fields),
        "quantity": Int(True, minimum=1, maximum=_INT32_MAX),
        "originCountry": Str(check=_not_spaces),
        "importerName": Str(check=_not_spaces),
        "importerAddress": Obj(
            {
                name: Str(check=_not_spaces)
                for name in (
                    "firstAddressLine",
                    "secondAddressLine",
                    "city",
                    "zoneCode",
                    "postalCode",
                    "countryCode",
                )
            }
        ),
    }
)
ORDER_DETAILS_ACTION = Obj(
    {
        "payment": _PAYMENT,
        "paymentConfiguration": Str(min_len=1, max_len=60, not_blank=True),
        "orderCurrency": Str(True, enum=("INR", "BRL")),
        "orderType": Str(True, enum=("PHYSICAL_GOODS", "DIGITAL_GOODS")),
        "totalAmount": _AMOUNT,
        "order": Obj(
            {
                "catalogId": Str(check=_not_spaces),
                "items": Arr(_ITEM, required=True, min_items=1),
                "subtotal": _AMOUNT,
                "tax": _DESCRIBED,
                "shipping": Obj(_DESCRIBED.fields),
                "discount": Obj(
                    {"amount": _DESCRIBED, "programName": Str(max_len=60, check=_not_spaces)}
                ),
                "orderExpiration": Obj(
                    {
                        "expirationSeconds": Int(True, minimum=360),
                        "description": Str(True, max_len=120, not_blank=True),
                    }
                ),
                "orderDetailsType": Str(enum=("QUICK_PAY",)),
            },
            required=True,
        ),
    }
)

_PIX = ("id", "code", "merchantName", "keyType", "key")
#: (required, every member) of each payment type, ``InteractiveOrder*PaymentDetails``.
_PAYMENT_MEMBERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "BRAZIL_PIX_DC": (_PIX, (*_PIX, "flowType")),
    "BRAZIL_LINK": (("id", "paymentLink"), ("id", "paymentLink")),
    "BRAZIL_BOLETO": (("id", "code"), ("id", "code")),
    "BRAZIL_PAYMENTS": (("payments",), ("payments",)),
    "PG_PAYU": (("id",), ("id", "beneficiary", "callbackData")),
    "PG_RAZORPAY": (("id",), ("id", "beneficiary", "callbackData")),
    "UPI_INTENT": (("id", "format"), ("id", "format", "beneficiary")),
    "UPI_LINK": (("id", "paymentLink"), ("id", "paymentLink", "beneficiary")),
}


def payment_problems(action: dict[str, Any], path: str) -> dict[str, list[str]]:
    """The members of the order's payment (and of a BRAZIL_PAYMENTS payment's payments) that
    its type requires but lacks, or does not have; ``path`` is the action's."""
    problems: dict[str, list[str]] = {}
    payment = action["payment"]
    _members_of_type(payment, f"{path}.payment", problems)
    for index, item in enumerate(payment.get("payments") or []):
        _members_of_type(item, f"{path}.payment.payments[{index}]", problems)
    return problems


def _members_of_type(payment: dict[str, Any], path: str, problems: dict[str, list[str]]) -> None:
    needed, every = _PAYMENT_MEMBERS[payment["type"]]
    for name in needed:
        if payment.get(name) is None:
            problems[f"{path}.{name}"] = ["must not be null"]
    for name in payment:
        if name != "type" and name not in every and payment[name] is not None:
            problems[f"{path}.{name}"] = ["unrecognized field"]


#: ``paymentConfiguration``: "Can be omitted for Brazil PIX, UPI Link and must be omitted for
#: Brazil link, Brazil Boleto, Brazil Payments and UPI Intent payment" (the gateways, PG_PAYU
#: and PG_RAZORPAY, need one, as the connector requires).
_CONFIGURATION_OMITTED = ("BRAZIL_LINK", "BRAZIL_BOLETO", "BRAZIL_PAYMENTS", "UPI_INTENT")
_CONFIGURATION_NEEDED = ("PG_PAYU", "PG_RAZORPAY")
#: The order-details endpoint's documented 400 messages (its examples ``Total amount``,
#: ``Sale amount`` and ``Missing catalogId validation error response``), word for word.
TOTAL_AMOUNT_MESSAGE = "totalAmount must be sum of subtotal, tax and shipping reduced by discount"
SALE_AMOUNT_MESSAGE = "saleAmount must be less than amount"
CATALOG_MESSAGE = (
    "if catalogId is not present then originCountry, importerName and importerAddress "
    "must be specified"
)


def _value(amount: Any) -> int:
    return amount["value"] if isinstance(amount, dict) else 0


def order_problems(action: dict[str, Any], path: str) -> dict[str, list[str]]:
    """The rules between a shape-valid action's members, at the paths Infobip answers them
    (``path`` is the action's): the documented 400s, "Each payment must have same ID" of a
    BRAZIL_PAYMENTS payment, and ``paymentConfiguration`` and ``orderDetailsType`` as the
    payment's type allows them."""
    problems: dict[str, list[str]] = {}
    order, payment = action["order"], action["payment"]
    discount = (order.get("discount") or {}).get("amount")
    parts = _value(order["subtotal"]) + _value(order["tax"]) + _value(order.get("shipping"))
    if action["totalAmount"]["value"] != parts - _value(discount):
        problems[path] = [TOTAL_AMOUNT_MESSAGE]
    for index, item in enumerate(order["items"]):
        sale = item.get("saleAmount")
        if sale is not None and sale["value"] >= item["amount"]["value"]:
            problems[f"{path}.order.items[{index}]"] = [SALE_AMOUNT_MESSAGE]
    # An empty catalogId is no catalog, as the connector (which leaves it out) reads it.
    if not order.get("catalogId") and any(
        item.get(name) is None
        for item in order["items"]
        for name in ("originCountry", "importerName", "importerAddress")
    ):
        problems[f"{path}.order"] = [CATALOG_MESSAGE]
    payments = payment.get("payments") or []
    for index, item in enumerate(payments[1:], start=1):
        if item.get("id") != payments[0].get("id"):
            problems[f"{path}.payment.payments[{index}].id"] = ["each payment must have same ID"]
    kind = payment["type"]
    configured = action.get("paymentConfiguration") is not None
    if configured and kind in _CONFIGURATION_OMITTED:
        problems[f"{path}.paymentConfiguration"] = [f"must be omitted for {kind} payment"]
    if not configured and kind in _CONFIGURATION_NEEDED:
        problems[f"{path}.paymentConfiguration"] = ["must not be null"]
    if order.get("orderDetailsType") is not None and kind not in _CONFIGURATION_NEEDED:
        problems[f"{path}.order.orderDetailsType"] = ["applicable for PG PayU and PG Razorpay only"]
    return problems


#: ``InteractiveOrderUPIPayUPaymentStatus.id``: 1 to 25 characters; every other type's
#: status ``id`` has the payment ``id`` pattern.
_UPI_PAYU_ID_LIMIT = 25


def order_status_problems(data: dict[str, Any], path: str) -> dict[str, list[str]]:
    """The payment ``id`` of each of a shape-valid ``templateData``'s order statuses, in the
    form of its payment type (``path`` is the template data's), and no blank description."""
    problems: dict[str, list[str]] = {}
    statuses = (data.get("orderStatus") or {}).get("orderStatuses") or []
    for index, status in enumerate(statuses):
        where = f"{path}.orderStatus.orderStatuses[{index}]"
        payment_id = status["payment"]["id"]
        if status["payment"]["type"] != "UPI_PAYU":
            problem = _payment_id(payment_id)
        elif len(payment_id.encode("utf-16-le", "surrogatepass")) // 2 > _UPI_PAYU_ID_LIMIT:
            problem = f"size must be between 1 and {_UPI_PAYU_ID_LIMIT}"
        else:
            problem = None
        if problem is not None:
            problems[f"{where}.payment.id"] = [problem]
        if (blank := _not_spaces(status.get("description") or "")) is not None:
            problems[f"{where}.description"] = [blank]
    return problems
