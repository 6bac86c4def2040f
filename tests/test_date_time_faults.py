"""A date-time written in the right shape but naming no moment (29 February 2027, second 60,
hour 24, month 13, 31 November, an offset with seconds or with 75 minutes) is refused at its
path with the part at fault named, never only "not an ISO 8601 date-time": every ``sendAt``
(as text, as ``dateTime`` with or without a zone), every instant (the offer's
``expirationTime``, the log filters); and the sandbox names the same part, in Java's words."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from infobip_connector.definition.model import format_path
from infobip_connector.errors import InputError
from infobip_connector.runtime.datetime_faults import date_time_fault
from infobip_connector.sandbox import Sandbox

from .sandbox_support import KEY
from .test_date_times import (
    INSTANTS,
    QUERY_INSTANTS,
    SEND_AT,
    _sent,
    _with,
    _with_made,
    send_at_in,
)
from .test_mirrored_properties import _template_data

# (written, words of the connector's message, words of the sandbox's message)
FAULTS = [
    ("2026-12-01T10:00:00+01:00:30", "offset with seconds (+01:00:30)", "whole minutes"),
    ("2027-02-29T10:00:00+01:00", "2027 is not a leap year", "'2027' is not a leap year"),
    ("2026-12-01T10:00:60+01:00", "has the second 60", "SecondOfMinute (valid values 0 - 59)"),
    ("2026-12-01T24:00:00+01:00", "has the hour 24", "HourOfDay (valid values 0 - 23): 24"),
    ("2026-13-01T10:00:00+01:00", "has the month 13", "MonthOfYear (valid values 1 - 12): 13"),
    ("2026-11-31T10:00:00+01:00", "November has 30 days", "Invalid date 'NOVEMBER 31'"),
    ("2026-04-31T10:00:00+01:00", "April has 30 days", "Invalid date 'APRIL 31'"),
    ("2026-12-00T10:00:00+01:00", "has the day 00", "DayOfMonth (valid values 1 - 28/31): 0"),
    ("2026-12-01T10:60:00+01:00", "has the minute 60", "MinuteOfHour (valid values 0 - 59)"),
    ("2026-12-01T10:00:00+01:75", "minutes are not 00 to 59", "minutes not in valid range"),
    ("2026-12-01T10:00:00+25:00", "-18:00 to +18:00", "hours not in valid range"),
]
CONNECTOR = [pytest.param(written, said, id=written) for written, said, _ in FAULTS]


def _problems(action: str, values: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        _sent(action, values)
    return {e["path"]: e["message"] for e in caught.value.errors}


@pytest.mark.parametrize(("action", "path"), SEND_AT)
@pytest.mark.parametrize(("written", "said"), CONNECTOR)
@pytest.mark.parametrize("form", ["text", "dateTime", "dateTime with zone"])
def test_a_send_at_naming_no_moment_says_which_part_is_wrong(
    action: str, path: tuple[str | int, ...], written: str, said: str, form: str
) -> None:
    value = send_at_in(form, written)
    problems = _problems(action, _with(action, path, value))
    where = format_path(path) + ("" if form == "text" else ".dateTime")
    assert said in problems[where], problems
    assert "not an ISO" not in problems[where]


@pytest.mark.parametrize(("action", "path"), INSTANTS)
@pytest.mark.parametrize(("written", "said"), CONNECTOR)
def test_an_instant_naming_no_moment_says_which_part_is_wrong(
    action: str, path: tuple[str | int, ...], written: str, said: str
) -> None:
    problems = _problems(action, _with_made(action, path, written))
    assert said in problems[format_path(path)], problems


def test_a_local_date_time_naming_no_moment_says_so_too() -> None:
    assert date_time_fault("2027-02-29T10:00") is not None
    assert date_time_fault("2027-02-29 10:00:00.5") is not None
    for fine in ("2028-02-29T10:00:00Z", "2026-12-31T23:59:59.999-18:00", "not a date"):
        assert date_time_fault(fine) is None


# ---------------------------------------------------------------- the sandbox


def _sandbox() -> httpx.Client:
    return httpx.Client(
        transport=Sandbox(api_key=KEY, deliver_reports=False).transport(),
        base_url="https://api.infobip.com",
        headers={"Authorization": f"App {KEY}"},
    )


def _wire(written: str) -> str:
    """``written`` in Infobip's form (``.SSS±hhmm``), its impossible part kept."""
    date_time, sign, offset = written[:19], written[19], written[20:]
    return f"{date_time}.000{sign}{offset.replace(':', '', 1)}"


SANDBOX = [pytest.param(written, said, id=written) for written, _, said in FAULTS]


@pytest.mark.parametrize(("written", "said"), SANDBOX)
def test_the_sandbox_names_the_part_of_a_send_at_at_fault(written: str, said: str) -> None:
    message = {"destinations": [{"to": "41793026727"}], "text": "hi", "sendAt": _wire(written)}
    with _sandbox() as client:
        answer = client.post("/sms/2/text/advanced", json={"messages": [message]})
        bulk = client.put("/sms/1/bulks", params={"bulkId": "b"}, json={"sendAt": _wire(written)})
    assert answer.status_code == 400
    errors = answer.json()["requestError"]["serviceException"]["validationErrors"]
    assert said in errors["messages[0].sendAt"][0]
    assert bulk.status_code == 400
    assert said in bulk.json()["requestError"]["serviceException"]["validationErrors"]["sendAt"][0]


@pytest.mark.parametrize(("written", "said"), SANDBOX)
def test_the_sandbox_names_the_part_of_a_log_filter_at_fault(written: str, said: str) -> None:
    with _sandbox() as client:
        answer = client.get("/sms/3/logs", params={"sentSince": written})
    assert answer.status_code == 400
    errors = answer.json()["requestError"]["serviceException"]["validationErrors"]
    assert said in errors["sentSince"][0]


def test_query_instants_are_the_log_filters() -> None:
    assert {name for _, name in QUERY_INSTANTS} >= {"sentSince", "sentUntil"}


@pytest.mark.parametrize(("written", "said"), SANDBOX)
def test_the_sandbox_names_the_part_of_an_expiration_time_at_fault(written: str, said: str) -> None:
    values = _template_data(limitedTimeOffer={"expirationTime": written})
    with _sandbox() as client:
        answer = client.post("/whatsapp/1/message/template", json=values)
    assert answer.status_code == 400
    errors = answer.json()["requestError"]["serviceException"]["validationErrors"]
    [where] = [path for path in errors if path.endswith("limitedTimeOffer.expirationTime")]
    assert said in errors[where][0]
