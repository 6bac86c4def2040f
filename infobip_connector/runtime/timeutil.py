"""Date-times: reading ``sendAt`` and the date-time filters as people give them, writing them
as Infobip reads them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from .datetime_faults import date_time_fault
from .problems import given

#: The years a date-time may be written in. Infobip's platform reads four-digit years, and
#: nothing it keeps (48 hours of logs, schedules 180 days ahead) is older than 2000.
FIRST_YEAR, LAST_YEAR = 2000, 9999
#: The last instant a date-time may name (an offset west of UTC can move 9999 into 10000).
_LATEST = datetime(LAST_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
#: The widest UTC offset: Java's ``ZoneOffset`` (behind Infobip's ``yyyy-MM-dd'T'HH:mm:ss.SSSZ``)
#: stops at ±18:00, and no time zone comes near it (the widest are -12:00 and +14:00).
#: Python reads offsets up to ±23:59:59, so this bound is the connector's own.
_WIDEST_OFFSET = timedelta(hours=18)
#: The range, and why its end is where it is, said with every refusal of a year.
_YEARS = (
    f"a date-time must fall within the years {FIRST_YEAR} to {LAST_YEAR} (Infobip reads "
    f"four-digit years), in UTC too: the last instant is {LAST_YEAR}-12-31T23:59:59.999Z"
)


class ZoneConflict(ValueError):
    """What is wrong with the members of ``{dateTime, zoneId}``, by member.

    ``dateTime`` carries an offset that ``zoneId`` does not have at that wall time (both
    are named: neither silently wins), or names a wall time the zone skips, or is not a
    date and time at all (``dateTime`` alone).
    """

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{member}: {text}" for member, text in problems.items()))
        self.problems = problems


def resolve_send_at(value: Any) -> datetime:
    """An aware datetime from ``{dateTime, zoneId}`` or an ISO-8601 string with an offset.

    A ``dateTime`` with an offset and a ``zoneId`` must agree: the offset is the zone's at
    that moment (ZoneConflict otherwise, quoting the ``dateTime`` as given). Raises
    ValueError with a message meant for the person who wrote the value, worded as every
    date-time refusal (datetime_faults.py).
    """
    if isinstance(value, str):
        moment = _parse(value)
        if moment.tzinfo is None:
            raise ValueError(
                "has no offset: as text, a date and time needs one such as +01:00 or Z; or "
                "give {dateTime, zoneId}" + given(value)
            )
        return moment
    try:
        moment = _parse(value["dateTime"])
    except ValueError as exc:
        raise ZoneConflict({"dateTime": str(exc)}) from None
    zone_id = value.get("zoneId")
    if zone_id is None:
        if moment.tzinfo is None:
            raise ValueError(
                "has a dateTime without an offset and no zoneId to read it in: add an offset "
                "such as +01:00 or Z to dateTime, or give zoneId, e.g. Europe/Zagreb" + given(value)
            )
        return moment
    tz = zone(zone_id)
    if moment.tzinfo is not None:
        return _agreeing(moment, tz, zone_id, value["dateTime"])
    return _localize(moment, tz, zone_id, value["dateTime"])


def _agreeing(moment: datetime, tz: ZoneInfo, zone_id: str, written: str) -> datetime:
    """``moment`` in ``tz``, when its own offset is the zone's at that instant.

    An instant always exists, so a refusal names the offset the zone has at that instant
    (the real disagreement). The advice keeps what was written: the wall time with the
    zone's offset there, or the same instant written in the zone. A wall time the zone
    skips cannot agree with any offset; its refusal says so and gives both ways out.
    """
    local = _converted(moment, tz)
    if local.utcoffset() == moment.utcoffset():
        return local
    wall = moment.replace(tzinfo=None)
    said, there = _offset_text(moment.utcoffset()), _offset_text(local.utcoffset())
    skipped = _skipped(wall, tz)
    if skipped is None:
        at_wall = _offset_text(wall.replace(tzinfo=tz, fold=0).utcoffset())
        keep_wall = f"give dateTime without an offset, or with {at_wall}"
    else:
        keep_wall = (
            f"{wall.isoformat()} does not exist there (clocks move forward from "
            f"{skipped[0]}), so give {skipped[1]}"
        )
    raise ZoneConflict(
        {
            "dateTime": f"has the offset {said}, but zoneId {zone_id} is at {there} at that "
            f"instant; to keep the wall time, {keep_wall}; for the same instant, write "
            f"{local.isoformat()}" + given(written),
            "zoneId": f"is at {there} at the instant dateTime names, not at its offset "
            f"{said}: correct one of them (or leave zoneId out)" + given(zone_id),
        }
    )


def _skipped(wall: datetime, tz: ZoneInfo) -> tuple[str, str] | None:
    """For a wall time ``tz`` jumps over: the change (``+01:00 to +02:00``) and the wall
    time the same distance past it; None for a wall time that exists."""
    before = wall.replace(tzinfo=tz, fold=0)
    after = _converted(_converted(before, UTC), tz)
    if after.replace(tzinfo=None) == wall:
        return None
    shift = f"{_offset_text(before.utcoffset())} to {_offset_text(after.utcoffset())}"
    return shift, f"{after.replace(tzinfo=None).isoformat()} (that is {after.isoformat()})"


def _refuse_skipped(wall: datetime, tz: ZoneInfo, zone_id: str, written: str) -> None:
    """ZoneConflict at ``dateTime`` when clocks in ``tz`` jump over the wall time ``wall``.

    The advice is the wall time the same distance past the change (02:30 → 03:30 when
    clocks go from 02:00 to 03:00), the time the clocks show that long after the change,
    which exists by construction.
    """
    skipped = _skipped(wall, tz)
    if skipped is None:
        return
    shift, advice = skipped
    raise ZoneConflict(
        {
            "dateTime": f"does not exist in {zone_id}: clocks move forward then (from {shift}), "
            f"so no offset makes it a time there; give {advice}, or another time" + given(written)
        }
    )


def _offset_text(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta(0)).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _converted(moment: datetime, tz: Any) -> datetime:
    """``moment.astimezone(tz)``; a ValueError (not an OverflowError) at the calendar's ends."""
    try:
        return moment.astimezone(tz)
    except OverflowError:  # only ever past the end: no year before FIRST_YEAR gets this far
        raise ValueError(
            f"{moment.isoformat()} falls in the year {LAST_YEAR + 1} in {tz}: {_YEARS}"
        ) from None


