"""Bodies the emulated API answers with: statuses, legacy error bodies and JSON encoding."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

JSON_TYPE = "application/json;charset=UTF-8"

StatusBody = dict[str, Any]

SMS_PENDING: StatusBody = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 26,
    "name": "PENDING_ACCEPTED",
    "description": "Message sent to next instance",
}
WHATSAPP_PENDING: StatusBody = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 7,
    "name": "PENDING_ENROUTE",
    "description": "Message sent to next instance",
}
REJECTED_DUPLICATE: StatusBody = {
    "groupId": 5,
    "groupName": "REJECTED",
    "id": 23,
    "name": "REJECTED_DUPLICATE_MESSAGE_ID",
    "description": "Message ID is duplicated",
}
REJECTED_NOT_REGISTERED: StatusBody = {
    "groupId": 5,
    "groupName": "REJECTED",
    "id": 51,
    "name": "REJECTED_DESTINATION_NOT_REGISTERED",
    "description": "Destination not registered",
}
DELIVERED: StatusBody = {
    "groupId": 3,
    "groupName": "DELIVERED",
    "id": 5,
    "name": "DELIVERED_TO_HANDSET",
    "description": "Message delivered to handset",
}
NO_ERROR: StatusBody = {
    "groupId": 0,
    "groupName": "OK",
    "id": 0,
    "name": "NO_ERROR",
    "description": "No Error",
    "permanent": False,
}

BALANCE: dict[str, Any] = {"balance": 47.79, "currency": "EUR"}

# Service exception ids and texts for the statuses the sandbox produces itself; any other status
# (a scripted fault) gets its HTTP reason phrase.
_SERVICE_EXCEPTIONS: dict[int, tuple[str, str]] = {
    400: ("BAD_REQUEST", "Bad request"),
    401: ("UNAUTHORIZED", "Invalid login details"),
    403: ("FORBIDDEN", "Forbidden"),
    404: ("NOT_FOUND", "Requested URL not found"),
    405: ("METHOD_NOT_ALLOWED", "Request method not supported"),
    408: ("REQUEST_TIMEOUT", "Request timed out"),
    413: ("PAYLOAD_TOO_LARGE", "Request body too large"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "Content type not supported; send application/json"),
    429: ("TOO_MANY_REQUESTS", "Too many requests"),
    500: ("GENERAL_ERROR", "Something went wrong. Please contact support."),
    503: ("SERVICE_UNAVAILABLE", "Service temporarily unavailable"),
}


def error_body(
    status: int, validation_errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """The legacy ``requestError.serviceException`` body for an HTTP status."""
    known = _SERVICE_EXCEPTIONS.get(status)
    if known is None:
        try:
            phrase = HTTPStatus(status)
            known = (phrase.name, phrase.phrase)
        except ValueError:
            known = ("ERROR", "Error")
    exception: dict[str, Any] = {"messageId": known[0], "text": known[1]}
    if validation_errors:
        exception["validationErrors"] = validation_errors
    return {"requestError": {"serviceException": exception}}


def encode(body: Any) -> bytes:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    # A lone surrogate echoed from a request cannot be UTF-8; its escape is valid JSON.
    return text.encode("utf-8", "backslashreplace")


def timestamp(moment: datetime | None = None) -> str:
    """Infobip's date-time style: milliseconds and a colon-less offset."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"
