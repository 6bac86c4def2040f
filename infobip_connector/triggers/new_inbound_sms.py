"""New Inbound SMS: Infobip's ``receive-inbound-sms-messages`` webhook (format ``MO_JSON_2``)
and, polled, ``GET /sms/1/inbox/reports`` (the getInboundSms action): the same items.

One event per received message; a message is the same event however often it comes (its
``messageId``).
"""

from __future__ import annotations

from typing import Any

from .results import field, results_of


def events_from_body(body: Any) -> list[dict[str, Any]]:
    return results_of(body)


def event_key(event: dict[str, Any]) -> str:
    return field(event, "messageId")
