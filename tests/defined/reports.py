"""Test executor: ``GET /sms/3/reports`` (a consume: each report is handed out once)."""

from __future__ import annotations

from typing import Any

from infobip_connector.request import InfobipRequest


def build_request(values: dict[str, Any]) -> InfobipRequest:
    return InfobipRequest("GET", "/sms/3/reports", None, {"bulkId": values.get("bulkId")})


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return body
