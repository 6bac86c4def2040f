"""Send WhatsApp Text Message: ``POST /whatsapp/1/message/text``."""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest, Recipients

PATH = "/whatsapp/1/message/text"


def build_request(values: dict[str, Any]) -> InfobipRequest:
    message_id = values["messageId"]
    return InfobipRequest(
        "POST",
        PATH,
        values,
        {"messageId": message_id},
        recipients=Recipients([message_id], [values["to"]]),
    )


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return body
