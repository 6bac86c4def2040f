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
    if "sendAt" not in message:
        return message
    # Infobip takes one string with a numeric offset; the zone was resolved by the checks.
    # (A whole number such as validityPeriod is already an int: runtime/whole_numbers.py.)
    return {**message, "sendAt": infobip_datetime(resolve_send_at(message["sendAt"]))}


def shape_output(body: Any, request: InfobipRequest) -> Any:
    # Infobip's answer already has the declared shape (bulkId, messages[...]); the runtime
    # drops anything undeclared. Fill the bulk ID for answers that omit it.
    if isinstance(body, dict) and "bulkId" not in body:
        return {"bulkId": request.reference["bulkId"], **body}
    return body
