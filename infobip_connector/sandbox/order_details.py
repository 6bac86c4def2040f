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

from typing import Any

from .validation import Arr, Forms, Free, Int, Obj, Str

_INT32_MAX = 2**31 - 1


def _six_digits(text: str) -> str | None:
    """``Beneficiary.postalCode``'s pattern ``^[0-9]{6}$``."""
    return None if len(text) == 6 and text.isascii() and text.isdigit() else "must be 6 digits"


_AMOUNT = Obj({"value": Int(True, maximum=_INT32_MAX)}, required=True)
_DESCRIBED = Obj(
    {"value": Int(True, maximum=_INT32_MAX), "description": Str(max_len=60)}, required=True
)
_PIX_KEY_TYPES = ("CPF", "CNPJ", "EMAIL", "PHONE", "EVP")
_PIX_FLOW_TYPES = ("REDIRECT", "COPYPASTE", "APPSWITCH")
_BRAZIL_PAYMENT_TYPES = ("BRAZIL_PIX_DC", "BRAZIL_BOLETO", "BRAZIL_LINK")
_BENEFICIARY = Obj(
    {
        "name": Str(True, max_len=200),
        "firstAddressLine": Str(True, max_len=100),
        "secondAddressLine": Str(max_len=100),
        "city": Str(),
        "state": Str(),
        "country": Str(True, enum=("INDIA",)),
        "postalCode": Str(check=_six_digits),
    }
)
_BRAZIL_MEMBERS = {
    "id": Str(),
    "code": Str(),
    "merchantName": Str(),
    "keyType": Str(enum=_PIX_KEY_TYPES),
    "key": Str(),
    "flowType": Str(enum=_PIX_FLOW_TYPES),
    "paymentLink": Str(),
}
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
            Obj({**_BRAZIL_MEMBERS, "type": Str(True, enum=_BRAZIL_PAYMENT_TYPES)}), min_items=1
        ),
        "beneficiary": _BENEFICIARY,
        # PG_PAYU's list (InteractiveOrderUPIPGPayUPaymentDetails) or PG_RAZORPAY's map.
        "callbackData": Forms(
            Arr(Str(min_len=1, max_len=255), max_items=4), Free(Str(min_len=1, max_len=255))
        ),
        "format": Obj({"type": Str(True, enum=("LINK",)), "paymentLink": Str(True)}),
    },
    required=True,
)
_ITEM = Obj(
    {
        "retailerId": Str(True),
        "name": Str(True, 1, 60),
        "amount": _AMOUNT,
        "saleAmount": Obj(_AMOUNT.fields),
        "quantity": Int(True, maximum=_INT32_MAX),
        "originCountry": Str(),
        "importerName": Str(),
        "importerAddress": Obj(
            {
                name: Str()
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
        "paymentConfiguration": Str(min_len=1, max_len=60),
        "orderCurrency": Str(True, enum=("INR", "BRL")),
        "orderType": Str(True, enum=("PHYSICAL_GOODS", "DIGITAL_GOODS")),
        "totalAmount": _AMOUNT,
        "order": Obj(
            {
                "catalogId": Str(),
                "items": Arr(_ITEM, required=True),
                "subtotal": _AMOUNT,
                "tax": _DESCRIBED,
                "shipping": Obj(_DESCRIBED.fields),
                "discount": Obj({"amount": _DESCRIBED, "programName": Str(max_len=60)}),
                "orderExpiration": Obj(
                    {
                        "expirationSeconds": Int(True, minimum=360),
                        "description": Str(True, max_len=120),
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

#: The form of ``callbackData`` of the types that take it: a list of strings for PG_PAYU, a
#: map of strings for PG_RAZORPAY (the other is refused as its type's deserializer would).
_CALLBACK_DATA_FORMS: dict[str, tuple[type, str]] = {
    "PG_PAYU": (list, "must be an array"),
    "PG_RAZORPAY": (dict, "must be an object"),
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
    form = _CALLBACK_DATA_FORMS.get(payment["type"])
    given = payment.get("callbackData")
    if form is not None and given is not None and not isinstance(given, form[0]):
        problems[f"{path}.callbackData"] = [form[1]]
