"""The rules of the two send requests (``/sms/3/messages``, WhatsApp text), written like their
schemas for ``validation.validate``, and the lists other endpoints' rules share."""

from __future__ import annotations

from .datetimes import send_at_problem
from .validation import _INT32_MAX, Arr, Bool, Int, Obj, Str

_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
TRANSLITERATIONS = (
    "NONE",
    "TURKISH",
    "GREEK",
    "CYRILLIC",
    "SERBIAN_CYRILLIC",
    "BULGARIAN_CYRILLIC",
    "CENTRAL_EUROPEAN",
    "BALTIC",
    "PORTUGUESE",
    "COLOMBIAN",
    "NON_UNICODE",
    "ALL",
)
URL_OPTIONS = Obj(
    {
        "shortenUrl": Bool(),
        "trackClicks": Bool(),
        "trackingUrl": Str(),
        "removeProtocol": Bool(),
        "customDomain": Str(),
    }
)
_TIME_OF_DAY = Obj(
    {"hour": Int(True, 0, 23), "minute": Int(True, 0, 59)},
)
_SMS_MESSAGE = Obj(
    {
        "callbackData": Str(max_len=4000),
        "deliveryTimeWindow": Obj(
            {
                "days": Arr(Str(enum=_DAYS), required=True, min_items=1),
                "from": _TIME_OF_DAY,
                "to": _TIME_OF_DAY,
            }
        ),
        "destinations": Arr(
            Obj({"messageId": Str(max_len=200), "to": Str(True, max_len=64, not_blank=True)}),
            required=True,
            min_items=1,
        ),
        "flash": Bool(),
        "from": Str(),
        "intermediateReport": Bool(),
        "language": Obj({"languageCode": Str(enum=("NONE", "TR", "ES", "PT", "AUTODETECT"))}),
        "notifyContentType": Str(enum=("application/json", "application/xml")),
        "notifyUrl": Str(),
        "regional": Obj(
            {
                "indiaDlt": Obj(
                    {
                        "contentTemplateId": Str(),
                        "principalEntityId": Str(True),
                        "telemarketerId": Str(),
                    }
                ),
                "turkeyIys": Obj(
                    {
                        "brandCode": Int(maximum=_INT32_MAX),
                        "recipientType": Str(True, enum=("BIREYSEL", "TACIR")),
                    }
                ),
                "southKorea": Obj(
                    {"resellerCode": Int(maximum=_INT32_MAX), "title": Str(max_len=66)}
                ),
            }
        ),
        "sendAt": Str(check=send_at_problem),
        "text": Str(),
        "transliteration": Str(enum=TRANSLITERATIONS),
        "validityPeriod": Int(),
        "entityId": Str(max_len=50),
        "applicationId": Str(max_len=50),
        "campaignReferenceId": Str(max_len=255),
    }
)
SMS_REQUEST = Obj(
    {
        "bulkId": Str(),
        "messages": Arr(_SMS_MESSAGE, required=True, min_items=1),
        "sendingSpeedLimit": Obj(
            {
                "amount": Int(True, maximum=_INT32_MAX),
                "timeUnit": Str(enum=("MINUTE", "HOUR", "DAY")),
            }
        ),
        "urlOptions": URL_OPTIONS,
        "tracking": Obj(
            {"baseUrl": Str(), "processKey": Str(), "track": Str(), "type": Str()},
        ),
        "includeSmsCountInResponse": Bool(),
    }
)
WHATSAPP_TEXT_REQUEST = Obj(
    {
        "from": Str(True, 1, 24, not_blank=True),
        "to": Str(True, 1, 150, not_blank=True),
        "messageId": Str(max_len=200),
        "content": Obj(
            {"text": Str(True, 1, 4096, not_blank=True), "previewUrl": Bool()},
            required=True,
        ),
        "callbackData": Str(max_len=4000),
        "notifyUrl": Str(max_len=2048),
        "urlOptions": URL_OPTIONS,
        "entityId": Str(max_len=255),
        "applicationId": Str(max_len=255),
        "context": Obj({"replyToMessageId": Str(True)}),
    }
)
