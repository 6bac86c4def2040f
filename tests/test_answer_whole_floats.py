"""A whole number written as a float in an answer comes out one way, whatever is beside it.

JSON Schema counts ``2.0`` as an integer, so an answer holding one passes the output check;
the output rule (README, "Using it from an engine") still converts it (``2.0`` -> ``2``,
``-0.0`` -> ``0``, named in a WARNING) and keeps one past 2^53 as given with a WARNING,
exactly as when another field of the same answer is off its declared type. A send's
``messageCount`` of ``1.0`` is a message accepted, never a contradiction.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from infobip_connector import OutcomeUnknownError, component
from infobip_connector.definition.model import Property
from infobip_connector.runtime.output_integers import IntegerPlaces, _Items, _node

CONNECTION = {"token": "whole-floats-token-5c1e", "baseUrl": "https://xyz12.api.infobip.com"}
TO = "41793026727"
PENDING = {"groupId": 1, "groupName": "PENDING", "id": 7, "name": "PENDING_ENROUTE"}


def _send_raw(action: str, values: dict[str, Any], raw: str) -> Any:
    transport = httpx.MockTransport(
        lambda _: httpx.Response(
            200, content=raw.encode(), headers={"Content-Type": "application/json"}
        )
    )
    return component.execute(action, values, CONNECTION, transport=transport)


def _logs(literal: str, extra: str = "") -> str:
    return '{"results":[{"messageId":"M1",' + extra + '"messageCount":' + literal + "}]}"


@pytest.mark.parametrize(
    ("literal", "expected"),
    [("2.0", 2), ("2e0", 2), ("-0.0", 0), ("1.00000000000000000001", 1), ("2", 2)],
)
@pytest.mark.parametrize("beside", ["", '"destination":41793026727,'])
def test_a_whole_float_is_converted_with_or_without_another_field_off_type(
    literal: str, expected: int, beside: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        output = _send_raw("getSmsLogs", {}, _logs(literal, beside))
    count = output["results"][0]["messageCount"]
    assert count == expected and type(count) is int
    warned = [r.getMessage() for r in caplog.records if "not of the declared type" in r.message]
    if literal == "2":
        assert not warned or "messageCount" not in warned[0]
    else:
        assert (
            "results[0].messageCount: declared a whole number, given a number, converted"
            in (warned[0])
        )


@pytest.mark.parametrize("beside", ["", '"destination":41793026727,'])
def test_a_float_past_2_53_is_kept_as_given_and_named(
    beside: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        output = _send_raw("getSmsLogs", {}, _logs("1e16", beside))
    assert output["results"][0]["messageCount"] == 1e16
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "results[0].messageCount: declared a whole number, given a number, kept as given" in (
        warned
    )


def test_a_consume_converts_alike() -> None:
    raw = '{"results":[{"messageId":"M1","to":"TO","messageCount":3.0,"status":{"groupId":3.0}}]}'
    output = _send_raw("getSmsDeliveryReports", {}, raw.replace("TO", TO))
    result = output["results"][0]
    assert result["messageCount"] == 3 and type(result["messageCount"]) is int
    assert type(result["status"]["groupId"]) is int


@pytest.mark.parametrize("literal", ["1.0", "1e0", "1.00000000000000000001"])
def test_a_whatsapp_message_count_of_one_written_as_a_float_is_an_accepted_send(
    literal: str,
) -> None:
    values = {"from": "441134960000", "to": TO, "messageId": "M1", "content": {"text": "Hi"}}
    raw = json.dumps({"to": TO, "messageCount": "COUNT", "messageId": "M1", "status": PENDING})
    raw = raw.replace('"COUNT"', literal)
    output = _send_raw("sendWhatsappTextMessage", values, raw)
    assert output["messageCount"] == 1 and type(output["messageCount"]) is int


def test_a_whatsapp_message_count_of_zero_as_a_float_is_still_a_contradiction() -> None:
    values = {"from": "441134960000", "to": TO, "messageId": "M1", "content": {"text": "Hi"}}
    raw = json.dumps({"to": TO, "messageCount": 0.0, "messageId": "M1", "status": PENDING})
    with pytest.raises(OutcomeUnknownError) as caught:
        _send_raw("sendWhatsappTextMessage", values, raw)
    assert "messageCount" in str(caught.value)


@pytest.mark.parametrize("size", [1, 3, 100])
def test_a_send_sms_status_number_written_as_a_float_comes_out_whole(size: int) -> None:
    destinations = [{"to": f"4179302{i:04d}", "messageId": f"M{i}"} for i in range(size)]
    values = {"bulkId": "B1", "messages": [{"destinations": destinations, "text": "hi"}]}
    status = {"groupId": "GROUP", "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
    entries = [
        json.dumps({"to": f"4179302{i:04d}", "messageId": f"M{i}", "status": status}).replace(
            '"GROUP"', "1.0" if i == size - 1 else "1"
        )
        for i in range(size)
    ]
    raw = '{"bulkId":"B1","messages":[' + ",".join(entries) + "]}"
    output = _send_raw("sendSms", values, raw)
    group_ids = [message["status"]["groupId"] for message in output["messages"]]
    assert group_ids == [1] * size and {type(g) for g in group_ids} == {int}


@pytest.mark.parametrize("size", [1, 100])
def test_a_send_sms_count_written_as_a_float_comes_out_whole(size: int) -> None:
    destinations = [{"to": f"4179302{i:04d}", "messageId": f"M{i}"} for i in range(size)]
    values = {"bulkId": "B1", "messages": [{"destinations": destinations, "text": "hi"}]}
    status = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
    entries = [
        json.dumps(
            {"to": f"4179302{i:04d}", "messageId": f"M{i}", "status": status, "smsCount": "N"}
        ).replace('"N"', "2.0" if i == 0 else "2")
        for i in range(size)
    ]
    raw = '{"bulkId":"B1","messages":[' + ",".join(entries) + "]}"
    output = _send_raw("sendSms", values, raw)
    counts = [message["smsCount"] for message in output["messages"]]
    assert counts == [2] * size and {type(c) for c in counts} == {int}


def _places(action: str) -> IntegerPlaces:
    return IntegerPlaces(component.definition.action(action).output.as_property())


@pytest.mark.parametrize("size", [2, 200])
def test_hold_float_finds_a_float_at_any_whole_number_place(size: int) -> None:
    places = _places("getSmsLogs")
    results: list[Any] = [{"messageId": f"M{i}", "messageCount": i} for i in range(size)]
    assert not places.hold_float({"results": results})
    for where in (0, size - 1):
        changed = [dict(r) for r in results]
        changed[where]["error"] = {"groupId": 0, "id": 1.0}
        assert places.hold_float({"results": changed})
    # Neither other types at those places nor floats at other places count.
    odd = [{"messageCount": value} for value in (None, "2.0", True, 10**400, [1.0], {"a": 1.0})]
    assert not places.hold_float({"results": odd * (size // 2 or 1)})
    assert not places.hold_float({"results": [{"price": {"pricePerMessage": 0.5}}] * size})
    assert places.hold_float({"results": [*odd, {"messageCount": 1e300}] * (size // 2 or 1)})
    assert places.hold_float({"cursor": {"limit": 5.0}})
    assert not places.hold_float([1.0]) and not places.hold_float(None)


@pytest.mark.parametrize("size", [2, 70])
def test_hold_float_finds_a_float_in_a_list_of_whole_numbers(size: int) -> None:
    # No action declares one today; the walk must still read such a list's items.
    counts = Property(name="counts", type="ARRAY", items=Property(type="INTEGER"))
    places = IntegerPlaces(Property(name="out", type="OBJECT", properties=[counts]))
    assert not places.hold_float({"counts": [1] * size})
    assert places.hold_float({"counts": [1] * (size - 1) + [2.0]})
    assert not places.hold_float({"counts": [None, "2.0", True] + [1] * size})


def _leaf_paths(node: Any, at: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(node, str):
        return [at]
    if isinstance(node, _Items):
        return _leaf_paths(node.below, at)
    return [path for name, below in node.items() for path in _leaf_paths(below, (*at, name))]


def test_a_send_declares_whole_numbers_only_where_the_accounting_looks() -> None:
    # Sends are not walked for floats: an entry the accounting finds plain has none at these
    # places (accounting._plain and _settled). A send declaring one elsewhere needs both.
    looked_at = {("status", "groupId"), ("status", "id"), ("messageCount",), ("smsCount",)}
    for action in component.definition.actions:
        if action.accountsMessages:
            root = _node(action.output.as_property())
            paths = set(_leaf_paths(root))
            # Entries are the output itself (one message) or its ``messages`` items.
            entries = {path[1:] if path[0] == "messages" else path for path in paths}
            assert entries <= looked_at, action.name


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "not of the declared type" in r.message]


@pytest.mark.parametrize("count", ["2.5", "1e300", "1e16", "2.0"])
@pytest.mark.parametrize("beside", [None, 5])
def test_a_send_is_fitted_once_and_warned_once(
    count: str, beside: Any, caplog: pytest.LogCaptureFixture
) -> None:
    destinations = [{"to": f"4179302{i:04d}", "messageId": f"M{i}"} for i in range(2)]
    values = {"bulkId": "B1", "messages": [{"destinations": destinations, "text": "hi"}]}
    name = "PENDING_ACCEPTED" if beside is None else beside
    status = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": name}
    entries = [
        json.dumps(
            {"to": f"4179302{i:04d}", "messageId": f"M{i}", "status": status, "smsCount": "N"}
        ).replace('"N"', count if i == 0 else "1")
        for i in range(2)
    ]
    raw = '{"bulkId":"B1","messages":[' + ",".join(entries) + "]}"
    with caplog.at_level(logging.WARNING):
        output = _send_raw("sendSms", values, raw)
    (warned,) = _warnings(caplog)
    if count == "2.0":
        assert output["messages"][0]["smsCount"] == 2
        assert "messages[0].smsCount: declared a whole number, given a number, converted" in warned
    else:
        assert output["messages"][0]["smsCount"] == float(count)
        assert "messages[0].smsCount: declared a whole number, given a number, kept" in warned
    assert ("messages[0].status.name" in warned) == (beside is not None)


@pytest.mark.parametrize("beside", ['"to":"' + TO + '"', '"to":41793026727'])
def test_a_consume_converts_alike_beside_another_field_off_type(beside: str) -> None:
    raw = '{"results":[{"messageId":"M1",' + beside + ',"messageCount":3.0}]}'
    output = _send_raw("getSmsDeliveryReports", {}, raw)
    count = output["results"][0]["messageCount"]
    assert count == 3 and type(count) is int and output["results"][0]["to"] == TO


def test_a_whatsapp_count_of_one_as_a_float_beside_another_field_off_type() -> None:
    values = {"from": "441134960000", "to": TO, "messageId": "M1", "content": {"text": "Hi"}}
    raw = json.dumps({"to": 41793026727, "messageCount": "C", "messageId": "M1", "status": PENDING})
    output = _send_raw("sendWhatsappTextMessage", values, raw.replace('"C"', "1.0"))
    assert output["messageCount"] == 1 and type(output["messageCount"]) is int
    assert output["to"] == TO
