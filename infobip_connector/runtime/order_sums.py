"""Rules between the members of an ORDER_DETAILS order that Infobip documents in words.

Infobip's OpenAPI description gives each of these as a 400 answer of the order-details
endpoint (its examples ``Total amount validation error response``, ``Sale amount validation
error response`` and ``Missing catalogId validation error response``) for the order object
the template button shares (``InteractiveOrderDetailsOrder``), or in a schema description
(``InteractiveOrderBrazilPaymentsDetails.payments``: "Each payment must have same ID"). Only
what those words say is checked: no other sum (the subtotal against the items, say) and no
pairing of currency, payment type and template variant, which the description does not state.

Each function gets the schema-valid ``action`` and returns ``{"path": below the action,
"message"}``; amounts are the whole numbers the action carries (value times 100).
"""

from __future__ import annotations

from typing import Any

Problems = list[dict[str, str]]

#: An item's members Infobip requires when the order has no ``catalogId`` ("Required when
#: catalogId is not provided"; the 400 "if catalogId is not present then originCountry,
#: importerName and importerAddress must be specified").
CATALOG_FREE_MEMBERS = ("originCountry", "importerName", "importerAddress")


def _value(amount: Any) -> int:
    """An optional ``{"value": n}`` amount's value, 0 when it is not given."""
    return amount["value"] if isinstance(amount, dict) else 0


def total_amount(action: dict[str, Any]) -> Problems:
    """``totalAmount`` is ``subtotal + tax + shipping - discount`` (Infobip's 400: "totalAmount
    must be sum of subtotal, tax and shipping reduced by discount")."""
    order = action["order"]
    subtotal, tax = _value(order.get("subtotal")), _value(order.get("tax"))
    shipping = _value(order.get("shipping"))
    discount = _value((order.get("discount") or {}).get("amount"))
    expected = subtotal + tax + shipping - discount
    given = _value(action.get("totalAmount"))
    if given == expected:
        return []
    sum_said = f"{subtotal} + {tax} + {shipping} - {discount} = {expected}"
    message = (
        "must be the sum of subtotal, tax and shipping reduced by discount: "
        f"{sum_said} (got {given})"
    )
    return [{"path": "totalAmount", "message": message}]


def sale_amounts(action: dict[str, Any]) -> Problems:
    """An item's ``saleAmount`` is less than its ``amount`` (Infobip's 400: "saleAmount must
    be less than amount"; equal is not less)."""
    problems = []
    for index, item in enumerate(action["order"]["items"]):
        sale = item.get("saleAmount")
        if isinstance(sale, dict) and sale["value"] >= item["amount"]["value"]:
            message = (
                f"must be less than the item's amount ({item['amount']['value']}), "
                f"got {sale['value']}"
            )
            problems.append({"path": f"order.items[{index}].saleAmount", "message": message})
    return problems


def catalog_free_items(action: dict[str, Any]) -> Problems:
    """Without ``catalogId`` every item gives ``originCountry``, ``importerName`` and
    ``importerAddress``, each refused at the item's member that is missing."""
    order = action["order"]
    if order.get("catalogId") is not None:
        return []
    return [
        {
            "path": f"order.items[{index}].{name}",
            "message": "is required when the order has no catalogId",
        }
        for index, item in enumerate(order["items"])
        for name in CATALOG_FREE_MEMBERS
        if item.get(name) is None
    ]


def same_payment_ids(action: dict[str, Any]) -> Problems:
    """Every payment of a BRAZIL_PAYMENTS payment has the first one's ``id`` ("Each payment
    must have same ID")."""
    payment = action["payment"]
    if payment["type"] != "BRAZIL_PAYMENTS":
        return []
    payments = payment.get("payments") or [{}]
    first = payments[0].get("id")
    return [
        {
            "path": f"payment.payments[{index}].id",
            "message": f"must be the same ID as payments[0] ({first!r}): "
            "every payment of a BRAZIL_PAYMENTS payment has the same ID",
        }
        for index, item in enumerate(payments[1:], start=1)
        if isinstance(first, str) and isinstance(item.get("id"), str) and item["id"] != first
    ]


def documented_order_problems(action: dict[str, Any]) -> Problems:
    """The sums and equalities of this module on ``action`` (``catalog_free_items``, about
    which members an item takes, is order_rules.order_details_forms')."""
    return total_amount(action) + sale_amounts(action) + same_payment_ids(action)
