"""Update Scheduled SMS Status: ``PUT /sms/1/bulks/status?bulkId=`` with ``{"status": ...}``
(Infobip's ``update-scheduled-sms-messages-status``): PAUSED, PROCESSING (resume) or
CANCELED."""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest
from . import scheduled_bulk


def build_request(values: dict[str, Any]) -> InfobipRequest:
    body = {"status": values["status"]}
    return scheduled_bulk.request("PUT", scheduled_bulk.STATUS, values, body)


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return scheduled_bulk.answer(body, request)


def warnings(output: dict[str, Any], request: InfobipRequest) -> list[str]:
    """Another status than the one asked for, kept in the output as Infobip gave it."""
    return scheduled_bulk.status_warnings(output, request)
