"""The rules on an object of the input that a JSON Schema cannot say, by name.

``connector.yaml`` names them on a property (``rules``); each is a function of the value and
the time of the check that returns its problems, paths relative to the value. The rules of
templates, orders and filters live in modules of their own; this table joins them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .filter_rules import instant, mnc_needs_mcc, no_comma, sent_since_before_until
from .form_rules import rules_where_tainted
from .order_rules import order_details, order_details_forms, order_details_payment
from .problems import given
from .template_rules import (
    order_payment,
    template_button,
    template_buttons,
    template_data,
    template_header,
)
from .timeutil import (
    PAST_GRACE,
    SCHEDULE_HORIZON,
    ZoneConflict,
    resolve_send_at,
    zone,
)

Problems = list[dict[str, str]]

_LINK = re.compile(r"https?://\S", re.IGNORECASE)


# ---------------------------------------------------------------- object rules


def _window_ends(window: dict[str, Any], now: datetime) -> Problems:
    start, end = window.get("from"), window.get("to")
    if (start is None) != (end is None):
        missing = "to" if end is None else "from"
        return [{"path": missing, "message": "give 'from' and 'to' together"}]
    return []


def _delivery_time_window(window: dict[str, Any], now: datetime) -> Problems:
    start, end = window.get("from"), window.get("to")
    if start is None or end is None:
        return _window_ends(window, now)
    minutes = (end["hour"] * 60 + end["minute"]) - (start["hour"] * 60 + start["minute"])
    if minutes % (24 * 60) < 60:
        return [{"path": "to", "message": "must be at least one hour after 'from' (times in UTC)"}]
    return []


def _send_at(value: Any, now: datetime) -> Problems:
    if isinstance(value, dict) and "zoneId" in value:
        try:
            zone(value["zoneId"])
        except ValueError as exc:
            return [{"path": "zoneId", "message": str(exc)}]
    try:
        moment = resolve_send_at(value)
    except ZoneConflict as exc:
        return [{"path": member, "message": text} for member, text in exc.problems.items()]
    except ValueError as exc:
        return [{"path": "", "message": str(exc)}]
    if moment < now - PAST_GRACE:
        wrong = "is in the past"
    elif moment > now + SCHEDULE_HORIZON:
        wrong = "is more than 180 days ahead"
    else:
        return []
    window = "a message is scheduled from now to at most 180 days ahead"
    return [{"path": "", "message": f"{wrong}: {window}{given(value)}"}]


def _preview_url_needs_link(content: dict[str, Any], now: datetime) -> Problems:
    if content.get("previewUrl") is True and not _LINK.search(content.get("text", "")):
        return [
            {
                "path": "previewUrl",
                "message": "is true, but the text has no http:// or https:// URL",
            }
        ]
    return []


RULES: dict[str, Callable[[Any, datetime], Problems]] = {
    "deliveryTimeWindow": _delivery_time_window,
    "sendAt": _send_at,
    "previewUrlNeedsLink": _preview_url_needs_link,
    "templateData": template_data,
    "templateHeader": template_header,
    "templateButton": template_button,
    "templateButtons": template_buttons,
    "orderPayment": order_payment,
    "orderDetails": order_details,
    "orderDetailsPayment": order_details_payment,
    "instant": instant,
    "mncNeedsMcc": mnc_needs_mcc,
    "sentSinceBeforeUntil": sent_since_before_until,
    "noComma": no_comma,
}
#: The rules run where the schema found a problem at or below the place, in the same round:
#: the forms and members one member allows depend on another (a payment's ``type``, a
#: button's, a header's, ``catalogId``, ``mnc``, ``zoneId``, the presence of a header), and
#: what is wrong inside a member does not settle whether it belongs at all. Left out: the
#: rules of a value itself (``instant``, ``noComma``: the schema's problem there is told)
#: and sums of values that may be the ones at fault (a window's length, an order's totals).
FORM_RULES = rules_where_tainted(
    RULES, {"deliveryTimeWindow": _window_ends, "orderDetails": order_details_forms}
)
