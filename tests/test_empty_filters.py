"""A filter (a query or path member of a read or consume) given empty is refused at its
path, for every action of the definition; a filter left out is still "no filter"."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.errors import InputError
from infobip_connector.runtime.values import prune_counted
from infobip_connector.sandbox import Sandbox

from .action_support import refused_at, run

#: (action, member, the member's type) of every optional input that goes into the URL.
URL_MEMBERS = [
    (action.name, prop.name, prop.type)
    for action in component.definition.actions
    for prop in action.as_property().properties or []
    if prop.location != "body" and not prop.required
]
#: Every optional URL member with each empty spelling that fits it (``[]`` for a list).
CASES = [
    (action, name, empty)
    for action, name, kind in URL_MEMBERS
    for empty in ([None, "", []] if kind == "ARRAY" else [None, ""])
]


def test_the_definition_has_url_filters() -> None:
    assert {"getSmsDeliveryReports", "getInboundSms", "getSmsLogs"} <= {a for a, _, _ in CASES}


@pytest.mark.parametrize(("action", "name", "empty"), CASES)
def test_an_empty_filter_is_refused_at_its_path(
    account: Sandbox, action: str, name: str, empty: Any
) -> None:
    assert refused_at(action, {name: empty}, account) == [name]


@pytest.mark.parametrize("empty", [None, "", []])
def test_the_message_says_what_to_do(account: Sandbox, empty: Any) -> None:
    with pytest.raises(InputError) as caught:
        run("getSmsLogs", {"bulkId": empty}, account)
    (error,) = caught.value.errors
    assert error["path"] == "bulkId"
    assert "was given empty" in error["message"]
    assert "leave bulkId out to fetch without it" in error["message"]
    assert account.requests == []


@pytest.mark.parametrize(
    "action", sorted({a for a, _, _ in URL_MEMBERS} - {"getScheduledSms", "rescheduleSms"})
)
def test_a_filter_left_out_is_no_filter(account: Sandbox, action: str) -> None:
    _, exchange = run(action, {}, account)
    assert exchange.query == []


def test_a_required_member_given_empty_is_still_required(account: Sandbox) -> None:
    for empty in (None, ""):
        assert refused_at("getScheduledSms", {"bulkId": empty}, account) == ["bulkId"]


#: Every action, with a misspelled member given each empty spelling.
UNKNOWN_CASES = [
    (action.name, empty)
    for action in component.definition.actions
    for empty in (None, "", [], {}, {"a": ""})
]


@pytest.mark.parametrize(("action", "empty"), UNKNOWN_CASES)
def test_an_unknown_member_given_empty_is_refused_as_unknown(
    account: Sandbox, action: str, empty: Any
) -> None:
    with pytest.raises(InputError) as caught:
        run(action, {"bulkID": empty}, account)
    unknown = [e for e in caught.value.errors if e["path"] == "bulkID"]
    assert unknown and "unknown property 'bulkID'" in unknown[0]["message"]
    assert account.requests == []


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"applicationID": None, "limit": 10}, "applicationID"),
        ({"bulkIds": []}, "bulkIds"),
    ],
)
def test_a_misspelled_filter_given_empty_is_not_a_pull(
    account: Sandbox, values: dict[str, Any], path: str
) -> None:
    action = "getInboundSms" if "limit" in values else "getSmsLogs"
    assert refused_at(action, values, account) == [path]


def test_an_empty_unknown_member_inside_a_message_is_refused_at_its_path(
    account: Sandbox,
) -> None:
    values = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "hi", "": ""}]}
    assert refused_at("sendSms", values, account) == ['messages[0].""']


def test_a_member_dropped_as_empty_is_told_by_the_pruning() -> None:
    """The unknown-empty walk runs only when the pruning dropped a member: it says so."""
    recipients = [{"to": "41793026727"} for _ in range(70)]
    assert prune_counted({"messages": [{"destinations": recipients}]})[4] is False
    for given in ({"bulkID": ""}, {"a": {"b": None}}, {"a": {"b": []}}, {"a": {"b": {}}}):
        assert prune_counted(given)[4] is True, given
    recipients[65] = {"to": "41793026727", "messageID": ""}
    # Both list walks, copying and sharing the recipients, tell it.
    assert prune_counted({"messages": [{"destinations": recipients}]})[4] is True
    assert prune_counted({"messages": [{"destinations": recipients}]}, shared=[])[4] is True


@pytest.mark.parametrize("count", [3, 70])
def test_an_empty_unknown_member_of_one_recipient_is_refused_at_its_path(
    account: Sandbox, count: int
) -> None:
    # 70 recipients: the list is walked sharing the input's objects (values.SHARE_FROM).
    recipients: list[dict[str, Any]] = [{"to": "41793026727"} for _ in range(count)]
    recipients[2] = {"to": "41793026727", "messageID": ""}
    values = {"messages": [{"destinations": recipients, "text": "hi"}]}
    assert refused_at("sendSms", values, account) == ["messages[0].destinations[2].messageID"]
