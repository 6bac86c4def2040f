"""Get SMS Delivery Reports: ``GET /sms/3/reports``
(Infobip's ``get-outbound-sms-message-delivery-reports-v3``), a consume.

Each report is handed out once. The filters (``bulkId``, ``messageId``, ``limit``,
``entityId``, ``applicationId``, ``campaignReferenceId``) are query parameters, placed by
the runtime as ``connector.yaml`` declares them; there is no body.
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest
from .lists import consumed, reference

PATH = "/sms/3/reports"

# Logs keep every message of the last 48 hours, fetched or not.
LOOK_UP = (
    "Get SMS Logs (GET /sms/3/logs) with the same bulkId / messageId lists these messages "
    "with their current status"
)


def build_request(values: dict[str, Any]) -> InfobipRequest:
    return InfobipRequest("GET", PATH, None, reference(values, LOOK_UP))


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return consumed(body, request)
