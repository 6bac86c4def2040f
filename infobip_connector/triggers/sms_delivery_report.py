"""SMS Delivery Report: Infobip's ``receive-outbound-sms-message-reports-v3`` webhook (JSON or
XML) and, polled, ``GET /sms/3/reports`` (the getSmsDeliveryReports action): the same items.

One event per report. A message can be reported more than once as its status changes, so the
identity is the message with its status: a repeat of the same report is dropped, a later
status of the same message is a new event.
"""

from __future__ import annotations

from typing import Any

from .results import field, results_of


def events_from_body(body: Any) -> list[dict[str, Any]]:
    return results_of(body)


def event_key(event: dict[str, Any]) -> str:
    status = field(event, "status", "id") or field(event, "status", "name")
    return f"{field(event, 'messageId')}|{status}"
