"""Send SMS: ``POST /sms/2/text/advanced``."""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest, Recipients
from ..runtime.timeutil import infobip_datetime, resolve_send_at

PATH = "/sms/2/text/advanced"


def build_request(values: dict[str, Any]) -> InfobipRequest:
    # Most messages are sent at once: only a scheduled one is rewritten (no call for others).
    messages = [m if "sendAt" not in m else _message(m) for m in values["messages"]]
    # Two columns of the strings the destinations hold: no object per recipient.
    ids = [d["messageId"] for m in messages for d in m["destinations"]]
    tos = [d["to"] for m in messages for d in m["destinations"]]
    reference = {"bulkId": values["bulkId"], "messageIds": ids[:]}
    body = {**values, "messages": messages}
    return InfobipRequest("POST", PATH, body, reference, recipients=Recipients(ids, tos))


def _message(message: dict[str, Any]) -> dict[str, Any]:
    # Infobip takes one string with a numeric offset; the zone was resolved by the checks.
    # (A whole number such as validityPeriod is already an int: runtime/whole_numbers.py.)
    return {**message, "sendAt": infobip_datetime(resolve_send_at(message["sendAt"]))}


def shape_output(body: Any, request: InfobipRequest) -> Any:
    # Infobip's answer already has the declared shape (bulkId, messages[...]); the runtime
    # drops anything undeclared. Fill the bulk ID for answers that omit it.
    if isinstance(body, dict) and "bulkId" not in body:
        return {"bulkId": request.reference["bulkId"], **body}
    return body
