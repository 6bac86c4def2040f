"""A value nested as deep as an answer may be (1,024 levels) costs nothing but itself.

Kept as given in an action's output (never making the whole answer unreadable, so a
consume's other items are delivered), masked when it spells the key, refused alone by a
poll with the item carried whole, and written by the CLI's JSON output. Every walk that
rebuilds such data goes through ``jsonwalk.map_leaves``, which uses no call stack per level.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.hosts import jsonout
from infobip_connector.jsonwalk import map_leaves
from infobip_connector.triggers.items import writable

TOKEN = "answer-depth-token-4e7b1"
CONNECTION = {"token": TOKEN, "baseUrl": "https://xyz12.api.infobip.com"}
TO = "41793026727"
#: Past Python's default limit of 1,000 calls, within the 1,024 levels an answer may have.
DEEP = 1_000


def _nested(depth: int, leaf: str = "1", opening: str = "[", closing: str = "]") -> str:
    return opening * depth + leaf + closing * depth


def _transport(raw: str) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda _: httpx.Response(
            200, content=raw.encode(), headers={"Content-Type": "application/json"}
        )
    )


def _reports(price: str) -> str:
    first = json.dumps({"messageId": "M1", "to": TO, "price": "PRICE"}).replace('"PRICE"', price)
    return '{"results":[' + first + "," + json.dumps({"messageId": "M2", "to": TO}) + "]}"


def _depth(value: Any) -> int:
    depth = 0
    while isinstance(value, list) and value:
        value, depth = value[0], depth + 1
    return depth


@pytest.mark.parametrize("depth", [300, DEEP])
@pytest.mark.parametrize("action", ["getSmsDeliveryReports", "getSmsLogs"])
def test_a_deep_value_is_kept_and_the_other_items_delivered(action: str, depth: int) -> None:
    raw = _reports(_nested(depth))
    if action == "getSmsLogs":
        raw = raw.replace('"to"', '"destination"')
    output = component.execute(action, {}, CONNECTION, transport=_transport(raw))
    first, second = output["results"]
    assert _depth(first["price"]) == depth and second["messageId"] == "M2"


def test_a_deep_value_spelling_the_key_is_masked() -> None:
    raw = _reports(_nested(DEEP, json.dumps(f"key {TOKEN}")))
    output = component.execute("getSmsDeliveryReports", {}, CONNECTION, transport=_transport(raw))
    leaf = output["results"][0]["price"]
    while isinstance(leaf, list):
        (leaf,) = leaf
    assert TOKEN not in leaf and leaf.startswith("key ")


def test_a_poll_refuses_a_deep_item_alone() -> None:
    raw = _reports(_nested(DEEP))
    result = component.poll("smsDeliveryReport", CONNECTION, None, transport=_transport(raw))
    events, _ = result
    assert [event["messageId"] for event in events] == ["M2"]
    (refused,) = result.refused
    assert refused["path"] == "results[0]" and _depth(refused["item"]["price"]) == DEEP


@pytest.mark.parametrize("pretty", [True, False])
def test_the_json_output_writes_every_depth_an_answer_may_have(pretty: bool) -> None:
    value: Any = 1
    for _ in range(1_030):
        value = [value]
    written = jsonout.encode({"results": [value]}, pretty=pretty)
    assert b"".join(written.split()) == b'{"results":[' + _nested(1_030).encode() + b"]}"


def test_map_leaves_copies_in_order_without_a_call_per_level() -> None:
    deep: Any = "leaf"
    for _ in range(5_000):
        deep = {"a": [deep]}
    copied = map_leaves(deep, str.upper)
    for _ in range(5_000):
        copied = copied["a"][0]
    assert copied == "LEAF"

    given = OrderedDict([("b", 1), ("a", [2, {"c": 3}])])
    changed = map_leaves(given, lambda leaf: leaf * 10, key=lambda name: name.upper())
    assert changed == {"B": 10, "A": [20, {"C": 30}]} and type(changed) is dict
    assert list(changed) == ["B", "A"]
    assert given == OrderedDict([("b", 1), ("a", [2, {"c": 3}])])  # not changed in place
    assert map_leaves(7, str) == "7" and map_leaves([], str) == []


def test_writable_gives_big_integers_as_digits_at_any_depth() -> None:
    value: Any = {1: 2**70}
    for _ in range(DEEP):
        value = [value]
    copied = writable(value)
    for _ in range(DEEP):
        (copied,) = copied
    assert copied == {"1": str(2**70)}


def test_the_masking_walks_copy_deep_data_whole() -> None:
    from infobip_connector.redaction import mask_key_in_data, redact_data, register_secret

    register_secret(TOKEN)  # redact_data masks the keys in use
    value: Any = {"text": f"key {TOKEN}", "id": "M1"}
    for _ in range(DEEP):
        value = [value]
    for masked in (redact_data(value, keep=("M1",)), mask_key_in_data(value, TOKEN, ("M1",))):
        for _ in range(DEEP):
            (masked,) = masked
        assert TOKEN not in masked["text"] and masked["id"] == "M1"


def test_data_that_contains_itself_is_refused_as_too_deep() -> None:
    looped: dict[str, Any] = {}
    looped["again"] = [looped]
    with pytest.raises(RecursionError):
        map_leaves(looped, str)
