"""Scheduling times: reading ``sendAt`` as people give it, writing it as Infobip reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def resolve_send_at(value: Any) -> datetime:
    """An aware datetime from ``{dateTime, zoneId}`` or an ISO-8601 string with an offset.

    Raises ValueError with a message meant for the person who wrote the value.
    """
    if isinstance(value, str):
        moment = _parse(value, "sendAt")
        if moment.tzinfo is None:
            raise ValueError(
                "as text, needs an offset such as +01:00 or Z; or give {dateTime, zoneId}"
            )
        return moment
    moment = _parse(value["dateTime"], "dateTime")
    zone_id = value.get("zoneId")
    if zone_id is None:
        if moment.tzinfo is None:
            raise ValueError("dateTime has no offset: also give zoneId, e.g. Europe/Zagreb")
        return moment
    zone = _zone(zone_id)
    if moment.tzinfo is not None:
        return moment.astimezone(zone)
    return _localize(moment, zone, zone_id)


def _parse(text: str, what: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise ValueError(f"{what} {text!r} is not an ISO-8601 date and time") from None


def _zone(zone_id: str) -> ZoneInfo:
    try:
        return ZoneInfo(zone_id)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {zone_id!r}; use an IANA name such as Europe/Zagreb"
        ) from None


def _localize(naive: datetime, zone: ZoneInfo, zone_id: str) -> datetime:
    """Attach ``zone``, refusing wall-clock times that daylight saving skips.

    For a time that occurs twice (clocks going back) the first occurrence is used.
    """
    aware = naive.replace(tzinfo=zone, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise ValueError(
            f"{naive.isoformat()} does not exist in {zone_id} (clocks move forward then); "
            "pick another time or give an offset"
        )
    return aware


def infobip_datetime(moment: datetime) -> str:
    """``yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm``, the form Infobip's ``sendAt`` takes."""
    millis = moment.microsecond // 1000
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis:03d}" + moment.strftime("%z")


def utc_now() -> datetime:
    return datetime.now(UTC)


SCHEDULE_HORIZON = timedelta(days=180)
# A step that computes "now" and hands it on arrives a moment late; that is not the past.
PAST_GRACE = timedelta(minutes=1)
