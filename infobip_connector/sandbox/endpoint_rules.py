"""Request body rules for the endpoints beyond Send SMS and WhatsApp text, from Infobip's
OpenAPI description: ``BulkMessage`` (WhatsApp template messages), ``PreviewRequest``,
``BulkRequest`` and ``UpdateStatusRequest`` (scheduled SMS bulks).

Template headers are checked for every kind of ``TemplateHeaderContent`` (text, document,
image, video, GIF and location), buttons for every type (an ORDER_DETAILS button's order and
payment in ``order_details.py``); carousels,
limited-time offers and order statuses by their shape only (no seeded template has them, and
``Template`` cannot describe them; an order status's payment ``id`` is checked for its type's
form in ``order_details.py``).
"""

from __future__ import annotations

from datetime import datetime

from .datetimes import calendar_problem, offset_problem, send_at_problem
from .order_details import ORDER_DETAILS_ACTION
from .send_rules import TRANSLITERATIONS, URL_OPTIONS
from .templates import HEADER_MEMBERS
from .validation import Arr, Free, Int, Num, Obj, Str

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
                "ORDER_DETAILS",
            ),
        ),
        "parameter": Str(),
        "flowToken": Str(max_len=3000),
        # Infobip's ``data``: additionalProperties {type: object}, each member an object.
        "data": Free(Free(bounded=False)),  # the outer object bounds all its depths
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
        "action": ORDER_DETAILS_ACTION,
    }
)
_PAYMENT_TYPES = (
    "UPI_PAYU",
    "BRAZIL",
    "BRAZIL_PIX_DC",
    "PG_PAYU",
    "PG_RAZORPAY",
    "BRAZIL_LINK",
    "BRAZIL_BOLETO",
    "UPI_INTENT",
    "UPI_LINK",
)
_ORDER_STATUSES = ("PENDING", "PROCESSING", "PARTIALLY_SHIPPED", "SHIPPED", "COMPLETED", "CANCELED")
# TemplateCarouselContent, TemplateLimitedTimeOfferContent and TemplateOrderStatusContent:
# their shapes are checked; whether the template has a carousel, an offer or an order status
# is not emulated.
_CAROUSEL = Obj(
    {
        "cards": Arr(
            Obj(
                {
                    "header": Obj(_HEADER.fields, required=True),
                    "body": Obj({"placeholders": Arr(Str(), required=True)}),
                    "buttons": Arr(
                        Obj(
                            {
                                "type": Str(True, enum=("QUICK_REPLY", "URL")),
                                "parameter": Str(True, min_len=1),
                            }
                        ),
                        min_items=1,
                    ),
                }
            ),
            required=True,
            min_items=1,
        )
    }
)


def _date_time_problem(text: str) -> str | None:
    """The description gives the format ``yyyy-MM-dd'T'HH:mm:ss.SSSZ`` and the example
    ``2030-01-01T10:00:00Z`` (its ``format: date-time``); both are taken, with an offset."""
    if send_at_problem(text) is None:
        return None
    impossible = calendar_problem(text)
    if impossible is not None:
        return impossible
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return "must be a date-time with an offset"
    if moment.tzinfo is None:
        return "must be a date-time with an offset"
    return offset_problem(moment)


_LIMITED_TIME_OFFER = Obj({"expirationTime": Str(True, check=_date_time_problem)})
_ORDER_STATUS = Obj(
    {
        "orderStatuses": Arr(
            Obj(
                {
                    "type": Str(True, enum=("ORDER_STATUS",)),
                    "payment": Obj(
                        {
                            "type": Str(True, enum=_PAYMENT_TYPES),
                            "id": Str(True, min_len=1, max_len=35),
                        },
                        required=True,
                    ),
                    "status": Str(True, enum=_ORDER_STATUSES),
                    "description": Str(max_len=120),
                }
            ),
            required=True,
        )
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
                "carousel": _CAROUSEL,
                "limitedTimeOffer": _LIMITED_TIME_OFFER,
                "orderStatus": _ORDER_STATUS,
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
