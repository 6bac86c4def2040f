"""Request body rules for the endpoints beyond Send SMS and WhatsApp text, from Infobip's
OpenAPI description: ``BulkMessage`` (WhatsApp template messages), ``PreviewRequest``,
``BulkRequest`` and ``UpdateStatusRequest`` (scheduled SMS bulks).

Template headers are checked for every kind of ``TemplateHeaderContent`` (text, document,
image, video, GIF and location), buttons for the kinds the seeded templates use (quick-reply,
URL and copy-code); carousels, limited-time offers
and order statuses are refused as unknown fields, since no seeded template has them.
"""

from __future__ import annotations

from .templates import HEADER_MEMBERS
from .validation import TRANSLITERATIONS, URL_OPTIONS, Arr, Num, Obj, Str, send_at_problem

PREVIEW_REQUEST = Obj(
    {
        "text": Str(True),
        "languageCode": Str(enum=("TR", "ES", "PT", "AUTODETECT")),
        "transliteration": Str(enum=TRANSLITERATIONS),
    }
)

BULK_REQUEST = Obj({"sendAt": Str(True, check=send_at_problem)})
BULK_STATUS_REQUEST = Obj({"status": Str(True, enum=("PAUSED", "PROCESSING", "CANCELED"))})

_HEADER = Obj(
    {
        "type": Str(True, enum=tuple(HEADER_MEMBERS)),
        "placeholder": Str(),
        "mediaUrl": Str(min_len=1, max_len=2048, not_blank=True),
        "filename": Str(min_len=1, max_len=240),
        "latitude": Num(minimum=-90, maximum=90),
        "longitude": Num(minimum=-180, maximum=180),
    }
)
_BUTTON = Obj(
    {
        "type": Str(True, enum=("QUICK_REPLY", "URL", "COPY_CODE")),
        "parameter": Str(True, max_len=128),
    }
)
_TEMPLATE_CONTENT = Obj(
    {
        "templateName": Str(True, 1, 512, not_blank=True),
        "templateData": Obj(
            {
                "body": Obj({"placeholders": Arr(Str(), required=True)}, required=True),
                "header": _HEADER,
                "buttons": Arr(_BUTTON),
            },
            required=True,
        ),
        "language": Str(True, not_blank=True),
    },
    required=True,
)
WHATSAPP_TEMPLATE_REQUEST = Obj(
    {
        "messages": Arr(
            Obj(
                {
                    "from": Str(True, 1, 24, not_blank=True),
                    "to": Str(True, 1, 150, not_blank=True),
                    "messageId": Str(max_len=200),
                    "content": _TEMPLATE_CONTENT,
                    "callbackData": Str(max_len=4000),
                    "notifyUrl": Str(max_len=2048),
                    "urlOptions": URL_OPTIONS,
                    "smsFailover": Obj({"from": Str(True, 1, 24), "text": Str(True, 1, 4096)}),
                    "entityId": Str(max_len=255),
                    "applicationId": Str(max_len=255),
                    "context": Obj({"replyToMessageId": Str(True)}),
                }
            ),
            required=True,
            min_items=1,
        ),
        "bulkId": Str(max_len=100),
    }
)
