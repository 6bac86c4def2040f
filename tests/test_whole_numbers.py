"""Whole numbers written as floats (5.0, -0.0) reach Infobip as integers, in every action.

Infobip refuses ``limit=5.0`` and ``"amount": 10.0`` ("must be an integer"), while engines,
YAML and expressions produce such values routinely. The property-based round trip of
test_property_inputs.py is given every INTEGER as an int or an integral float too (drawn by
input_schema_draws.py); this module checks each place the definition declares one, and the
wire form the request takes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.definition.model import Property, format_path, walk
from infobip_connector.request import query_pairs
from infobip_connector.runtime.whole_numbers import WholeNumbers, is_whole_number

Path_ = tuple[Any, ...]


def _whole_number_places() -> Iterator[tuple[str, Path_, Property]]:
    for action in component.definition.actions:
        for path, prop in walk(action.as_property()):
            if path and is_whole_number(prop):
                yield action.name, path, prop


PLACES = list(_whole_number_places())


def _skeleton(path: Path_, value: Any) -> dict[str, Any]:
    """``value`` at ``path`` (a list index ``*`` as one item), in otherwise empty objects."""
    out: Any = value
    for part in reversed(path):
        out = [out] if part == "*" else {part: out}
    assert isinstance(out, dict)
    return out


def _at(values: Any, path: Path_) -> Any:
    for part in path:
        values = values[0] if part == "*" else values[part]
    return values


def test_the_definition_has_whole_numbers_in_body_and_query() -> None:
    # The definition-driven test below must not pass by finding nothing.
    names = {(action, format_path(path)) for action, path, _ in PLACES}
    assert ("getSmsLogs", "limit") in names
    assert ("sendSms", "sendingSpeedLimit.amount") in names
    assert ("sendSms", "messages[*].deliveryTimeWindow.from.hour") in names


@pytest.mark.parametrize(
    ("action", "path", "prop"), PLACES, ids=[f"{a}:{format_path(p)}" for a, p, _ in PLACES]
)
@pytest.mark.parametrize("written", [5.0, -0.0, 2.0**40])
def test_every_whole_number_place_turns_an_integral_float_into_an_int(
    action: str, path: Path_, prop: Property, written: float
) -> None:
    values = _skeleton(path, written)
    WholeNumbers(component.definition.action(action).as_property()).normalise(values)
    got = _at(values, path)
    assert type(got) is int and got == int(written)


@pytest.mark.parametrize(
    ("action", "path", "prop"), PLACES, ids=[f"{a}:{format_path(p)}" for a, p, _ in PLACES]
)
def test_a_fraction_or_a_float_beyond_a_long_is_left_for_the_schema(
    action: str, path: Path_, prop: Property
) -> None:
    runtime = WholeNumbers(component.definition.action(action).as_property())
    for written in (5.5, 1e300, -0.5):
        values = _skeleton(path, written)
        runtime.normalise(values)
        assert _at(values, path) is written


# ---------------------------------------------------------------- through an execution

WINDOW = {
    "days": ["MONDAY"],
    "from": {"hour": 8.0, "minute": -0.0},
    "to": {"hour": 17, "minute": 30.0},
}


def _sms(**message: Any) -> dict[str, Any]:
    return {
        "bulkId": "B-1",
        "messages": [
            {"destinations": [{"to": "41793026727", "messageId": "M-1"}], "text": "hi", **message}
        ],
    }


def test_a_send_carries_integers_where_floats_were_written() -> None:
    values = {
        **_sms(
            validityPeriod=5.0,
            deliveryTimeWindow=WINDOW,
            regional={
                "turkeyIys": {"brandCode": 0.0, "recipientType": "TACIR"},
                "southKorea": {"resellerCode": -0.0},
            },
        ),
        "sendingSpeedLimit": {"amount": 10.0},
    }
    body = component.runtime("sendSms").prepare(values).body
    wire = json.dumps(body)
    assert ".0" not in wire, wire
    message = body["messages"][0]
    assert message["validityPeriod"] == 5
    assert message["deliveryTimeWindow"]["from"] == {"hour": 8, "minute": 0}
    assert message["regional"]["turkeyIys"]["brandCode"] == 0
    assert body["sendingSpeedLimit"] == {"amount": 10}
    # The caller's values are not changed.
    assert values["sendingSpeedLimit"] == {"amount": 10.0}


@pytest.mark.parametrize("action", ["getSmsLogs", "getSmsDeliveryReports", "getInboundSms"])
def test_a_query_limit_written_as_a_float_is_sent_as_an_integer(action: str) -> None:
    request = component.runtime(action).prepare({"limit": 5.0})
    assert ("limit", "5") in request.query
    assert query_pairs("limit", 5) == [("limit", "5")]


def test_a_fraction_is_an_input_error_at_its_path() -> None:
    with pytest.raises(InputError) as caught:
        component.validate_input("sendSms", {**_sms(), "sendingSpeedLimit": {"amount": 10.5}})
    assert [e["path"] for e in caught.value.errors] == ["sendingSpeedLimit.amount"]
    with pytest.raises(InputError) as caught:
        component.validate_input("getSmsLogs", {"limit": 1e300})
    assert [e["path"] for e in caught.value.errors] == ["limit"]


def test_an_id_derived_from_the_values_does_not_depend_on_how_a_number_is_written() -> None:
    runtime = component.runtime("sendSms")
    as_int = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "hi"}]}
    as_int["messages"][0]["validityPeriod"] = 5
    as_float = json.loads(json.dumps(as_int).replace(": 5", ": 5.0"))
    assert as_float["messages"][0]["validityPeriod"] == 5.0
    first = runtime.prepare(as_int, idempotency_key="run-1/task-1")
    second = runtime.prepare(as_float, idempotency_key="run-1/task-1")
    assert first.reference == second.reference


@pytest.mark.parametrize(
    ("action", "path", "prop"), PLACES, ids=[f"{a}:{format_path(p)}" for a, p, _ in PLACES]
)
def test_a_fraction_is_told_as_a_whole_number_with_the_value_given(
    action: str, path: Path_, prop: Property
) -> None:
    with pytest.raises(InputError) as caught:
        component.validate_input(action, _skeleton(path, 5.5))
    where = format_path(path).replace("[*]", "[0]")
    messages = [e["message"] for e in caught.value.errors if e["path"] == where]
    assert messages == ["must be a whole number (got 5.5)"], caught.value.errors
