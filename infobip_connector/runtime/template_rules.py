"""Rules of a WhatsApp template message's data, header and buttons that a JSON Schema cannot say.

Infobip's OpenAPI description (``send-whatsapp-template-message``) gives the header and each
button a ``type`` discriminator, and each type its own members and limits. The connector
declares one object with every member (an editor shows one form, engines read one plain
schema); these rules say which members each type takes. Each rule gets a schema-valid value
and returns problems as ``{"path": member below the value, "message": ...}``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..definition.texts import over_limit, too_long
from .problems import Covering, given
from .timeutil import parse_instant

Problems = list[dict[str, str]]

#: Members of each header type: ``TemplateTextHeaderContent``, ``...DocumentHeader...``, ...
#: In the OpenAPI description every one of them is required for its type.
HEADER_MEMBERS: dict[str, tuple[str, ...]] = {
    "TEXT": ("placeholder",),
    "DOCUMENT": ("mediaUrl", "filename"),
    "IMAGE": ("mediaUrl",),
    "VIDEO": ("mediaUrl",),
    "GIF": ("mediaUrl",),
    "LOCATION": ("latitude", "longitude"),
}
_ALL_HEADER_MEMBERS = ("placeholder", "mediaUrl", "filename", "latitude", "longitude")

#: Members of each button type (``TemplateQuickReplyButtonContent``, ...): (required,
#: optional), from the OpenAPI description's ``required`` lists (an ORDER_DETAILS button's
#: ``action`` has rules of its own, ``order_rules.py``).
BUTTON_MEMBERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "QUICK_REPLY": (("parameter",), ()),
    "URL": (("parameter",), ()),
    "COPY_CODE": (("parameter",), ()),
    "FLOW": ((), ("flowToken", "data")),
    "CATALOG": ((), ("thumbnailProductRetailerId",)),
    "MULTI_PRODUCT": (("sections",), ("thumbnailProductRetailerId",)),
    "VOICE_CALL": ((), ("callValidityPeriod", "callContextPayload")),
    "ORDER_DETAILS": (("action",), ()),
}
_ALL_BUTTON_MEMBERS = tuple(
    dict.fromkeys(
        name for needed, optional in BUTTON_MEMBERS.values() for name in needed + optional
    )
)

#: ``parameter`` limits per button type (UTF-16 code units), the OpenAPI description's
#: ``maxLength``. It gives none for a URL button's extension: that one is bounded by the
#: ``maxLength`` of every ``parameter`` in ``connector.yaml`` (2,000, WhatsApp's limit for a
#: whole button URL).
BUTTON_PARAMETER_LIMITS: dict[str, int] = {"QUICK_REPLY": 128, "COPY_CODE": 15}

#: The most buttons of a type one template may have (the description of ``buttons``).
BUTTON_TYPE_LIMITS: dict[str, tuple[int, str]] = {
    "URL": (2, "two dynamic URL buttons"),
    "COPY_CODE": (1, "one copy code button"),
}

#: A body placeholder's limit when the template has a header, footer or buttons (UTF-16
#: code units): WhatsApp's, as ``connector.yaml`` describes ``placeholders``. Without
#: them the schema's ``maxLength`` (32,768) holds. A footer has no values in the input,
#: so only a header or buttons given show that the template has more than a body.
BODY_PLACEHOLDER_LIMIT_WITH_PARTS = 1024
#: WhatsApp refuses a parameter with more spaces in a row than this (Infobip's
#: ``validationErrors`` example for ``content.templateData.header.placeholder``: "cannot
#: have new-line/tab characters or more than 4 consecutive spaces"; WhatsApp's error
#: 132018 says the same of every text parameter). Line breaks and tabs are already
#: refused by the one-line pattern of these values.
MOST_SPACES_IN_A_ROW = 4
_SPACES = re.compile(f" {{{MOST_SPACES_IN_A_ROW + 1},}}")


def template_data(data: dict[str, Any], now: datetime) -> Problems:
    """The placeholders of ``templateData`` within WhatsApp's limits: no more than four
    spaces in a row (body and header), and each body value at most 1,024 characters when
    a header or buttons are given; a limited-time offer that has not expired yet."""
    body = data.get("body")
    placeholders = body.get("placeholders", []) if isinstance(body, dict) else []
    with_parts = bool(data.get("header")) or bool(data.get("buttons"))
    problems = []
    for index, value in enumerate(placeholders):
        place = f"body.placeholders[{index}]"
        if not isinstance(value, str):
            continue
        if with_parts and over_limit(value, BODY_PLACEHOLDER_LIMIT_WITH_PARTS):
            limit = BODY_PLACEHOLDER_LIMIT_WITH_PARTS
            said = too_long(limit, value)
            problems.append(
                {
                    "path": place,
                    "message": f"{said}: WhatsApp's limit for a body "
                    "placeholder of a template with a header, footer or buttons",
                }
            )
        problems += _spaces(place, value)
    header = data.get("header")
    if isinstance(header, dict) and isinstance(header.get("placeholder"), str):
        problems += _spaces("header.placeholder", header["placeholder"])
    return problems + _expired_offer(data.get("limitedTimeOffer"), now)


def _expired_offer(offer: Any, now: datetime) -> Problems:
    """An offer whose ``expirationTime`` has passed: the recipient would get an expired code,
    as a past ``sendAt`` would never be sent. A time that does not parse is the ``instant``
    rule's to report."""
    text = offer.get("expirationTime") if isinstance(offer, dict) else None
    if not isinstance(text, str):
        return []
    try:
        moment = parse_instant(text)
    except ValueError:
        return []
    if moment > now:
        return []
    message = (
        "is in the past: the offer would arrive already expired; give a time still to come"
        + given(text)
    )
    return [{"path": "limitedTimeOffer.expirationTime", "message": message}]


