"""Each action of connector.yaml and the Infobip operation it calls: the one table to extend.

The definition-driven tests (test_actions_follow_the_definition.py, the property-based input
tests) iterate over the actions in connector.yaml and look them up here; an action without
a row fails them. A row names the OpenAPI operation (``operationId``, method, path), the
slice of its published request schema in tests/fixtures/openapi (or None without a JSON
body), and one valid input for the end-to-end and wire tests, with the actions to run first
when the sample acts on something that must exist (a scheduled bulk).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Operation:
    operation_id: str
    spec: str  # the file in Infobip's OpenAPI description that has it
    method: str
    path: str  # the path template as OpenAPI writes it
    request_slice: str | None
    sample: dict[str, Any] = field(default_factory=dict)
    # (action, values) run first on the same account, e.g. the Send SMS scheduling a bulk.
    setup: tuple[tuple[str, dict[str, Any]], ...] = ()


OPERATIONS: dict[str, Operation] = {
    "sendSms": Operation(
        "send-sms-message",
        "infobip-sms-openapi.json",
        "POST",
        "/sms/2/text/advanced",
        "sms_advanced_request.json",
        {
            "messages": [
                {"destinations": [{"to": "41793026727"}], "text": "Hello", "from": "InfoSMS"}
            ]
        },
    ),
    "sendWhatsappTextMessage": Operation(
        "send-whatsapp-text-message",
        "infobip-whatsapp-openapi.json",
        "POST",
        "/whatsapp/1/message/text",
        "whatsapp_text_request.json",
        {"from": "447860099299", "to": "41793026727", "content": {"text": "Hello"}},
    ),
    "sendWhatsappTemplateMessage": Operation(
        "send-whatsapp-template-message",
        "infobip-whatsapp-openapi.json",
        "POST",
        "/whatsapp/1/message/template",
        "whatsapp_template_request.json",
        {
            "messages": [
                {
                    "from": "447860099299",
                    "to": "41793026727",
                    "content": {
                        "templateName": "welcome",
                        "language": "en",
                        "templateData": {"body": {"placeholders": ["Ann"]}},
                    },
                }
            ]
        },
    ),
}
