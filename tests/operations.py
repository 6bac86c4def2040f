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
from datetime import UTC, datetime, timedelta
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


def _days_ahead(days: int) -> str:
    """A moment ``days`` from now with its offset: ``sendAt`` must lie in the future."""
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0).isoformat()


BULK = "BULK-ID-123-xyz"
_SCHEDULE = (
    (
        "sendSms",
        {
            "bulkId": BULK,
            "messages": [
                {"destinations": [{"to": "41793026727"}], "text": "Later", "sendAt": _days_ahead(1)}
            ],
        },
    ),
)
_SMS = "infobip-sms-openapi.json"


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
    "previewSms": Operation(
        "preview-sms-message",
        "infobip-sms-openapi.json",
        "POST",
        "/sms/1/preview",
        "sms_preview_request.json",
        {"text": "Hello", "languageCode": "TR"},
    ),
    "getSmsDeliveryReports": Operation(
        "get-outbound-sms-message-delivery-reports-v3",
        "infobip-sms-openapi.json",
        "GET",
        "/sms/3/reports",
        None,
        {"bulkId": "BULK-ID-123-xyz", "limit": 10},
    ),
    "getSmsLogs": Operation(
        "get-outbound-sms-message-logs-v3",
        "infobip-sms-openapi.json",
        "GET",
        "/sms/3/logs",
        None,
        {"bulkId": ["BULK-ID-123-xyz"], "sentSince": "2026-11-30T00:00:00Z", "limit": 10},
    ),
    "getInboundSms": Operation(
        "get-inbound-sms-messages",
        "infobip-sms-openapi.json",
        "GET",
        "/sms/1/inbox/reports",
        None,
        {"limit": 10},
    ),
    "getScheduledSms": Operation(
        "get-scheduled-sms-messages", _SMS, "GET", "/sms/1/bulks", None, {"bulkId": BULK}, _SCHEDULE
    ),
    "rescheduleSms": Operation(
        "reschedule-sms-messages",
        _SMS,
        "PUT",
        "/sms/1/bulks",
        "sms_bulk_request.json",
        {"bulkId": BULK, "sendAt": _days_ahead(2)},
        _SCHEDULE,
    ),
    "getScheduledSmsStatus": Operation(
        "get-scheduled-sms-messages-status",
        _SMS,
        "GET",
        "/sms/1/bulks/status",
        None,
        {"bulkId": BULK},
        _SCHEDULE,
    ),
    "updateScheduledSmsStatus": Operation(
        "update-scheduled-sms-messages-status",
        _SMS,
        "PUT",
        "/sms/1/bulks/status",
        "sms_bulk_status_request.json",
        {"bulkId": BULK, "status": "PAUSED"},
        _SCHEDULE,
    ),
}