def _spaces(place: str, value: str) -> Problems:
    found = _SPACES.search(value)
    if found is None:
        return []
    message = (
        f"has {len(found.group())} spaces in a row at position {found.start() + 1}; WhatsApp "
        f"refuses more than {MOST_SPACES_IN_A_ROW} consecutive spaces in a placeholder"
    )
    return [{"path": place, "message": message}]


def template_header(header: dict[str, Any], now: datetime) -> Problems:
    """The members of ``header`` are those of its ``type``: each given, no other."""
    wanted = HEADER_MEMBERS[header["type"]]
    return type_members(header, "a header", wanted, (), _ALL_HEADER_MEMBERS)


def template_button(button: dict[str, Any], now: datetime) -> Problems:
    """The members of ``button`` are those of its ``type`` (the required ones given), and a
    ``parameter`` is within the limit of its type."""
    needed, optional = BUTTON_MEMBERS[button["type"]]
    problems = type_members(button, "a button", needed, optional, _ALL_BUTTON_MEMBERS)
    limit = BUTTON_PARAMETER_LIMITS.get(button["type"])
    parameter = button.get("parameter")
    if limit is not None and isinstance(parameter, str) and over_limit(parameter, limit):
        problems.append({"path": "parameter", "message": too_long(limit, parameter)})
    return problems


def type_members(
    value: dict[str, Any],
    what: str,
    needed: tuple[str, ...],
    optional: tuple[str, ...],
    every: tuple[str, ...],
) -> Problems:
    """``needed`` members of ``value`` given, and none of ``every`` but those and ``optional``."""
    kind = value["type"]
    problems = [
        {"path": name, "message": f"is required when type is {kind}"}
        for name in needed
        if name not in value
    ]
    takes = " and ".join(needed + optional)
    said = f"it takes {takes}" if takes else "it takes no other member"
    problems += [
        {"path": name, "message": Covering(f"does not belong to {what} of type {kind} ({said})")}
        for name in every
        if name in value and name not in needed + optional
    ]
    return problems


#: A payment ID of an order status: ``InteractiveOrderUPIPayUPaymentStatus`` takes 1 to 25
#: characters, every other payment type the pattern ``[A-Za-z0-9\-_.]{1,35}`` (written
#: without anchors in the description; read as the whole ID).
UPI_PAYU_ID_LIMIT = 25
PAYMENT_ID = re.compile(r"[A-Za-z0-9\-_.]{1,35}")


def order_payment(payment: dict[str, Any], now: datetime) -> Problems:
    """The ``id`` of an order status's ``payment`` in the form its ``type`` takes."""
    payment_id = payment["id"]
    if payment["type"] == "UPI_PAYU":
        if over_limit(payment_id, UPI_PAYU_ID_LIMIT):
            said = too_long(UPI_PAYU_ID_LIMIT, payment_id)
            return [{"path": "id", "message": f"{said} for a UPI_PAYU payment"}]
        return []
    return payment_id_problems(payment_id, payment["type"])


def payment_id_problems(payment_id: str, kind: str) -> Problems:
    """A payment ``id`` of ``kind`` matching ``PAYMENT_ID`` whole."""
    if PAYMENT_ID.fullmatch(payment_id) is None:
        said = "must be 1 to 35 letters (A-Z, a-z), digits, '-', '_' or '.'"
        message = f"{said} for a {kind} payment"
        return [{"path": "id", "message": message}]
    return []


def template_buttons(buttons: list[dict[str, Any]], now: datetime) -> Problems:
    """At most two dynamic URL buttons and one copy code button per message."""
    problems = []
    for kind, (most, said) in BUTTON_TYPE_LIMITS.items():
        count = sum(1 for button in buttons if button.get("type") == kind)
        if count > most:
            problems.append(
                {
                    "path": "",
                    "message": f"has {count} {kind} buttons; a template has at most {said}",
                }
            )
    return problems
