"""Request body rules for the endpoints beyond Send SMS and WhatsApp text, from Infobip's
OpenAPI description: ``BulkMessage`` (WhatsApp template messages), ``PreviewRequest``,
``BulkRequest`` and ``UpdateStatusRequest`` (scheduled SMS bulks).

Template headers are checked for every kind of ``TemplateHeaderContent`` (text, document,
image, video, GIF and location), buttons for every type but ORDER_DETAILS; carousels,
limited-time offers and order statuses are refused as unknown fields, since no seeded
template has them.
"""

from __future__ import annotations

from .templates import HEADER_MEMBERS
from .validation import TRANSLITERATIONS, URL_OPTIONS, Arr, Int, Num, Obj, Str, send_at_problem

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
# The members of every button type (``TemplateButtonContent``'s variants); which ones a type
# requires, and its parameter's limit, are checked with the template (templates.py).
# ORDER_DETAILS buttons (an order and its payment) are not emulated: refused by type.
_BUTTON = Obj(
    {
        "type": Str(
            True,
            enum=(
                "QUICK_REPLY",
                "URL",
                "COPY_CODE",
                "FLOW",
                "CATALOG",
                "MULTI_PRODUCT",
                "VOICE_CALL",
            ),
        ),
        "parameter": Str(),
        "flowToken": Str(max_len=3000),
        "thumbnailProductRetailerId": Str(max_len=3000),
        "sections": Arr(
            Obj(
                {
                    "title": Str(True, max_len=24),
                    "productRetailerIds": Arr(Str(max_len=3000), required=True),
                }
            ),
            min_items=1,
        ),
        "callValidityPeriod": Int(minimum=1, maximum=43200),
        "callContextPayload": Str(min_len=1, max_len=512),
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
