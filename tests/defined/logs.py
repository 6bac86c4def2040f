"""Test executor: ``GET /sms/3/logs`` (a read; its filters are query parameters)."""

from __future__ import annotations

from typing import Any

from infobip_connector.request import InfobipRequest


def build_request(values: dict[str, Any]) -> InfobipRequest:
    # The filters are declared ``in: query``: the runtime places them.
    return InfobipRequest("GET", "/sms/3/logs", values)


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return body
