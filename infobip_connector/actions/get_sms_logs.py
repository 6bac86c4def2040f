"""Get SMS Logs: ``GET /sms/3/logs`` (Infobip's ``get-outbound-sms-message-logs-v3``), a read.

Every filter is a query parameter placed by the runtime as ``connector.yaml`` declares it
(arrays as repeated pairs, OpenAPI's ``explode: true``), except ``sentSince`` and
``sentUntil``: the runtime has checked they carry an offset, and Infobip reads them as
``yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm``, so they are written in that form here.
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest
from ..runtime.timeutil import infobip_datetime, parse_instant
from .lists import with_results

PATH = "/sms/3/logs"
_MOMENTS = ("sentSince", "sentUntil")


def build_request(values: dict[str, Any]) -> InfobipRequest:
    query = tuple(
        (name, infobip_datetime(parse_instant(values[name], name)))
        for name in _MOMENTS
        if name in values
    )
    return InfobipRequest("GET", PATH, None, query=query)


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return with_results(body)
