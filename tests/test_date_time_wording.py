"""An offset written with zero seconds (``+01:00:00``) is the whole-minute offset ISO 8601 and
Python read it as, at every date-time input and in the sandbox; and every date-time refusal,
of every action, reads one way: the field is the error's path (never repeated in the
message), the message says what is wrong and what is expected, and ends with the value given,
said once: `` (got "2027-02-29T10:00:00+01:00")``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from infobip_connector import component
from infobip_connector.definition.model import format_path
from infobip_connector.errors import InputError
from infobip_connector.triggers.age import stale

from .test_date_time_faults import FAULTS, _sandbox
from .test_date_times import (
    INSTANTS,
    NOW,
    QUERY_INSTANTS,
    SEND_AT,
    _sent,
    _with,
    _with_made,
    send_at_in,
)
from .test_mirrored_properties import _template_data

ZERO_SECONDS = [
    ("2027-01-10T10:00:00+01:00:00", "2027-01-10T10:00:00.000+0100"),
    ("2027-01-10T10:00:00+010000", "2027-01-10T10:00:00.000+0100"),
    ("2027-01-10T10:00-05:30:00.000", "2027-01-10T10:00:00.000-0530"),
    ("2027-01-10T10:00:00.5+00:00:00", "2027-01-10T10:00:00.500+0000"),
]
FORMS = ["text", "dateTime", "dateTime with zone"]


def _sent_wire(action: str, values: dict[str, Any]) -> str:
    (request,) = _sent(action, component.validate_input(action, values, now=NOW))
    return request.content.decode() + "?" + str(request.url)


@pytest.mark.parametrize(("action", "path"), SEND_AT)
@pytest.mark.parametrize(("written", "wire"), ZERO_SECONDS)
@pytest.mark.parametrize("form", FORMS)
def test_a_send_at_offset_with_zero_seconds_is_the_whole_minute(
    action: str, path: tuple[str | int, ...], written: str, wire: str, form: str
) -> None:
    if form == "dateTime with zone" and not written.endswith(("+01:00:00", "+010000")):
        pytest.skip("Europe/Zagreb is at +01:00 in January")
    values = _with(action, path, send_at_in(form, written))
    assert wire in _sent_wire(action, values)


@pytest.mark.parametrize(("action", "path"), INSTANTS)
@pytest.mark.parametrize(("written", "wire"), ZERO_SECONDS)
def test_an_instant_offset_with_zero_seconds_is_the_whole_minute(
    action: str, path: tuple[str | int, ...], written: str, wire: str
) -> None:
    values = _with_made(action, path, written)
    assert component.validate_input(action, values, now=NOW)
    (request,) = _sent(action, values)
    if path[-1] in {name for _, name in QUERY_INSTANTS}:
        assert (path[-1], wire) in parse_qsl(urlsplit(str(request.url)).query)
    else:
        assert wire.encode() in request.content


@pytest.mark.parametrize(
    "written", ["2027-01-10T10:00:00+01:00:30", "2027-01-10T10:00:00+01:00:00.5"]
)
@pytest.mark.parametrize(("action", "path"), INSTANTS)
def test_an_offset_with_seconds_other_than_zero_is_still_refused(
    action: str, path: tuple[str | int, ...], written: str
) -> None:
    with pytest.raises(InputError) as caught:
        _sent(action, _with_made(action, path, written))
    problems = {e["path"]: e["message"] for e in caught.value.errors}
    assert "offset with seconds" in problems[format_path(path)]


def test_the_sandbox_reads_an_offset_with_zero_seconds_as_the_whole_minute() -> None:
    written = "2026-11-30T10:00:00+01:00:00"
    offer = _template_data(limitedTimeOffer={"expirationTime": written})
    with _sandbox() as client:
        logs = client.get("/sms/3/logs", params={"sentSince": written})
        template = client.post("/whatsapp/1/message/template", json=offer)
    assert logs.status_code == 200, logs.text
    assert "expirationTime" not in template.text, template.text


# ---------------------------------------------------------------- one way of saying it

WRONG = [fault for fault, _, _ in FAULTS] + [
    "1999-12-31T23:59:59Z",
    "9999-12-31T23:00:00-05:00",
    "2026-12-01T10:00:00",
    "next tuesday",
    "2020-01-01T10:00:00Z",  # in the past
    "2027-12-01T10:00:00Z",  # more than 180 days ahead (an expired offer's time is fine)
]


def _refusals(action: str, values: dict[str, Any]) -> dict[str, str]:
    try:
        _sent(action, values)
    except InputError as caught:
        return {e["path"]: e["message"] for e in caught.errors}
    return {}


def _said_one_way(message: str, value: Any, field: str) -> None:
    """What is wrong first (never the field's name or the value), the value last, once."""
    got = f" (got {json.dumps(value, ensure_ascii=False)})"
    assert message.endswith(got), message
    text = value if isinstance(value, str) else value["dateTime"]
    assert message.count(text) == 1, message
    assert not message.startswith((field, text, "the date and time", "'")), message


@pytest.mark.parametrize(("action", "path"), SEND_AT)
@pytest.mark.parametrize("written", WRONG)
@pytest.mark.parametrize("form", FORMS)
def test_every_send_at_refusal_reads_one_way(
    action: str, path: tuple[str | int, ...], written: str, form: str
) -> None:
    value = send_at_in(form, written)
    problems = _refusals(action, _with(action, path, value))
    where = format_path(path)
    assert problems or form == "dateTime with zone", written  # a wall time in the zone
    for place, message in problems.items():
        assert place.startswith(where)
        if place == f"{where}.zoneId":
            _said_one_way(message, "Europe/Zagreb", "zoneId")
        elif place.endswith("dateTime") or form == "text":
            _said_one_way(message, written, "dateTime" if form != "text" else "sendAt")
        else:  # the whole object is at fault: the past, the 180 days, a missing zone
            _said_one_way(message, value, "sendAt")


@pytest.mark.parametrize(("action", "path"), INSTANTS)
@pytest.mark.parametrize("written", WRONG)
def test_every_instant_refusal_reads_one_way(
    action: str, path: tuple[str | int, ...], written: str
) -> None:
    problems = _refusals(action, _with_made(action, path, written))
    # A filter may name any moment, an offer may expire at any moment to come; a filter's
    # time can still end the range before the sample's sentSince starts it.
    moment = written.startswith("2027-12") or (
        written.startswith("2020") and "expirationTime" not in path
    )
    assert moment or format_path(path) in problems
    for message in problems.values():
        _said_one_way(message, written, str(path[-1]))


def test_an_unknown_zone_reads_one_way() -> None:
    (action, path) = SEND_AT[0]
    value = {"dateTime": "2026-12-01T10:00:00", "zoneId": "Mars/Olympus"}
    problems = _refusals(action, _with(action, path, value))
    _said_one_way(problems[format_path(path) + ".zoneId"], "Mars/Olympus", "zoneId")


def test_a_time_range_ending_before_it_starts_reads_one_way() -> None:
    since, until = "2026-11-30T10:00:00Z", "2026-11-30T09:00:00Z"
    problems = _refusals("getSmsLogs", {"sentSince": since, "sentUntil": until})
    _said_one_way(problems["sentUntil"], until, "sentUntil")


def test_an_event_too_old_reads_one_way() -> None:
    event = {"messageId": "m", "receivedAt": "2026-11-01T10:00:00.000+0000"}
    _, refusals = stale([event], [0], max_age=60, now=NOW.timestamp())
    ((error,),) = (r["errors"] for r in refusals)
    assert error["path"] == "results[0].receivedAt"
    _said_one_way(error["message"], event["receivedAt"], "receivedAt")
