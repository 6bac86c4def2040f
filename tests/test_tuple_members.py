"""A tuple is a list wherever the input takes one (``values._as_plain``), in every walk.

The walk that refuses a misspelled member given empty (``empty_filters``) went only into
lists: the same member inside a tuple was dropped by the pruning and the request sent
without a word, while a non-empty one was refused. Each case is given with lists and with
tuples, at several depths and bulk sizes (from 64 recipients the pruning shares the input's
objects): both are refused at the same path, and nothing is sent.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from infobip_connector import InputError, component
from infobip_connector.runtime.values import prune_counted

CONNECTION = {"token": "tuple-members-token-2b7e", "baseUrl": "https://xyz12.api.infobip.com"}


def recipients(count: int, typo_at: int) -> list[dict[str, Any]]:
    """``count`` destinations, the one at ``typo_at`` with a misspelled ID given empty."""
    listed: list[dict[str, Any]] = [{"to": "41793026727"} for _ in range(count)]
    listed[typo_at] = {"to": "41793026727", "messageID": ""}
    return listed


def sms(destinations: Any, **message: Any) -> dict[str, Any]:
    return {"messages": [{"destinations": destinations, "text": "hi", **message}]}


BUTTONS = [
    {"type": "URL", "parameter": "A-17"},
    {"type": "QUICK_REPLY", "parameter": "p", "paramater": ""},
]
TEMPLATE = {
    "messages": [
        {
            "from": "447860099299",
            "to": "41793026727",
            "content": {
                "templateName": "order_update",
                "language": "en",
                "templateData": {"body": {"placeholders": ["A-17"]}, "buttons": BUTTONS},
            },
        }
    ]
}
# (action, values with lists, where the misspelled empty member is)
CASES = [
    ("sendSms", sms(recipients(1, 0)), "messages[0].destinations[0].messageID"),
    ("sendSms", sms(recipients(3, 2)), "messages[0].destinations[2].messageID"),
    ("sendSms", sms(recipients(70, 65)), "messages[0].destinations[65].messageID"),
    ("sendSms", sms([{"to": "41793026727"}], Flash=None), "messages[0].Flash"),
    (
        "sendSms",
        sms([{"to": "41793026727"}], regional={"indiaDlt": {}, "Turkey": []}),
        "messages[0].regional.Turkey",
    ),
    (
        "sendWhatsappTemplateMessage",
        TEMPLATE,
        "messages[0].content.templateData.buttons[1].paramater",
    ),
]


def as_tuples(value: Any) -> Any:
    """``value`` with every list a tuple."""
    if isinstance(value, dict):
        return {name: as_tuples(member) for name, member in value.items()}
    if isinstance(value, list):
        return tuple(as_tuples(item) for item in value)
    return value


def refused(action: str, values: Any) -> list[str]:
    """The paths ``values`` are refused at, by ``validate_input`` and by ``execute``, which
    must send nothing."""
    with pytest.raises(InputError) as validated:
        component.validate_input(action, values)
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500))
    with pytest.raises(InputError) as executed:
        component.execute(action, values, CONNECTION, transport=transport)
    assert sent == []
    paths = [problem["path"] for problem in validated.value.errors]
    assert paths == [problem["path"] for problem in executed.value.errors]
    return paths


@pytest.mark.parametrize(("action", "values", "path"), CASES)
@pytest.mark.parametrize("tuples", [False, True], ids=["lists", "tuples"])
def test_a_misspelled_member_given_empty_is_refused_inside_a_tuple(
    action: str, values: dict[str, Any], path: str, tuples: bool
) -> None:
    assert refused(action, as_tuples(values) if tuples else values) == [path]


@pytest.mark.parametrize("shared", [None, []], ids=["copied", "shared"])
def test_the_pruning_tells_a_member_dropped_inside_a_tuple(shared: list[Any] | None) -> None:
    # The walk runs only when the pruning says it dropped a member.
    for count, typo_at in [(3, 1), (70, 65)]:
        values = as_tuples(sms(recipients(count, typo_at)))
        assert prune_counted(values, shared=shared)[4] is True
        clean = as_tuples(sms([{"to": "41793026727"}] * count))
        assert prune_counted(clean, shared=shared)[4] is False
