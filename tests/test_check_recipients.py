"""A short list of recipients is checked one at a time, a long one column-wise: the same result.

Both walks of ``runtime/checks.py`` must report every problem at the same path with the same
message, normalise the same numbers and leave the same IDs to be filled, in the same order
(IDs derived from an idempotency key depend on it). Each test forces one walk or the other
through ``checks.FEW`` and compares.
"""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.runtime import checks
from infobip_connector.runtime.phone_lines import BULK

OK_TO = "41793026727"
WALKS = {"per item": 10**9, "column-wise": 0}


def _tricky() -> list[dict[str, str]]:
    return [
        {"to": "+41 79 302 67 27", "messageId": "first"},  # normalised
        {"to": "12", "messageId": "bad-number"},  # too short
        {"to": OK_TO, "messageId": "a,b"},  # a comma splits a log filter
        {"to": OK_TO, "messageId": "x" * 201},  # over the 200-character limit
        {"to": OK_TO, "messageId": "first"},  # repeats the first
        {"to": OK_TO},  # gets an ID
    ]


def _inputs(destinations: list[dict[str, str]]) -> dict[str, Any]:
    return {"bulkId": "bulk-1", "messages": [{"destinations": destinations, "text": "hi"}]}


def _each_walk(monkeypatch: pytest.MonkeyPatch, run: Any) -> list[Any]:
    results = []
    for few in WALKS.values():
        monkeypatch.setattr(checks, "FEW", few)
        results.append(run())
    return results


def _errors(destinations: list[dict[str, str]]) -> list[dict[str, str]]:
    with pytest.raises(InputError) as caught:
        component.runtime("sendSms").validate(_inputs(destinations))
    return caught.value.errors


def test_both_walks_report_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    per_item, column_wise = _each_walk(monkeypatch, lambda: _errors(_tricky()))
    assert [e["path"] for e in per_item] == [
        "messages[0].destinations[1].to",
        "messages[0].destinations[2].messageId",
        "messages[0].destinations[3].messageId",
        "messages[0].destinations[4].messageId",
    ]
    assert "at most 200 characters" in per_item[2]["message"]
    assert "is the same as messages[0].destinations[0].messageId" in per_item[3]["message"]
    assert per_item == column_wise


def test_a_short_list_is_walked_per_item() -> None:
    assert 1 < checks.FEW <= BULK


@pytest.mark.parametrize("key", [None, "key-1"])
def test_both_walks_normalise_and_fill_alike(monkeypatch: pytest.MonkeyPatch, key: Any) -> None:
    destinations = [
        {"to": "+41 79 302 67 27"},
        {"to": OK_TO, "messageId": "given"},
        {"to": "0041 79 302 67 28"},
        {"to": "+41 79 302 67 27"},  # the same message twice: two derived IDs
    ]

    def run() -> list[dict[str, str]]:
        fresh = [dict(d) for d in destinations]
        values = component.runtime("sendSms").validate(_inputs(fresh), idempotency_key=key)
        sent: list[dict[str, str]] = values["messages"][0]["destinations"]
        return sent

    per_item, column_wise = _each_walk(monkeypatch, run)
    assert [d["to"] for d in per_item] == [OK_TO, OK_TO, "41793026728", OK_TO]
    assert per_item[1]["messageId"] == "given"
    assert len({d["messageId"] for d in per_item}) == 4
    if key is None:  # random IDs: only their places can be compared
        assert [d.keys() for d in per_item] == [d.keys() for d in column_wise]
    else:
        assert per_item == column_wise
