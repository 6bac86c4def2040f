"""``sendAt`` around daylight saving changes: whatever offset is written with a wall time,
the advice of the error, when followed, is accepted (no advice that the next try refuses).
A wall time the zone skips gets one message at ``dateTime``; with an offset, the instant it
names exists, so the refusal names the offset the zone has then, at both members."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from infobip_connector import InputError, component

DATE_TIME = "messages[0].sendAt.dateTime"
# Zones with a one-hour change, a half-hour change (Lord Howe) and a southern one.
ZONES = ["Europe/Zagreb", "America/New_York", "Australia/Lord_Howe", "Australia/Sydney"]
OFFSETS = ["", "+00:00", "+01:00", "+02:00", "-04:00", "-05:00", "+10:00", "+10:30", "+11:00"]


def transitions(zone_id: str, year: int) -> list[datetime]:
    """The UTC instants in ``year`` at which ``zone_id`` changes its offset (to the hour)."""
    tz = ZoneInfo(zone_id)
    found = []
    hour = datetime(year, 1, 1, tzinfo=UTC)
    while hour.year == year:
        if (
            hour.astimezone(tz).utcoffset()
            != (hour + timedelta(hours=1)).astimezone(tz).utcoffset()
        ):
            found.append(hour)
        hour += timedelta(hours=1)
    return found


def problems(date_time: str, zone_id: str, now: datetime) -> list[dict[str, str]] | None:
    message = {"destinations": [{"to": "41793026727"}], "text": "x"}
    message["sendAt"] = {"dateTime": date_time, "zoneId": zone_id}  # type: ignore[assignment]
    try:
        component.validate_input("sendSms", {"messages": [message]}, now=now)
    except InputError as error:
        return error.errors
    return None


def followed(errors: list[dict[str, str]], wall: str) -> list[str]:
    """Every ``dateTime`` the errors' advice says to give instead."""
    text = " ".join(e["message"] for e in errors)
    instant = re.findall(r"for the same instant, write (\S+)", text)
    given = re.search(r"give (\S+) \(that is (\S+)\)", text)
    if given:
        return [given.group(1), given.group(2).rstrip(","), *instant]
    offset = re.search(r"give dateTime without an offset, or with ([+-]\d\d:\d\d)", text)
    assert offset and instant, text
    return [wall, wall + offset.group(1), *instant]


@pytest.mark.parametrize("zone_id", ZONES)
def test_following_the_advice_is_accepted(zone_id: str) -> None:
    tz = ZoneInfo(zone_id)
    for change in transitions(zone_id, 2027):
        now = change - timedelta(days=2)
        local = change.astimezone(tz).replace(tzinfo=None, minute=0)
        for step in range(-12, 16):  # every quarter of an hour, three hours either side
            wall = (local + timedelta(minutes=15 * step)).isoformat()
            for offset in OFFSETS:
                errors = problems(wall + offset, zone_id, now)
                if errors is None:
                    continue
                assert {e["path"] for e in errors} <= {DATE_TIME, "messages[0].sendAt.zoneId"}
                for advice in followed(errors, wall):
                    assert problems(advice, zone_id, now) is None, (wall + offset, errors, advice)


def test_a_skipped_wall_time_without_an_offset_gets_one_message() -> None:
    now = datetime(2027, 3, 1, tzinfo=UTC)
    errors = problems("2027-03-28T02:30:00", "Europe/Zagreb", now)
    assert errors is not None and [e["path"] for e in errors] == [DATE_TIME]
    message = errors[0]["message"]
    assert "does not exist in Europe/Zagreb" in message
    assert "give 2027-03-28T03:30:00 (that is 2027-03-28T03:30:00+02:00)" in message


@pytest.mark.parametrize(
    ("offset", "instant"),
    [
        ("Z", "2027-03-28T04:30:00+02:00"),
        ("+01:00", "2027-03-28T03:30:00+02:00"),
        ("+02:00", "2027-03-28T01:30:00+01:00"),
        ("-03:00", "2027-03-28T07:30:00+02:00"),
    ],
)
def test_a_skipped_wall_time_with_an_offset_names_the_offset_the_zone_has(
    offset: str, instant: str
) -> None:
    # The instant exists: the fault is an offset the zone does not have at it.
    now = datetime(2027, 3, 1, tzinfo=UTC)
    errors = problems("2027-03-28T02:30:00" + offset, "Europe/Zagreb", now)
    assert errors is not None
    found = {e["path"]: e["message"] for e in errors}
    said = "+00:00" if offset == "Z" else offset
    there = instant[-6:]
    assert found[DATE_TIME].startswith(
        f"has the offset {said}, but zoneId Europe/Zagreb is at {there} at that instant"
    )
    assert f"for the same instant, write {instant}" in found[DATE_TIME]
    assert "give 2027-03-28T03:30:00 (that is 2027-03-28T03:30:00+02:00)" in found[DATE_TIME]
    assert there in found["messages[0].sendAt.zoneId"]


@pytest.mark.parametrize(
    "date_time", ["2027-03-28T02:30:00+25:00", "2027-03-28T02:30:00+01:00:30", "2027-13-01T00:00"]
)
def test_a_date_time_that_cannot_be_read_is_refused_at_date_time(date_time: str) -> None:
    errors = problems(date_time, "Europe/Zagreb", datetime(2027, 3, 1, tzinfo=UTC))
    assert errors is not None and [e["path"] for e in errors] == [DATE_TIME]


def test_a_repeated_wall_time_takes_either_offset() -> None:
    now = datetime(2027, 10, 1, tzinfo=UTC)
    for offset in ("+01:00", "+02:00", ""):
        assert problems("2027-10-31T02:30:00" + offset, "Europe/Zagreb", now) is None
