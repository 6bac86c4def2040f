"""A bulk's recipients are sent without being copied, and the caller's input never changes.

Pruning keeps a long list's filled-in text objects as the input's own (values.py); the
checks copy them before writing anything into them (a normalised number, a drawn or derived
messageId). Whatever the checks do, the input is the same after the send as before it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

from infobip_connector import InputError, component
from infobip_connector.runtime.values import SHARE_FROM

CONNECTION = {"token": "sandbox-key-for-local-tests", "baseUrl": "https://api.infobip.com"}
SIZE = SHARE_FROM + 36


def _accepting(body: dict[str, Any]) -> httpx.Response:
    """Infobip's answer accepting every destination of the Send SMS ``body``."""
    messages = [
        {
            "messageId": d["messageId"],
            "to": d["to"],
            "status": {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING"},
        }
        for m in body["messages"]
        for d in m["destinations"]
    ]
    return httpx.Response(200, json={"bulkId": body["bulkId"], "messages": messages})


def _send(values: dict[str, Any], **options: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The output and the body sent, the answer accepting every destination."""
    sent: dict[str, Any] = {}

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.update(body)
        return _accepting(body)

    output = component.execute(
        "sendSms", values, CONNECTION, transport=httpx.MockTransport(answer), **options
    )
    return output, sent


def _values(destinations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bulkId": "b-1", "messages": [{"destinations": destinations, "text": "Hi"}]}


def _numbers(spelled: str = "4179{:07d}") -> list[dict[str, Any]]:
    return [{"to": spelled.format(i)} for i in range(SIZE)]


@pytest.mark.parametrize(
    ("destinations", "options"),
    [
        pytest.param(
            [{"to": f"4179{i:07d}", "messageId": f"m-{i}"} for i in range(SIZE)],
            {},
            id="ids given, numbers as Infobip writes them",
        ),
        pytest.param(_numbers(), {}, id="ids drawn"),
        pytest.param(_numbers(), {"idempotency_key": "run-1/task-2"}, id="ids derived"),
        pytest.param(_numbers("+41 79 {:07d}"), {}, id="numbers normalised"),
        pytest.param(
            [{"to": f"+4179{i:07d}", "messageId": f"m-{i}"} for i in range(SIZE)],
            {},
            id="numbers normalised, ids given",
        ),
        pytest.param(
            [{"to": f"4179{i:07d}", "messageId": "" if i % 3 else f"m-{i}"} for i in range(SIZE)],
            {},
            id="empty members dropped, ids drawn for them",
        ),
    ],
)
def test_the_input_is_unchanged_and_the_body_is_normalised(
    destinations: list[dict[str, Any]], options: dict[str, Any]
) -> None:
    values = _values(destinations)
    before = copy.deepcopy(values)
    output, sent = _send(values, **options)
    assert values == before
    wire = sent["messages"][0]["destinations"]
    assert len(wire) == SIZE == len(output["messages"])
    assert all(d["to"].isdigit() and d["messageId"] for d in wire)
    assert len({d["messageId"] for d in wire}) == SIZE
    assert [d["to"] for d in wire] == [f"4179{i:07d}" for i in range(SIZE)]


def test_a_refused_bulk_leaves_the_input_unchanged() -> None:
    # One destination the schema refuses: the other numbers are checked item by item,
    # each normalised where it stands.
    destinations: list[dict[str, Any]] = _numbers("+41 79 {:07d}")
    destinations[7] = {"to": 41790000007}
    values = _values(destinations)
    before = copy.deepcopy(values)
    with pytest.raises(InputError) as caught:
        _send(values)
    assert caught.value.errors[0]["path"] == "messages[0].destinations[7].to"
    assert values == before


def test_validate_hands_back_values_of_its_own() -> None:
    values = _values([{"to": f"4179{i:07d}", "messageId": f"m-{i}"} for i in range(SIZE)])
    before = copy.deepcopy(values)
    checked = component.validate_input("sendSms", values)
    checked["messages"][0]["destinations"][0]["to"] = "changed"
    assert values == before


def test_the_async_path_leaves_the_input_unchanged() -> None:
    import asyncio

    async def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        return _accepting(body)

    values = _values(_numbers("+41 79 {:07d}"))
    before = copy.deepcopy(values)
    output = asyncio.run(
        component.execute_async(
            "sendSms", values, CONNECTION, transport=httpx.MockTransport(answer)
        )
    )
    assert values == before
    assert len(output["messages"]) == SIZE


def test_a_pattern_refused_after_the_lean_check_leaves_the_input_unchanged() -> None:
    # Large enough for the lean schema (text_forms.py): a messageId breaking its pattern is
    # found by the checks, which then validate again from the input.
    from infobip_connector.runtime.action_runtime import LEAN_FROM

    count = max(SIZE, LEAN_FROM)
    destinations: list[dict[str, Any]] = [
        {"to": f"+41 79 {i:07d}", "messageId": f"m-{i}"} for i in range(count)
    ]
    destinations[-1]["messageId"] = "bad\x07id"
    values = _values(destinations)
    before = copy.deepcopy(values)
    with pytest.raises(InputError) as caught:
        _send(values)
    assert caught.value.errors[0]["path"] == f"messages[0].destinations[{count - 1}].messageId"
    assert values == before
