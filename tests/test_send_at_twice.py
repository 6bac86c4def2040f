"""A local sendAt the clocks pass twice (when they go back): the first, unless an offset names
the second; and the reference says so where the field is described."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from infobip_connector import component

NOW = datetime(2027, 3, 1, tzinfo=UTC)
# Sydney goes back from 03:00 +11:00 to 02:00 +10:00 on 2027-04-04: 02:30 happens twice.
TWICE = "2027-04-04T02:30:00"


def _sent(date_time: str) -> str:
    values = {
        "messages": [
            {
                "destinations": [{"to": "41793026727"}],
                "text": "x",
                "sendAt": {"dateTime": date_time, "zoneId": "Australia/Sydney"},
            }
        ]
    }
    body = component.runtime("sendSms").prepare(values, NOW).body
    sent: str = body["messages"][0]["sendAt"]
    return sent


def test_a_time_passed_twice_means_the_first_unless_an_offset_names_the_second() -> None:
    assert _sent(TWICE) == "2027-04-04T02:30:00.000+1100"
    assert _sent(TWICE + "+11:00") == "2027-04-04T02:30:00.000+1100"
    assert _sent(TWICE + "+10:00") == "2027-04-04T02:30:00.000+1000"


@pytest.mark.parametrize("action", ["sendSms", "rescheduleSms"])
def test_the_reference_says_which_occurrence_is_meant(action: str) -> None:
    described = json.dumps(component.input_schema(action))
    assert "they pass twice (when they go back) means the first, unless an offset" in described
