"""Date-times in Infobip's answers, read by what Infobip may write, not by the input rules.

An input's date-time is held to the years 2000-9999 and to offsets Infobip accepts
(``runtime/timeutil.parse_instant``), because the connector writes it for Infobip. An
answer's is read, not written: any calendar date-time with its offset is one, however old
(a Java default of ``1970-01-01T00:00:00.000+0000`` included), in the ISO-8601 extended
forms Infobip's writers use (``2026-12-01T08:00:00.000+0000``, ``...+00:00``, ``...Z``).
One that cannot be read is told with why: no text, no offset, no date-time form, or a date
that is not in the calendar.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..runtime.shaping import json_kind

# Java's ZoneOffset, which Infobip's writers use, stops at ±18:00.
_MAX_OFFSET = 18 * 60
_FORM = "Infobip writes 2026-12-01T08:00:00.000+0000"
# Date, time to the minute at least, any fraction, then the offset (``Z``, ``±hh:mm``,
# ``±hhmm``, ``±hh``); the calendar is left to ``datetime``.
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?"
    r"(?P<offset>[Zz]|[+-](?P<hours>\d{2})(?::?(?P<minutes>\d{2}))?)?"
)


def date_time_fault(value: Any) -> str | None:
    """Why ``value`` (a field of an answer) is no date-time with its offset, or None
    when it is one."""
    if not isinstance(value, str):
        return f"is not a date-time with its offset (given {json_kind(value)}; {_FORM})"
    form = _DATE_TIME.fullmatch(value)
    if form is None:
        return f"is not a date-time with its offset ({_FORM})"
    if form["offset"] is None:
        return f"has no offset, so it names no moment ({_FORM})"
    hours, minutes = int(form["hours"] or 0), int(form["minutes"] or 0)
    if minutes > 59 or hours * 60 + minutes > _MAX_OFFSET:
        return "has an offset beyond ±18:00, which no clock uses"
    try:
        datetime.fromisoformat(value.replace(",", ".").upper())
    except ValueError as exc:
        return f"is not a date-time of the calendar ({exc})"
    return None
