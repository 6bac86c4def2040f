"""Send WhatsApp Template Message: ``POST /whatsapp/1/message/template``.

Infobip's operation ``send-whatsapp-template-message`` takes ``{messages: [...], bulkId}``
and answers ``{messages: [{to, messageCount, messageId, status}], bulkId}``.
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest

PATH = "/whatsapp/1/message/template"

# Infobip requires ``templateData.body.placeholders`` even for a template without any; an
# editor's empty list is pruned as "not given", so the empty list is put back here.
_NO_PLACEHOLDERS: dict[str, Any] = {"placeholders": []}


def build_request(values: dict[str, Any]) -> InfobipRequest:
    """The body as given, with the body placeholders a template without any needs.

    ``values`` are checked and complete (``bulkId`` and every ``messageId`` assigned), so
    the reference names every message for reconciling an unknown outcome.
    """
    messages = [_message(m) for m in values["messages"]]
    reference = {
        "bulkId": values["bulkId"],
        "messageIds": [m["messageId"] for m in messages],
    }
    return InfobipRequest("POST", PATH, {**values, "messages": messages}, reference)


def _message(message: dict[str, Any]) -> dict[str, Any]:
    content = message["content"]
    data = content.get("templateData", {})
    if "body" in data:
        return message
    data = {"body": _NO_PLACEHOLDERS, **data}
    return {**message, "content": {**content, "templateData": data}}


def shape_output(body: Any, request: InfobipRequest) -> Any:
    """Infobip's answer has the declared shape; the bulk ID is filled when it is left out
    (Infobip names it only for more than one message)."""
    if isinstance(body, dict) and "bulkId" not in body:
        return {**body, "bulkId": request.reference["bulkId"]}
    return body
