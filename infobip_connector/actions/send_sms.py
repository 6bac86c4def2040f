"""Send SMS: ``POST /sms/2/text/advanced``."""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest
from ..runtime.timeutil import infobip_datetime, resolve_send_at

PATH = "/sms/2/text/advanced"


def build_request(values: dict[str, Any]) -> InfobipRequest:
    messages = [_message(m) for m in values["messages"]]
    # A list comprehension, then a tuple: a generator costs a resumption per recipient.
    recipients = tuple([(d["messageId"], d["to"]) for m in messages for d in m["destinations"]])
    reference = {"bulkId": values["bulkId"], "messageIds": [m for m, _ in recipients]}
    body = {**values, "messages": messages}
    return InfobipRequest("POST", PATH, body, reference, recipients=recipients)


def _message(message: dict[str, Any]) -> dict[str, Any]:
    if "sendAt" not in message and "validityPeriod" not in message:
        return message
    wire = dict(message)
    if "sendAt" in wire:
        # Infobip takes one string with a numeric offset; the zone was resolved by the checks.
        wire["sendAt"] = infobip_datetime(resolve_send_at(wire["sendAt"]))
    if "validityPeriod" in wire:
        wire["validityPeriod"] = int(wire["validityPeriod"])
    return wire


def shape_output(body: Any, request: InfobipRequest) -> Any:
    # Infobip's answer already has the declared shape (bulkId, messages[...]); the runtime
    # drops anything undeclared. Fill the bulk ID for answers that omit it.
    if isinstance(body, dict) and "bulkId" not in body:
        return {"bulkId": request.reference["bulkId"], **body}
    return body
