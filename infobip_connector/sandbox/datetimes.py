"""The date-times Infobip reads (``sendAt`` and the like), judged as its Java parser judges
them: the shape, a field out of range, a UTC offset beyond ±18:00, worded as Java words it."""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta

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
