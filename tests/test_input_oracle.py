"""The property-based input test's own judges fail when they should.

``assert_round_trip`` (the oracle of a valid input's request) must refuse a request whose body
or query does not carry the values given, and ``is_related`` (whether an error names the broken
place) must refuse an error at another place. Either one passing everything would let the
property test pass whatever the connector sends or wherever it points. (No action has a path
parameter yet: the oracle's check of those has nothing to judge.)
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.runtime.timeutil import infobip_datetime

from .input_field_draws import PHONES
from .input_mutations import is_related, set_at
from .input_oracle import assert_round_trip
from .input_schema_draws import NOW, Path_

WRITTEN, DIGITS = next(phone for phone in PHONES if phone[0].startswith("+"))
OTHER = next(phone[0] for phone in PHONES if phone[0].startswith("00") and phone[1] != DIGITS)
SEND_AT = NOW + timedelta(days=1, hours=3)
VALUES = {
    "bulkId": "bulk-1",
    "messages": [
        {
            # The second destination's messageId is generated: a UUID.
            "destinations": [{"to": WRITTEN, "messageId": "message-1"}, {"to": OTHER}],
            "from": "InfoSMS",
            "text": "Hello",
            "sendAt": SEND_AT.isoformat(),
        }
    ],
    "sendingSpeedLimit": {"amount": 10.0, "timeUnit": "MINUTE"},  # goes out as 10
}
MEANT = {("messages", 0, "sendAt"): SEND_AT}
LOGS = {"destination": WRITTEN, "limit": 5.0, "generalStatus": "DELIVERED"}


def _sent(action: str = "sendSms", values: dict[str, Any] = VALUES) -> Any:
    return component.runtime(action).prepare(copy.deepcopy(values), NOW)


def test_the_requests_built_from_the_values_pass() -> None:
    assert_round_trip("sendSms", VALUES, MEANT, _sent())
    assert_round_trip("getSmsLogs", LOGS, {}, _sent("getSmsLogs", LOGS))


@pytest.mark.parametrize(
    ("place", "wrong"),
    [
        (("messages", 0, "destinations", 0, "to"), WRITTEN),  # the number as written
        (("messages", 0, "destinations", 0, "to"), DIGITS[:-1]),  # a digit lost
        (("messages", 0, "destinations", 0, "messageId"), "message-2"),
        (("messages", 0, "destinations", 1, "messageId"), "message-2"),  # generated: no UUID
        (("messages", 0, "text"), "Hello!"),
        (("messages", 0, "from"), "InfoSMS2"),
        (("messages", 0, "sendAt"), infobip_datetime(SEND_AT + timedelta(hours=1))),
        # The same instant, its offset written with a colon: not Infobip's form.
        (("messages", 0, "sendAt"), infobip_datetime(SEND_AT)[:-2] + ":00"),
        (("bulkId",), "bulk-2"),
        (("sendingSpeedLimit", "amount"), 10.0),  # Infobip refuses a whole number as a float
        (("messages", 0, "flash"), True),  # a member nobody gave
    ],
)
def test_a_body_that_differs_from_the_values_is_refused(place: Path_, wrong: Any) -> None:
    request = _sent()
    body = set_at(copy.deepcopy(request.body), place, wrong)
    with pytest.raises(AssertionError):
        assert_round_trip("sendSms", VALUES, MEANT, replace(request, body=body))


@pytest.mark.parametrize(
    "query",
    [
        (("destination", WRITTEN), ("limit", "5"), ("generalStatus", "DELIVERED")),
        (("destination", DIGITS), ("limit", "5.0"), ("generalStatus", "DELIVERED")),
        (("destination", DIGITS), ("limit", "6"), ("generalStatus", "DELIVERED")),
        (("destination", DIGITS), ("limit", "5"), ("generalStatus", "delivered")),
        (("destination", DIGITS), ("limit", "5")),  # a parameter left out
        (("destination", DIGITS), ("limit", "5"), ("limit", "5"), ("generalStatus", "DELIVERED")),
        (("destination", DIGITS), ("limit", "5"), ("generalStatus", "DELIVERED"), ("bulkId", "x")),
        (("destination", DIGITS), ("limit", "5"), ("generalStatus", "DELIVERED"), ("limit2", "5")),
    ],
)
def test_a_query_that_differs_from_the_values_is_refused(
    query: tuple[tuple[str, str], ...],
) -> None:
    request = _sent("getSmsLogs", LOGS)
    assert dict(request.query) == {
        "destination": DIGITS,
        "limit": "5",
        "generalStatus": "DELIVERED",
    }
    with pytest.raises(AssertionError):
        assert_round_trip("getSmsLogs", LOGS, {}, replace(request, query=query))


def test_a_body_on_a_request_that_carries_none_is_refused() -> None:
    with pytest.raises(AssertionError):
        assert_round_trip("getSmsLogs", LOGS, {}, replace(_sent("getSmsLogs", LOGS), body={}))


@pytest.mark.parametrize(
    ("error_path", "problem", "related"),
    [
        ("messages[0].destinations[2].to", ("messages", 0, "destinations", 2, "to"), True),
        ("messages[0]", ("messages", 0, "destinations", 2, "to"), True),  # a parent
        ("messages[0].destinations[2].to", ("messages", 0), True),  # a member below it
        ("", ("messages", 0, "text"), True),  # the input as a whole
        ("messages[0].text", (), True),  # the problem is the input as a whole
        ("messages[1].text", ("messages", 0, "text"), False),  # another item
        ("messages", ("messages", 0, "text"), True),  # the list holding it
        ("messages[0].text", ("messages",), True),  # a member of an item of it
        ("messages[0].textual", ("messages", 0, "text"), False),  # a name that starts alike
        ("messages[0].text", ("messages", 0, "textual"), False),  # and the other way round
        ("bulkId", ("messages", 0), False),
    ],
)
def test_an_error_is_related_to_a_problem_only_at_around_or_below_its_place(
    error_path: str, problem: Path_, related: bool
) -> None:
    assert is_related(error_path, problem) is related