def parse_instant(text: str) -> datetime:
    """An aware datetime from an ISO-8601 string that carries its offset (or ``Z``), as
    OpenAPI's ``format: date-time`` requires; ValueError worded as every date-time refusal
    (what is wrong, what is expected, the text given), the field left to the error's path."""
    moment = _parse(text)
    if moment.tzinfo is None:
        raise ValueError(
            "has no offset: a date and time needs one such as +01:00 or Z to name a moment"
            + given(text)
        )
    return moment


def _parse(text: str) -> datetime:
    """``text`` read as ISO-8601, written in the years FIRST_YEAR..LAST_YEAR.

    Earlier years are refused: Python writes them without padding (``999-01-01``), which
    Infobip cannot read, and converting one across an offset leaves the calendar.
    """
    # Before reading: Python takes some impossible offsets as others (+01:75 as +02:15).
    fault = date_time_fault(text)
    if fault is not None:
        raise ValueError(fault + given(text))
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise ValueError(
            "is not an ISO-8601 date and time: write one such as 2026-12-01T09:00:00+01:00"
            + given(text)
        ) from None
    _check_offset(moment.utcoffset(), text)
    if moment.year < FIRST_YEAR:
        raise ValueError(f"is before the year {FIRST_YEAR}: {_YEARS}" + given(text))
    if moment.tzinfo is not None and moment > _LATEST:
        raise ValueError(
            f"falls in the year {LAST_YEAR + 1} in UTC "
            f"({_offset_text(moment.utcoffset())} is west of it): {_YEARS}" + given(text)
        )
    return moment


def _check_offset(offset: timedelta | None, text: str) -> None:
    """ValueError unless ``offset`` is whole minutes within ±18:00 (or absent).

    Python reads offsets up to ±23:59:59.999999; Infobip's form (``±hhmm``) has no seconds
    and Java's ``ZoneOffset`` stops at ±18:00, so anything else would be sent mangled
    (``+010030``) or refused by Infobip after the connector called it valid.
    """
    if offset is None:
        return
    if offset % timedelta(minutes=1):
        raise ValueError(
            "has an offset with seconds: UTC offsets are whole minutes (such as +05:30), "
            "which is all Infobip's date-times can carry" + given(text)
        )
    if abs(offset) > _WIDEST_OFFSET:
        raise ValueError(
            f"has the offset {_offset_text(offset)}, outside the range of UTC offsets, "
            "-18:00 to +18:00 (real zones span -12:00 to +14:00)" + given(text)
        )


def zone(zone_id: str) -> ZoneInfo:
    """The zone named ``zone_id``; ValueError unless it is an IANA time zone name.

    ``ZoneInfo`` opens whatever file the name leads to under the zone directories: a
    directory (``America``), a system file (``posixrules``, ``localtime``) or nothing
    (``../etc``), failing with OS errors that quote install paths. Only names in the
    IANA list are looked up at all.
    """
    if zone_id not in zone_names():
        hint = _zone_hints().get(zone_id.strip().casefold()) if len(zone_id) < 64 else None
        suggestion = f"; did you mean {hint}?" if hint else ""
        raise ValueError(
            f"is not a known time zone: use an IANA name such as Europe/Zagreb{suggestion}"
            + given(zone_id)
        )
    try:
        return ZoneInfo(zone_id)
    except (OSError, ValueError):  # a damaged zone database: still the input's zone at fault
        raise ValueError(
            "cannot be loaded on this system: its time zone data is missing or damaged"
            + given(zone_id)
        ) from None


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    """IANA time zone names, from the tzdata package's list (the system's zones without it)."""
    try:
        listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return frozenset(available_timezones() - {"localtime", "posixrules"})
    return frozenset(listed.split())


@lru_cache(maxsize=1)
def _zone_hints() -> dict[str, str]:
    return {name.casefold(): name for name in zone_names()}


def _localize(naive: datetime, zone: ZoneInfo, zone_id: str, written: str) -> datetime:
    """Attach ``zone``, refusing wall-clock times that daylight saving skips.

    For a time that occurs twice (clocks going back) the first occurrence is used.
    """
    _refuse_skipped(naive, zone, zone_id, written)
    return naive.replace(tzinfo=zone, fold=0)


def infobip_datetime(moment: datetime) -> str:
    """``yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm``, the form Infobip's date-times take (``sendAt``,
    the ``sentSince`` of the logs: OpenAPI's ``yyyy-MM-dd'T'HH:mm:ss.SSSZ``).

    The year always has four digits (``strftime("%Y")`` drops the padding below 1000).
    """
    millis = moment.microsecond // 1000
    return (
        f"{moment.year:04d}"
        + moment.strftime("-%m-%dT%H:%M:%S.")
        + f"{millis:03d}"
        + moment.strftime("%z")
    )


def utc_now() -> datetime:
    return datetime.now(UTC)


SCHEDULE_HORIZON = timedelta(days=180)
# A step that computes "now" and hands it on arrives a moment late; that is not the past.
PAST_GRACE = timedelta(minutes=1)
