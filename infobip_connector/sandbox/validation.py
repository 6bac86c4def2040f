"""Request validation with the field paths and messages the real API reports.

Rules are declared as small nested objects and checked by one walker, so the two request bodies
read like their schemas. The sandbox is deliberately stricter than the live service in a few
places (a number where a string belongs, unknown fields, fractional integers) so that tests catch
a plugin sending something the live service would only tolerate by coercion.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .free_bounds import free_problems

Errors = dict[str, list[str]]

_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Str:
    required: bool = False
    min_len: int = 0
    max_len: int | None = None
    not_blank: bool = False
    enum: tuple[str, ...] | None = None
    check: Callable[[str], str | None] | None = None


@dataclass(frozen=True)
class Int:
    required: bool = False
    minimum: int | None = None
    maximum: int = _INT64_MAX


@dataclass(frozen=True)
class Num:
    """A JSON number (``type: number``, ``format: double``) within ``minimum`` and ``maximum``."""

    required: bool = False
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Bool:
    required: bool = False


@dataclass(frozen=True)
class Obj:
    fields: Mapping[str, Rule]
    required: bool = False


@dataclass(frozen=True)
class Arr:
    items: Rule
    required: bool = False
    min_items: int = 0
    max_items: int | None = None


@dataclass(frozen=True)
class Free:
    """An object whose members the sender names (``additionalProperties``): each value as
    ``values`` says, or any JSON value when it is None."""

    values: Rule | None = None
    required: bool = False
    #: Held to ``free_bounds`` (names, depth, size), as the connector holds such objects.
    bounded: bool = True


@dataclass(frozen=True)
class Forms:
    """A member that is a list (``array``) or an object (``map``), as the discriminated types
    of its owner give it one or the other (an order payment's ``callbackData``): each form
    checked as its rule says; which form a type takes is its owner's check."""

    array: Arr
    map: Free
    required: bool = False


Rule = Str | Int | Num | Bool | Obj | Arr | Free | Forms


@dataclass
class _Walk:
    errors: Errors = field(default_factory=dict)

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def _java_length(text: str) -> int:
    # The live service measures strings in UTF-16 code units, so an emoji counts twice; a lone
    # surrogate (a JSON "\ud800" escape) is one unit and must not fail the encoding.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check(rule: Rule, value: Any, path: str, walk: _Walk) -> None:
    if isinstance(rule, Str):
        _check_str(rule, value, path, walk)
    elif isinstance(rule, Int):
        if isinstance(value, bool) or not isinstance(value, int):
            walk.add(path, "must be an integer")
        elif rule.minimum is not None and value < rule.minimum:
            walk.add(path, f"must be greater than or equal to {rule.minimum}")
        elif value > rule.maximum:
            walk.add(path, f"must be less than or equal to {rule.maximum}")
    elif isinstance(rule, Num):
        if isinstance(value, bool) or not isinstance(value, int | float):
            walk.add(path, "must be a number")
        elif rule.minimum is not None and value < rule.minimum:
            walk.add(path, f"must be greater than or equal to {rule.minimum:g}")
        elif rule.maximum is not None and value > rule.maximum:
            walk.add(path, f"must be less than or equal to {rule.maximum:g}")
    elif isinstance(rule, Bool):
        if not isinstance(value, bool):
            walk.add(path, "must be a boolean")
    elif isinstance(rule, Obj):
        _check_obj(rule, value, path, walk)
    elif isinstance(rule, Forms):
        if isinstance(value, list | dict):
            _check(rule.array if isinstance(value, list) else rule.map, value, path, walk)
        else:
            walk.add(path, "must be an array or an object")
    elif isinstance(rule, Free):
        if not isinstance(value, dict):
            walk.add(path, "must be an object")
        else:
            if rule.values is not None:
                for key, item in value.items():
                    _check(rule.values, item, _join(path, key), walk)
            for where, message in free_problems(value, path) if rule.bounded else ():
                walk.add(where, message)
    else:
        if not isinstance(value, list):
            walk.add(path, "must be an array")
            return
        if len(value) < rule.min_items:
            walk.add(path, "must not be empty")
        if rule.max_items is not None and len(value) > rule.max_items:
            walk.add(path, f"size must be between {rule.min_items} and {rule.max_items}")
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if item is None:
                walk.add(item_path, "must not be null")
            else:
                _check(rule.items, item, item_path, walk)


def _check_str(rule: Str, value: Any, path: str, walk: _Walk) -> None:
    if not isinstance(value, str):
        walk.add(path, "must be a string")
        return
    length = _java_length(value)
    if length < rule.min_len or (rule.max_len is not None and length > rule.max_len):
        upper = rule.max_len if rule.max_len is not None else _INT32_MAX
        walk.add(path, f"size must be between {rule.min_len} and {upper}")
    if rule.not_blank and not value.strip():
        walk.add(path, "must not be blank")
    if rule.enum is not None and value not in rule.enum:
        walk.add(path, "must be one of: " + ", ".join(rule.enum))
    if rule.check is not None:
        problem = rule.check(value)
        if problem:
            walk.add(path, problem)


def _check_obj(rule: Obj, value: Any, path: str, walk: _Walk) -> None:
    if not isinstance(value, dict):
        walk.add(path, "must be an object")
        return
    for key in value:
        if key not in rule.fields:
            walk.add(_join(path, key), "unrecognized field")
    for key, sub in rule.fields.items():
        item = value.get(key)
        # A JSON null is the same as leaving the field out, as with the live service.
        if item is None:
            if sub.required:
                walk.add(_join(path, key), "must not be null")
            continue
        _check(sub, item, _join(path, key), walk)


_SEND_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}")


