"""An answer field of another type than declared: converted only when lossless and
unambiguous, otherwise kept as Infobip gave it, never dropped; each one named in a warning.
The same rule for every action's output (``runtime/shaping.py``)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from infobip_connector import OutcomeUnknownError, component
from infobip_connector.definition.model import Property
from infobip_connector.runtime.shaping import fit

from .action_support import CONNECTION

REPORT = {
    "bulkId": "b",
    "messageId": "m",
    "to": "385911234567",
    "messageCount": 1,
    "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5, "name": "DELIVERED_TO_HANDSET"},
}


def _pull(changed: dict[str, Any]) -> dict[str, Any]:
    """The one report getSmsDeliveryReports outputs when Infobip answers ``REPORT`` changed."""
    answer = {"results": [{**REPORT, **changed}]}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=answer))
    output = component.execute(
        "getSmsDeliveryReports", {"bulkId": "b"}, CONNECTION, transport=transport
    )
    (report,) = output["results"]
    return report


@pytest.mark.parametrize(
    ("changed", "field", "expected"),
    [
        (
            {"price": {"pricePerMessage": "0.01", "currency": "EUR"}},
            "price",
            {"pricePerMessage": 0.01, "currency": "EUR"},
        ),
        ({"messageCount": "1"}, "messageCount", 1),
        ({"to": 385911234567}, "to", "385911234567"),
        ({"status": {**REPORT["status"], "groupId": "3"}}, "status", REPORT["status"]),
    ],
)
def test_a_lossless_conversion_is_made_and_named(
    changed: dict[str, Any], field: str, expected: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        report = _pull(changed)
    assert report[field] == expected
    assert "converted" in caplog.text and f"results[0].{field}" in caplog.text


@pytest.mark.parametrize(
    ("changed", "path"),
    [
        ({"price": {"pricePerMessage": "NaN", "currency": "EUR"}}, "price.pricePerMessage"),
        ({"price": {"pricePerMessage": "0.010", "currency": "EUR"}}, "price.pricePerMessage"),
        ({"price": "free"}, "price"),
        ({"messageCount": "01"}, "messageCount"),
        ({"messageCount": " 1"}, "messageCount"),
        ({"messageCount": 1.5}, "messageCount"),
        ({"messageCount": True}, "messageCount"),
        ({"to": 3.5}, "to"),
        ({"status": "DELIVERED"}, "status"),
        ({"status": {**REPORT["status"], "groupId": "three"}}, "status.groupId"),
    ],
)
def test_a_value_that_does_not_convert_is_kept_as_given(
    changed: dict[str, Any], path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        report = _pull(changed)
    assert report == {**REPORT, **changed}
    assert f"results[0].{path}: declared" in caplog.text and "kept as given" in caplog.text
    assert repr(changed[path.split(".")[0]]) not in caplog.text  # the value itself is not logged


def test_null_is_a_field_not_given(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        report = _pull({"status": None, "price": None})
    assert report == {k: v for k, v in REPORT.items() if k != "status"}


def test_a_matching_answer_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        assert _pull({}) == REPORT
    assert caplog.text == ""


# ---------------------------------------------------------------- every action's output

#: A value of no declared type at all: no leaf, object or list can convert it.
ODD = {"odd": [1]}


def _odd_answer(prop: Property) -> Any:
    """An answer of ``prop`` with every leaf (and every list item's leaves) given ``ODD``."""
    if prop.type == "OBJECT":
        return {child.name: _odd_answer(child) for child in prop.properties or []}
    if prop.type == "ARRAY":
        assert prop.items is not None
        return [_odd_answer(prop.items)]
    return ODD


def _leaves(prop: Property, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The places of ``prop``'s leaves, with whether each is required."""
    if prop.type == "OBJECT":
        return [p for c in prop.properties or [] for p in _leaves(c, (*at, c.name))]
    if prop.type == "ARRAY":
        assert prop.items is not None
        return _leaves(prop.items, (*at, 0))
    return [(at, prop.required)]


@pytest.mark.parametrize("action", [a.name for a in component.definition.actions])
def test_no_action_drops_a_field_of_an_unexpected_type(action: str) -> None:
    declared = component.definition.action(action).output.as_property()
    answer = _odd_answer(declared)
    fitted = fit(answer, declared)
    assert fitted.value == answer
    leaves = _leaves(declared)
    assert sorted(p for p, _ in fitted.kept) == sorted(p for p, required in leaves if not required)
    assert sorted(p for p, _ in fitted.unusable) == sorted(p for p, required in leaves if required)
    assert fitted.converted == []


@pytest.mark.parametrize("status", ["DELIVERED", [3], {"x": 1}])
def test_a_required_field_that_is_not_usable_is_an_unknown_outcome(status: Any) -> None:
    answer = {
        "bulkId": "B",
        "messages": [{"messageId": "M", "to": "41793026727", "status": status}],
    }
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=answer))
    values = {
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "M"}], "text": "x"}]
    }
    with pytest.raises(OutcomeUnknownError) as caught:
        component.execute("sendSms", {**values, "bulkId": "B"}, CONNECTION, transport=transport)
    assert caught.value.details["messageIds"] == ["M"]
    paths = [p["path"] for p in caught.value.details["problems"]]
    assert paths and all(path.startswith("messages[0].status") for path in paths)


@pytest.mark.parametrize("action", ["getSmsDeliveryReports", "getInboundSms", "getSmsLogs"])
@pytest.mark.parametrize("odd", [None, "x", []])
def test_an_unreadable_item_keeps_the_other_items_of_the_list(
    action: str, odd: Any, caplog: pytest.LogCaptureFixture
) -> None:
    answer = {"results": [odd, {"messageId": "m2"}]}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=answer))
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        output = component.execute(action, {}, CONNECTION, transport=transport)
    assert output["results"] == [odd, {"messageId": "m2"}]
    assert "results[0]: declared an object" in caplog.text and "kept as given" in caplog.text
