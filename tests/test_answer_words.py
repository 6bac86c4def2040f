"""What an answer's unusable field is called, and what an answer that differs says.

A scheduled bulk's ``bulkId`` that names no bulk at all (``true``, ``""``, a list, a
fraction) is told as such, not as "another bulk"; its ``sendAt`` is read as Infobip may
write one (any calendar date-time with its offset, however old), not by the input's years,
and one that cannot be read says why; an answer that is not an object has a problem with a
message like any other; a status change answered with another status is kept as given and
named in a WARNING.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from infobip_connector import OutcomeUnknownError, component

CONNECTION = {"token": "answer-words-token-8d3a", "baseUrl": "https://xyz12.api.infobip.com"}
SEND_AT = "2026-12-20T09:00:00.000+0000"
VALUES: dict[str, dict[str, Any]] = {
    "getScheduledSms": {"bulkId": "12"},
    "rescheduleSms": {"bulkId": "12", "sendAt": SEND_AT},
    "getScheduledSmsStatus": {"bulkId": "12"},
    "updateScheduledSmsStatus": {"bulkId": "12", "status": "PAUSED"},
}
ANSWERS: dict[str, dict[str, Any]] = {
    "getScheduledSms": {"bulkId": "12", "sendAt": SEND_AT},
    "rescheduleSms": {"bulkId": "12", "sendAt": SEND_AT},
    "getScheduledSmsStatus": {"bulkId": "12", "status": "PENDING"},
    "updateScheduledSmsStatus": {"bulkId": "12", "status": "PAUSED"},
}
SMS = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "hi"}]}
EVERY_ACTION: dict[str, dict[str, Any]] = {
    **VALUES,
    "sendSms": SMS,
    "getSmsLogs": {},
    "getSmsDeliveryReports": {},
    "getInboundSms": {},
    "previewSms": {"text": "hi"},
}
CONSUMES = ("getSmsDeliveryReports", "getInboundSms")


def execute(action: str, answer: Any, values: dict[str, Any] | None = None) -> Any:
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json=answer))
    values = VALUES[action] if values is None else values
    return component.execute(action, values, CONNECTION, transport=transport)


def unknown(action: str, answer: Any, values: dict[str, Any] | None = None) -> Any:
    with pytest.raises(OutcomeUnknownError) as caught:
        execute(action, answer, values)
    return caught.value


@pytest.mark.parametrize("action", VALUES)
@pytest.mark.parametrize(
    ("named", "said"),
    [
        (True, "true"),
        (False, "false"),
        ([], "a list"),
        (["12"], "a list"),
        ({}, "an object"),
        ("", "empty text"),
        ("  ", "blank text"),
        (12.0, "a number"),
        (1.5, "a number"),
    ],
)
def test_a_bulk_id_that_names_no_bulk_is_told_as_such(action: str, named: Any, said: str) -> None:
    error = unknown(action, {**ANSWERS[action], "bulkId": named})
    problem = f"is not a bulk ID (given {said})"
    assert error.details["problems"] == [{"path": "bulkId", "message": problem}]
    assert "another bulk" not in error.message
    assert error.details["bulkId"] == "12"


@pytest.mark.parametrize("action", VALUES)
@pytest.mark.parametrize("named", ["13", 13, "12 "])
def test_another_bulk_is_still_another_bulk(action: str, named: Any) -> None:
    error = unknown(action, {**ANSWERS[action], "bulkId": named})
    assert error.details["problems"][0]["message"] == "names another bulk than the one asked for"


@pytest.mark.parametrize("action", ["getScheduledSms", "rescheduleSms"])
@pytest.mark.parametrize(
    "send_at",
    [
        "1970-01-01T00:00:00.000+0000",  # a Java default
        "1999-12-31T23:59:59.999+0000",
        "0001-01-01T00:00:00.000+0000",
        "2026-12-01T08:00:00Z",
        "2026-12-01T08:00:00.000+01:00",
        "2026-12-01T08:00:00.123456789-0530",
        "2026-12-01T08:00+0000",
    ],
)
def test_a_send_at_is_read_as_infobip_may_write_it(action: str, send_at: str) -> None:
    answer = {**ANSWERS[action], "sendAt": send_at}
    assert execute(action, answer) == answer


@pytest.mark.parametrize("action", ["getScheduledSms", "rescheduleSms"])
@pytest.mark.parametrize(
    ("send_at", "said"),
    [
        (1799575200000, "is not a date-time with its offset (given a whole number; Infobip"),
        ("garbage", "is not a date-time with its offset (Infobip writes"),
        ("2026-12-01T08:00:00.000", "has no offset, so it names no moment"),
        ("2026-02-30T08:00:00.000+0000", "is not a date-time of the calendar (day is out of"),
        ("2026-12-01T24:00:00.000+0000", "is not a date-time of the calendar (hour must be"),
        ("2026-12-01T08:00:00.000+2500", "has an offset beyond ±18:00"),
        ("2026-12-01T08:00:00.000+0175", "has an offset beyond ±18:00"),
    ],
)
def test_an_unreadable_send_at_says_why(action: str, send_at: Any, said: str) -> None:
    error = unknown(action, {**ANSWERS[action], "sendAt": send_at})
    (problem,) = error.details["problems"]
    assert problem["path"] == "sendAt"
    assert problem["message"].startswith(said)
    assert said in error.message


@pytest.mark.parametrize("action", EVERY_ACTION)
@pytest.mark.parametrize(
    ("answer", "kind"), [([{"bulkId": "12"}], "a list"), ("ok", "text"), (7, "a whole number")]
)
def test_an_answer_that_is_not_an_object_has_a_problem_with_a_message(
    action: str, answer: Any, kind: str
) -> None:
    problems = unknown(action, answer, EVERY_ACTION[action]).details["problems"]
    object_of = "an object with a list of results" if action in CONSUMES else "an object"
    assert problems == [{"path": "", "message": f"must be {object_of}, not {kind}"}]


@pytest.mark.parametrize("given", ["CANCELED", "PROCESSING", "FOO", ""])
def test_a_status_change_answered_with_another_status_warns(
    caplog: pytest.LogCaptureFixture, given: str
) -> None:
    answer = {"bulkId": "12", "status": given}
    with caplog.at_level(logging.WARNING, logger="infobip_connector"):
        assert execute("updateScheduledSmsStatus", answer) == answer
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    text = record.getMessage()
    assert "updateScheduledSmsStatus" in text
    assert '"PAUSED"' in text
    assert f'"{given}"' in text


def test_a_long_status_is_cut_in_the_warning(caplog: pytest.LogCaptureFixture) -> None:
    answer = {"bulkId": "12", "status": "Z" * 300_000}
    with caplog.at_level(logging.WARNING, logger="infobip_connector"):
        assert execute("updateScheduledSmsStatus", answer) == answer
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(record.getMessage()) < 300 and '"ZZZ' in record.getMessage()


@pytest.mark.parametrize("action", VALUES)
def test_an_answer_with_the_status_asked_for_says_nothing(
    caplog: pytest.LogCaptureFixture, action: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="infobip_connector"):
        assert execute(action, ANSWERS[action]) == ANSWERS[action]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
