"""Get SMS Logs: ``GET /sms/3/logs`` (Infobip's ``get-outbound-sms-message-logs-v3``), a read.

Every filter is a query parameter placed by the runtime as ``connector.yaml`` declares it
(arrays as repeated pairs, OpenAPI's ``explode: true``); ``sentSince`` and ``sentUntil``,
date-times, in the form Infobip reads them (``yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm``, see
``runtime/placement.py``).
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest
from .lists import with_results

PATH = "/sms/3/logs"


def build_request(values: dict[str, Any]) -> InfobipRequest:
    return InfobipRequest("GET", PATH, None)


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return with_results(body)
