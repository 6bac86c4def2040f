"""Date-times: reading ``sendAt`` and the date-time filters as people give them, writing them
as Infobip reads them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

#: The years a date-time may be written in. Infobip's platform reads four-digit years, and
#: nothing it keeps (48 hours of logs, schedules 180 days ahead) is older than 2000.
FIRST_YEAR, LAST_YEAR = 2000, 9999
#: The last instant a date-time may name (an offset west of UTC can move 9999 into 10000).
_LATEST = datetime(LAST_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


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
    that moment (ZoneConflict otherwise). Raises ValueError with a message meant for the
    person who wrote the value.
    """
    if isinstance(value, str):
        moment = _parse(value, "sendAt")
        if moment.tzinfo is None:
            raise ValueError(
                "as text, needs an offset such as +01:00 or Z; or give {dateTime, zoneId}"
            )
        return moment
    try:
        moment = _parse(value["dateTime"], "dateTime")
    except ValueError as exc:
        raise ZoneConflict({"dateTime": str(exc)}) from None
    zone_id = value.get("zoneId")
    if zone_id is None:
        if moment.tzinfo is None:
            raise ValueError("dateTime has no offset: also give zoneId, e.g. Europe/Zagreb")
        return moment
    tz = zone(zone_id)
    if moment.tzinfo is not None:
        return _agreeing(moment, tz, zone_id)
    return _localize(moment, tz, zone_id)


def _agreeing(moment: datetime, tz: ZoneInfo, zone_id: str) -> datetime:
    """``moment`` in ``tz``, when its own offset is one the zone has at its wall time.

    The advice is worked out from the wall time written, not from the instant: following
    it keeps that wall time and is accepted. A wall time the zone skips gets the same
    advice as without an offset (``_localize``): no offset can make it a time there.
    """
    wall = moment.replace(tzinfo=None)
    _refuse_skipped(wall, tz, zone_id)
    local = _converted(moment, tz)
    if local.utcoffset() == moment.utcoffset():
        return local
    said, actual = (
        _offset_text(moment.utcoffset()),
        _offset_text(wall.replace(tzinfo=tz).utcoffset()),
    )
    raise ZoneConflict(
        {
            "dateTime": f"has the offset {said}, but zoneId {zone_id} is at {actual} then: "
            f"give dateTime without an offset, or with {actual}",
            "zoneId": f"{zone_id} is at {actual} at {wall.isoformat()}, not at the offset "
            f"{said} that dateTime gives: correct one of them (or leave zoneId out)",
        }
    )


def _refuse_skipped(wall: datetime, tz: ZoneInfo, zone_id: str) -> None:
    """ZoneConflict at ``dateTime`` when clocks in ``tz`` jump over the wall time ``wall``.

    The advice is the wall time the same distance past the change (02:30 → 03:30 when
    clocks go from 02:00 to 03:00), the time the clocks show that long after the change,
    which exists by construction.
    """
    before = wall.replace(tzinfo=tz, fold=0)
    after = _converted(_converted(before, UTC), tz)
    if after.replace(tzinfo=None) == wall:
        return
    shift = f"{_offset_text(before.utcoffset())} to {_offset_text(after.utcoffset())}"
    raise ZoneConflict(
        {
            "dateTime": f"{wall.isoformat()} does not exist in {zone_id}: clocks move forward "
            f"then (from {shift}), so no offset makes it a time there; give "
            f"{after.replace(tzinfo=None).isoformat()} (that is {after.isoformat()}), "
            "or another time"
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
    except OverflowError:
        raise ValueError(
            f"{moment.isoformat()} is outside the years {FIRST_YEAR} to {LAST_YEAR}"
        ) from None


def parse_instant(text: str, what: str) -> datetime:
    """An aware datetime from an ISO-8601 string that carries its offset (or ``Z``), as
    OpenAPI's ``format: date-time`` requires; ``what`` names the field in the ValueError."""
    moment = _parse(text, what)
    if moment.tzinfo is None:
        raise ValueError(f"{what} needs an offset such as +01:00 or Z")
    return moment


def _parse(text: str, what: str) -> datetime:
    """``text`` read as ISO-8601, written in the years FIRST_YEAR..LAST_YEAR.

    Earlier years are refused: Python writes them without padding (``999-01-01``), which
    Infobip cannot read, and converting one across an offset leaves the calendar.
    """
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise ValueError(f"{what} {text!r} is not an ISO-8601 date and time") from None
    if moment.year < FIRST_YEAR or (moment.tzinfo is not None and moment > _LATEST):
        raise ValueError(f"{what} {text!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return moment


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
        shown = repr(zone_id) if len(zone_id) <= 40 else repr(zone_id[:37] + "...")
        raise ValueError(
            f"unknown time zone {shown}: use an IANA name such as Europe/Zagreb{suggestion}"
        )
    try:
        return ZoneInfo(zone_id)
    except (OSError, ValueError):  # a damaged zone database: still the input's zone at fault
        raise ValueError(f"time zone {zone_id} cannot be loaded on this system") from None


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


def _localize(naive: datetime, zone: ZoneInfo, zone_id: str) -> datetime:
    """Attach ``zone``, refusing wall-clock times that daylight saving skips.

    For a time that occurs twice (clocks going back) the first occurrence is used.
    """
    _refuse_skipped(naive, zone, zone_id)
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
