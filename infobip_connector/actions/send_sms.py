"""Send SMS: ``POST /sms/2/text/advanced``."""

from __future__ import annotations

from itertools import chain
from operator import itemgetter
from typing import Any

from ..request import InfobipRequest, Recipients
from ..runtime.timeutil import infobip_datetime, resolve_send_at
from .answer_fields import filled

PATH = "/sms/2/text/advanced"
_DESTINATIONS, _MESSAGE_ID, _TO = (
    itemgetter("destinations"),
    itemgetter("messageId"),
    itemgetter("to"),
)


def build_request(values: dict[str, Any]) -> InfobipRequest:
    messages = values["messages"]
    # Most messages are sent at once: only a scheduled one is rewritten, and without one the
    # checked values are the body as they are (no copies to keep until the answer is in).
    body = values
    if any("sendAt" in m for m in messages):
        messages = [m if "sendAt" not in m else _message(m) for m in messages]
        body = {**values, "messages": messages}
    # Two columns of the strings the destinations hold: no object per recipient, and
    # read in C (a small send's share of the work is mostly calls). One message (nearly
    # every send) lends its own list of destinations, only read here.
    destinations = (
        messages[0]["destinations"]
        if len(messages) == 1
        else list(chain.from_iterable(map(_DESTINATIONS, messages)))
    )
    ids = list(map(_MESSAGE_ID, destinations))
    tos = list(map(_TO, destinations))
    reference = {"bulkId": values["bulkId"], "messageIds": ids[:]}
    return InfobipRequest("POST", PATH, body, reference, recipients=Recipients(ids, tos))


def _message(message: dict[str, Any]) -> dict[str, Any]:
    # Infobip takes one string with a numeric offset; the zone was resolved by the checks.
    # (A whole number such as validityPeriod is already an int: runtime/whole_numbers.py.)
    return {**message, "sendAt": infobip_datetime(resolve_send_at(message["sendAt"]))}


def shape_output(body: Any, request: InfobipRequest) -> Any:
    # Infobip's answer already has the declared shape (bulkId, messages[...]); the runtime
    # drops anything undeclared. Fill the bulk ID for answers that omit it (or give null).
    return filled(body, "bulkId", request.reference["bulkId"])
