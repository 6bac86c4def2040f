"""What is wrong with a date-time that is written in the right shape but names no moment.

``datetime.fromisoformat`` and the schema's pattern only say that a text is not a date-time;
a person who wrote ``2027-02-29`` or ``10:00:60`` needs to hear which part is impossible and
why. ``date_time_fault`` reads the parts of an ISO-8601 date-time (``T`` or a space between
date and time, seconds and fraction optional, ``Z`` or an offset) and names the first one
out of its range, in the order they are written: month, day (the month's length, leap
years), hour, minute, second, then the offset (whole minutes within ±18:00, as Infobip's
``±hhmm`` and Java's ``ZoneOffset`` take; ``+01:00:00`` names the whole-minute ``+01:00``,
as ISO 8601 and Python read it, while ``+01:00:30`` names no offset Infobip can carry). Texts
of another shape get None: the caller's general message says what form is expected.

Every date-time refusal reads one way, wherever it is made (the schema's pattern, the
``sendAt`` and ``instant`` rules, the sandbox's own reading): the error's path names the
field, the message says what is wrong, then what is expected, then the value given once
(``problems.given``): ``names 29 February 2027, a day that does not exist: 2027 is not a leap year
(got "2027-02-29T10:00:00+01:00")``.
"""

from __future__ import annotations

import calendar
import re

_PARTS = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"(?:[Zz]|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?\s*"
)
_MONTHS = tuple(calendar.month_name)  # "" first: month 1 is January
_WIDEST_OFFSET_MINUTES = 18 * 60


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def date_time_fault(text: str) -> str | None:
    """Why ``text``, shaped as an ISO-8601 date-time, names no moment (``has the hour 24:
    hours are 00 to 23 ...``), worded to follow the field's name or path; None when its
    parts are all in range or it is not so shaped."""
    found = _PARTS.fullmatch(text)
    if found is None:
        return None
    year, month, day, hour, minute = (int(found.group(n)) for n in range(1, 6))
    second = int(found.group(6) or 0)
    if not 1 <= month <= 12:
        return f"has the month {month:02d}: months are 01 to 12"
    days = _days_in(year, month)
    if day == 0:
        return "has the day 00: days of a month start at 01"
    if day > days:
        name = _MONTHS[month]
        if month == 2 and day == 29:
            return (
                f"names 29 February {year}, a day that does not exist: {year} is not a leap "
                f"year, so February has 28 days"
            )
        return f"names {day} {name} {year}, a day that does not exist: {name} has {days} days"
    if hour > 23:
        return f"has the hour {hour:02d}: hours are 00 to 23 (midnight is 00:00 of the next day)"
    if minute > 59:
        return f"has the minute {minute:02d}: minutes are 00 to 59"
    if second > 59:
        return f"has the second {second:02d}: seconds are 00 to 59 (no leap second is written)"
    return _offset_fault(found)


def _offset_fault(found: re.Match[str]) -> str | None:
    sign, hours, minutes, seconds, fraction = found.group(7, 8, 9, 10, 11)
    if sign is None:
        return None
    written = _written(sign, hours, minutes, seconds) + (f".{fraction}" if fraction else "")
    if seconds is not None and (int(seconds) or (fraction or "0").strip("0")):
        return (
            f"has an offset with seconds ({written}): UTC offsets are whole minutes (such as "
            "+05:30), which is all Infobip's date-times can carry"
        )
    if minutes is not None and int(minutes) > 59:
        return f"has the offset {written}, whose minutes are not 00 to 59"
    if int(hours) * 60 + int(minutes or 0) > _WIDEST_OFFSET_MINUTES:
        return (
            f"has the offset {written}, outside the range of UTC offsets, -18:00 to +18:00 "
            "(real zones span -12:00 to +14:00)"
        )
    return None


def _written(sign: str, hours: str, minutes: str | None, seconds: str | None) -> str:
    """An offset's parts as ``+01:00:30`` (however they were written)."""
    return sign + ":".join(part for part in (hours, minutes or "00", seconds) if part)
