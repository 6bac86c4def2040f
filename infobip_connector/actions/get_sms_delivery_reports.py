"""Get SMS Delivery Reports: ``GET /sms/3/reports``
(Infobip's ``get-outbound-sms-message-delivery-reports-v3``), a consume.

Each report is handed out once. The filters (``bulkId``, ``messageId``, ``limit``,
``entityId``, ``applicationId``, ``campaignReferenceId``) are query parameters, placed by
the runtime as ``connector.yaml`` declares them; there is no body.
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest
from .lists import FILTERS, consumed, reference

PATH = "/sms/3/reports"

# Logs keep every message of the last 48 hours, fetched or not, and take the same filters.
LOGS = "Get SMS Logs (GET /sms/3/logs)"
WITHOUT_FILTERS = (
    f"{LOGS} with sentSince 48 hours before this pull (the logs keep the last 48 hours) lists "
    "the messages sent since, with their current status; those whose reports were lost are "
    "among them"
)


def look_up(values: dict[str, Any]) -> str:
    """Where the reports a lost pull took can still be seen: the logs, with the filters the
    pull used, or by time when it used none (there are then no IDs to look up)."""
    given = [name for name in FILTERS if name in values]
    if not given:
        return WITHOUT_FILTERS
    return (
        f"{LOGS} with the same {' / '.join(given)} lists these messages with their current status"
    )


def build_request(values: dict[str, Any]) -> InfobipRequest:
    return InfobipRequest("GET", PATH, None, reference(values, look_up(values)))


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return consumed(body, request)
