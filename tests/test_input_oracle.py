"""The property-based input test's own judges fail when they should.

``assert_round_trip`` (the oracle of a valid input's request) must refuse a request that does
not carry the values given, and ``is_related`` (whether an error names the broken place) must
refuse an error at another place. Either one passing everything would let the property test
pass whatever the connector sends or wherever it points.
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
from .input_mutations import is_related
from .input_oracle import assert_round_trip
from .input_schema_draws import NOW, Path_

WRITTEN, DIGITS = next(phone for phone in PHONES if phone[0].startswith("+"))
SEND_AT = NOW + timedelta(days=1, hours=3)
VALUES = {
    "bulkId": "bulk-1",
    "messages": [
        {
            "destinations": [{"to": WRITTEN, "messageId": "message-1"}],
            "from": "InfoSMS",
            "text": "Hello",
            "sendAt": SEND_AT.isoformat(),
        }
    ],
}
MEANT = {("messages", 0, "sendAt"): SEND_AT}


def _sent() -> Any:
    return component.runtime("sendSms").prepare(copy.deepcopy(VALUES), NOW)


def test_the_request_built_from_the_values_passes() -> None:
    assert_round_trip("sendSms", VALUES, MEANT, _sent())


@pytest.mark.parametrize(
    ("place", "wrong"),
    [
        (("messages", 0, "destinations", 0, "to"), WRITTEN),  # the number as written
        (("messages", 0, "destinations", 0, "to"), DIGITS[:-1]),  # a digit lost
        (("messages", 0, "destinations", 0, "messageId"), "message-2"),
        (("messages", 0, "text"), "Hello!"),
        (("messages", 0, "from"), "InfoSMS2"),
        (("messages", 0, "sendAt"), infobip_datetime(SEND_AT + timedelta(hours=1))),
        (("bulkId",), "bulk-2"),
        (("messages", 0, "flash"), True),  # a member nobody gave
    ],
)
def test_a_request_that_differs_from_the_values_is_refused(place: Path_, wrong: Any) -> None:
    request = _sent()
    body = copy.deepcopy(request.body)
    parent = body
    for part in place[:-1]:
        parent = parent[part]
    parent[place[-1]] = wrong
    with pytest.raises(AssertionError):
        assert_round_trip("sendSms", VALUES, MEANT, replace(request, body=body))


@pytest.mark.parametrize(
    ("error_path", "problem", "related"),
    [
        ("messages[0].destinations[2].to", ("messages", 0, "destinations", 2, "to"), True),
        ("messages[0]", ("messages", 0, "destinations", 2, "to"), True),  # a parent
        ("messages[0].destinations[2].to", ("messages", 0), True),  # a member below it
        ("", ("messages", 0, "text"), True),  # the input as a whole
        ("messages[0].text", (), True),  # the problem is the input as a whole
        ("messages[1].text", ("messages", 0, "text"), False),  # another item
        ("messages[10]", ("messages", 1), False),  # an index that starts alike
        ("messages[0].textual", ("messages", 0, "text"), False),  # a name that starts alike
        ("bulkId", ("messages", 0), False),
    ],
)
def test_an_error_is_related_to_a_problem_only_at_around_or_below_its_place(
    error_path: str, problem: Path_, related: bool
) -> None:
    assert is_related(error_path, problem) is related
