"""Date-times wherever an action takes one: ``sendAt`` with its zone, and date-time filters.

Driven by the definition: every property declaring the ``sendAt`` rule and every
``DATE_TIME`` query parameter of every action is tried, so an action added later is covered.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from infobip_connector import InputError, component
from infobip_connector.definition.checked import validate
from infobip_connector.definition.model import Property, format_path, walk
from infobip_connector.errors import ConnectorError
from infobip_connector.runtime.timeutil import infobip_datetime, parse_instant

from .operations import OPERATIONS

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CONNECTION = {"token": "date-time-key-4c1e-77ab", "baseUrl": "https://api.infobip.com"}


def _places(rule: str) -> list[tuple[str, tuple[str | int, ...]]]:
    """``(action, path)`` of every property declaring ``rule``; a list's items are item 0."""
    found = []
    for action in component.definition.actions:
        for path, prop in walk(action.as_property()):
            if rule in prop.rules and path:
                found.append((action.name, tuple(0 if p == "*" else p for p in path)))
    return found


def _query_instants() -> list[tuple[str, str]]:
    return [
        (action.name, prop.name)
        for action in component.definition.actions
        for prop in action.properties
        if prop.location == "query" and prop.type == "DATE_TIME" and prop.name
    ]


def _with(action: str, path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """The action's sample input with ``value`` put at ``path``."""
    values = copy.deepcopy(OPERATIONS[action].sample)
    node: Any = values
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return values


def _sent(action: str, values: dict[str, Any]) -> list[httpx.Request]:
    """The requests ``action`` made for ``values``; Infobip's answer (a 400) is not the point."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(400, json={})

    try:
        component.execute(
            action, values, CONNECTION, transport=httpx.MockTransport(handler), now=NOW
        )
    except InputError:
        raise
    except ConnectorError:
        pass
    return seen


SEND_AT = _places("sendAt")


def send_at_in(form: str, written: str) -> Any:
    """A ``sendAt`` value holding ``written`` in ``form``: ``text``, ``dateTime`` or
    ``dateTime with zone`` (Europe/Zagreb)."""
    return {
        "text": written,
        "dateTime": {"dateTime": written},
        "dateTime with zone": {"dateTime": written, "zoneId": "Europe/Zagreb"},
    }[form]


def test_the_send_at_places_are_the_ones_known() -> None:
    assert {action for action, _ in SEND_AT} >= {"sendSms", "rescheduleSms"}


# ---------------------------------------------------------------- sendAt: offset and zone


@pytest.mark.parametrize(("action", "path"), SEND_AT)
@pytest.mark.parametrize(
    ("date_time", "zone_id"),
    [
        ("2026-12-01T10:00:00+02:00", "Europe/Zagreb"),  # Zagreb is +01:00 in December
        ("2026-12-01T10:00:00Z", "Europe/Zagreb"),
        ("2026-07-01T10:00:00+01:00", "Europe/Zagreb"),  # +02:00 in summer
        ("2026-12-01T10:00:00+05:00", "Asia/Kolkata"),  # +05:30 all year
    ],
)
def test_an_offset_the_zone_does_not_have_then_names_both_members(
    action: str, path: tuple[str | int, ...], date_time: str, zone_id: str
) -> None:
    values = _with(action, path, {"dateTime": date_time, "zoneId": zone_id})
    with pytest.raises(InputError) as caught:
        _sent(action, values)
    where = format_path(path)
    problems = {e["path"]: e["message"] for e in caught.value.errors}
    assert set(problems) == {f"{where}.dateTime", f"{where}.zoneId"}
    assert "zoneId" in problems[f"{where}.dateTime"]
    assert "dateTime" in problems[f"{where}.zoneId"]


@pytest.mark.parametrize(("action", "path"), SEND_AT)
@pytest.mark.parametrize(
    ("date_time", "zone_id", "wire"),
    [
        ("2026-12-01T10:00:00+01:00", "Europe/Zagreb", "2026-12-01T10:00:00.000+0100"),
        ("2026-12-01T10:00:00+0100", "Europe/Zagreb", "2026-12-01T10:00:00.000+0100"),
        ("2027-04-15T10:00:00+02:00", "Europe/Zagreb", "2027-04-15T10:00:00.000+0200"),
        ("2026-12-01T10:00:00Z", "Europe/London", "2026-12-01T10:00:00.000+0000"),
        ("2026-12-01T10:00:00+05:30", "Asia/Kolkata", "2026-12-01T10:00:00.000+0530"),
        # 02:30 occurs twice in Sydney on 2027-04-04: either offset names a real moment.
        ("2027-04-04T02:30:00+11:00", "Australia/Sydney", "2027-04-04T02:30:00.000+1100"),
        ("2027-04-04T02:30:00+10:00", "Australia/Sydney", "2027-04-04T02:30:00.000+1000"),
    ],
)
def test_an_offset_that_agrees_with_the_zone_is_sent_as_given(
    action: str, path: tuple[str | int, ...], date_time: str, zone_id: str, wire: str
) -> None:
    values = _with(action, path, {"dateTime": date_time, "zoneId": zone_id})
    validated = component.validate_input(action, values, now=NOW)
    (request,) = _sent(action, validated)
    assert wire.encode() in request.content


# ---------------------------------------------------------------- the years a date-time may name

TOO_EARLY_OR_LATE = [
    "0999-12-01T10:00:00+01:00",
    "0001-01-01T00:00:00+14:00",
    "1999-12-31T23:59:59Z",
    "9999-12-31T23:00:00-05:00",  # the year 10000 in UTC
]


@pytest.mark.parametrize(("action", "path"), SEND_AT)
@pytest.mark.parametrize("written", TOO_EARLY_OR_LATE)
@pytest.mark.parametrize("form", ["text", "dateTime", "dateTime with zone", "local with zone"])
def test_a_send_at_outside_the_years_is_refused_never_a_crash(
    action: str, path: tuple[str | int, ...], written: str, form: str
) -> None:
    value: Any = {
        "text": written,
        "dateTime": {"dateTime": written},
        "dateTime with zone": {"dateTime": written, "zoneId": "Pacific/Kiritimati"},
        "local with zone": {"dateTime": written[:19], "zoneId": "America/New_York"},
    }[form]
    values = _with(action, path, value)
    with pytest.raises(InputError) as caught:
        _sent(action, values)
    assert all(e["path"].startswith(format_path(path)) for e in caught.value.errors)


QUERY_INSTANTS = _query_instants()


def test_the_date_time_filters_are_the_ones_known() -> None:
    assert {("getSmsLogs", "sentSince"), ("getSmsLogs", "sentUntil")} <= set(QUERY_INSTANTS)


@pytest.mark.parametrize(("action", "name"), QUERY_INSTANTS)
@pytest.mark.parametrize("written", TOO_EARLY_OR_LATE)
def test_a_date_time_filter_outside_the_years_is_refused(
    action: str, name: str, written: str
) -> None:
    with pytest.raises(InputError) as caught:
        _sent(action, {name: written})
    (problem,) = caught.value.errors
    assert problem["path"] == name and "2000 to 9999" in problem["message"]


@pytest.mark.parametrize(("action", "name"), QUERY_INSTANTS)
@pytest.mark.parametrize(
    ("written", "wire"),
    [
        ("2000-01-01T00:00:00Z", "2000-01-01T00:00:00.000+0000"),
        ("2026-11-30T09:00:00.25+05:30", "2026-11-30T09:00:00.250+0530"),
        ("2026-11-30t09:00:00-0330", "2026-11-30T09:00:00.000-0330"),
        ("9999-12-31T10:00:00+01:00", "9999-12-31T10:00:00.000+0100"),
    ],
)
def test_a_date_time_filter_goes_in_infobips_form(
    action: str, name: str, written: str, wire: str
) -> None:
    (request,) = _sent(action, {name: written})
    assert (name, wire) in parse_qsl(urlsplit(str(request.url)).query)


@pytest.mark.parametrize(
    ("moment", "wire"),
    [
        (datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC), "0999-01-02T03:04:05.000+0000"),
        (datetime(33, 1, 1, tzinfo=timezone(timedelta(hours=1))), "0033-01-01T00:00:00.000+0100"),
        (datetime(2026, 12, 1, 9, tzinfo=UTC), "2026-12-01T09:00:00.000+0000"),
    ],
)
def test_the_year_is_always_written_with_four_digits(moment: datetime, wire: str) -> None:
    assert infobip_datetime(moment) == wire


def test_a_date_time_query_parameter_must_carry_the_instant_rule() -> None:
    with pytest.raises(ValueError, match="instant"):
        validate(
            Property,
            {"name": "since", "type": "DATE_TIME", "in": "query", "controlType": "DATE_TIME"},
        )


# ---------------------------------------------------------------- offsets a date-time may carry

INSTANTS = _places("instant")
OFFSETS_NO_ZONE_HAS = [
    ("2026-12-05T09:00:00+19:00", "-18:00 to +18:00"),
    ("2030-01-01T10:00:00-23:59", "-18:00 to +18:00"),
    ("2026-12-05T09:00:00+18:01", "-18:00 to +18:00"),
    # An offset with seconds (+01:00:30) never gets this far: the input schemas' pattern
    # refuses it (test_an_offset_with_seconds_is_never_written covers the reader itself).
]


def _with_made(action: str, path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """``_with``, making the objects on ``path`` the sample lacks (an optional offer)."""
    values = copy.deepcopy(OPERATIONS[action].sample)
    node: Any = values
    for step in path[:-1]:
        node = node[step] if isinstance(step, int) else node.setdefault(step, {})
    node[path[-1]] = value
    return values


def test_the_instant_places_are_the_ones_known() -> None:
    assert {path[-1] for _, path in INSTANTS} >= {"expirationTime", "sentSince", "sentUntil"}


@pytest.mark.parametrize(("action", "path"), INSTANTS)
@pytest.mark.parametrize(("written", "said"), OFFSETS_NO_ZONE_HAS)
def test_an_instant_with_an_offset_out_of_range_is_refused_at_its_path(
    action: str, path: tuple[str | int, ...], written: str, said: str
) -> None:
    with pytest.raises(InputError) as caught:
        _sent(action, _with_made(action, path, written))
    problems = {e["path"]: e["message"] for e in caught.value.errors}
    assert said in problems[format_path(path)]


@pytest.mark.parametrize(("action", "path"), SEND_AT)
@pytest.mark.parametrize(("written", "said"), OFFSETS_NO_ZONE_HAS)
@pytest.mark.parametrize("form", ["text", "dateTime", "dateTime with zone"])
def test_a_send_at_with_an_offset_out_of_range_is_refused_at_its_path(
    action: str, path: tuple[str | int, ...], written: str, said: str, form: str
) -> None:
    value = send_at_in(form, written)
    with pytest.raises(InputError) as caught:
        _sent(action, _with(action, path, value))
    where = format_path(path) + ("" if form == "text" else ".dateTime")
    problems = {e["path"]: e["message"] for e in caught.value.errors}
    assert said in problems[where]


@pytest.mark.parametrize(("action", "name"), QUERY_INSTANTS)
@pytest.mark.parametrize(
    ("written", "wire"),
    [
        ("2026-11-30T09:00:00+18:00", "2026-11-30T09:00:00.000+1800"),
        ("2026-11-30T09:00:00-18:00", "2026-11-30T09:00:00.000-1800"),
    ],
)
def test_the_widest_offsets_are_sent(action: str, name: str, written: str, wire: str) -> None:
    (request,) = _sent(action, {name: written})
    assert (name, wire) in parse_qsl(urlsplit(str(request.url)).query)


# ---------------------------------------------------------------- what a refusal says


@pytest.mark.parametrize(("action", "name"), QUERY_INSTANTS)
def test_a_date_time_past_the_last_instant_says_why(action: str, name: str) -> None:
    with pytest.raises(InputError) as caught:
        _sent(action, {name: "9999-12-31T23:59:59-12:00"})
    (problem,) = caught.value.errors
    assert "the year 10000 in UTC" in problem["message"]
    assert "9999-12-31T23:59:59.999Z" in problem["message"]


@pytest.mark.parametrize("written", ["2026-12-05T09:00:00+01:00:30", "2026-12-05T09:00+01:00:00.5"])
def test_an_offset_with_seconds_is_never_written(written: str) -> None:
    # Infobip's ±hhmm has no seconds: strftime would write +010030.
    with pytest.raises(ValueError, match="whole minutes"):
        parse_instant(written)
