"""Send WhatsApp Text Message: ``POST /whatsapp/1/message/text``."""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest

PATH = "/whatsapp/1/message/text"


def build_request(values: dict[str, Any]) -> InfobipRequest:
    return InfobipRequest("POST", PATH, values, {"messageId": values["messageId"]})


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return body