def send_at_problem(text: str) -> str | None:
    """Why ``text`` is not an Infobip ``sendAt`` value, or None when it is one."""
    problem = "must match yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm"
    # A part out of range is named first, as Java names it, whatever else is off.
    impossible = calendar_problem(text)
    if impossible is not None:
        return impossible
    if not _SEND_AT.fullmatch(text):
        return problem
    try:
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")
    except ValueError:
        return problem
    return offset_problem(moment)


_FIELDS = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[^+-]*([+-])(\d{2}):?(\d{2})"
    r"(?::?(\d{2}))?)?"
)
_MONTH_NAMES = (
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
)


def calendar_problem(text: str) -> str | None:
    """What Java's ``DateTimeFormatter`` (behind Infobip's date-times) says of ``text``, a
    date-time in the right shape whose month, day, hour, minute, second or offset is out of
    range (``Invalid date 'February 29' as '2027' is not a leap year``); None otherwise."""
    found = _FIELDS.match(text)
    if found is None:
        return None
    year, month, day, hour, minute = (int(found.group(n)) for n in range(1, 6))
    fields = (
        ("MonthOfYear", month, 1, "12"),
        ("DayOfMonth", day, 1, "28/31"),
        ("HourOfDay", hour, 0, "23"),
        ("MinuteOfHour", minute, 0, "59"),
        ("SecondOfMinute", int(found.group(6) or 0), 0, "59"),
    )
    said = f"Text '{text}' could not be parsed: "
    for name, value, low, high in fields:
        if not low <= value <= int(high[-2:]):
            return f"{said}Invalid value for {name} (valid values {low} - {high}): {value}"
    if day > calendar.monthrange(max(year, 1), month)[1]:
        if month == 2 and day == 29:
            return f"{said}Invalid date 'February 29' as '{year}' is not a leap year"
        return f"{said}Invalid date '{_MONTH_NAMES[month - 1]} {day}'"
    return _offset_fields_problem(found, said)


def _offset_fields_problem(found: re.Match[str], said: str) -> str | None:
    sign, hours, minutes, seconds = found.group(7, 8, 9, 10)
    if sign is None:
        return None
    # +01:00:00 is the whole-minute +01:00 (ISO 8601 and Python read it so); only other
    # seconds are refused.
    if seconds is not None and int(seconds):
        return f"{said}the sandbox takes UTC offsets in whole minutes (±hh:mm), not {seconds} s"
    # Up to 23 hours a reader takes it, and offset_problem names the ±18:00 range.
    if int(hours) > 23:
        return (
            f"{said}Zone offset hours not in valid range: value {hours} is not in the range "
            "-18 to 18"
        )
    if int(minutes) > 59:
        return (
            f"{said}Zone offset minutes not in valid range: value {minutes} is not in the range "
            "-59 to 59"
        )
    return None


#: Java's ``ZoneOffset``, which reads Infobip's ``Z`` pattern, stops at ±18:00.
_WIDEST_OFFSET = timedelta(hours=18)


def offset_problem(moment: datetime) -> str | None:
    """Why ``moment``'s UTC offset is not one Infobip reads (beyond ±18:00), or None."""
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > _WIDEST_OFFSET:
        return "has a UTC offset outside -18:00 to +18:00"
    return None


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


def validate(rule: Obj, body: Any) -> Errors:
    """Problems with ``body`` by field path (``messages[0].destinations[0].to``); empty if none."""
    walk = _Walk()
    _check(rule, body, "", walk)
    return walk.errors
