"""Reschedule SMS: ``PUT /sms/1/bulks?bulkId=`` with ``{"sendAt": ...}`` (Infobip's
``reschedule-sms-messages``).

``sendAt`` is read exactly as Send SMS reads it (``runtime/timeutil.py``: the same forms,
zone and daylight-saving handling; the ``sendAt`` rule already refused what it cannot read)
and written in the one form Infobip's ``BulkRequest`` takes.
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest
from ..runtime.timeutil import infobip_datetime, resolve_send_at
from . import scheduled_bulk


def build_request(values: dict[str, Any]) -> InfobipRequest:
    body = {"sendAt": infobip_datetime(resolve_send_at(values["sendAt"]))}
    return scheduled_bulk.request("PUT", scheduled_bulk.BULKS, values, body)


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return scheduled_bulk.answer(body, request)
