"""Get Scheduled SMS Status: ``GET /sms/1/bulks/status?bulkId=`` (Infobip's
``get-scheduled-sms-messages-status``)."""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest
from . import scheduled_bulk


def build_request(values: dict[str, Any]) -> InfobipRequest:
    return scheduled_bulk.request("GET", scheduled_bulk.STATUS, values)


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return scheduled_bulk.answer(body, request)
