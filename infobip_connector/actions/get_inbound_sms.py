"""Get Inbound SMS: ``GET /sms/1/inbox/reports`` (Infobip's ``get-inbound-sms-messages``),
a consume.

Each received message is handed out once. ``limit``, ``applicationId``, ``entityId`` and
``campaignReferenceId`` are query parameters, placed by the runtime; there is no body.
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest
from .lists import consumed, reference

PATH = "/sms/1/inbox/reports"

# Outbound logs do not list received messages; the web interface's logs do.
LOOK_UP = "the inbound SMS logs of Infobip's web interface (Analyze > Logs) list them"


def build_request(values: dict[str, Any]) -> InfobipRequest:
    return InfobipRequest("GET", PATH, None, reference(values, LOOK_UP))


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return consumed(body, request)
