"""Checking an input holds the cycle collector back for a large input, not for a small one.

A bulk's checks and copies build many containers at once (see ``gcpause.py``); a single
message's input is a few dicts, for which entering and leaving the pause costs more than
checking them. The pruning pauses it over a long list, the checks from ``PAUSE_FROM``
values; the collector runs again afterwards, whatever was raised.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.errors import InputError
from infobip_connector.runtime import values as values_module
from infobip_connector.runtime.action_runtime import PAUSE_FROM
from infobip_connector.runtime.values import SHARE_FROM, prune_counted


@pytest.fixture(autouse=True)
def _collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def _sms(count: int, to: str = "41793026727") -> dict[str, Any]:
    destinations = [{"to": to, "messageId": f"M{i}"} for i in range(count)]
    return {"bulkId": "B1", "messages": [{"destinations": destinations, "text": "Hi"}]}


def _nested(depth: int) -> Any:
    value: Any = "41793026727"
    for _ in range(depth):
        value = [value]
    return value


def _collector_while_checking(values: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> bool:
    runtime = component.runtime("sendSms")
    seen: list[bool] = []
    apply = runtime.checks.apply

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return apply(*args, **kwargs)

    monkeypatch.setattr(runtime.checks, "apply", spy)
    runtime.prepare(values)
    assert gc.isenabled()
    assert len(seen) == 1
    return seen[0]


def test_a_single_message_is_checked_with_the_collector_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _collector_while_checking(_sms(1), monkeypatch)


@pytest.mark.parametrize("count", range(1, 40, 3))
def test_the_checks_pause_the_collector_from_pause_from_values(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = prune_counted(_sms(count))[3]
    assert _collector_while_checking(_sms(count), monkeypatch) is (size < PAUSE_FROM)


def test_the_counts_checked_lie_on_both_sides_of_pause_from() -> None:
    sizes = [prune_counted(_sms(count))[3] for count in range(1, 40, 3)]
    assert min(sizes) < PAUSE_FROM <= max(sizes)


def test_a_long_list_is_pruned_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, bool]] = []
    items = values_module._items

    def spy(value: Any, *args: Any) -> Any:
        seen.append((len(value), gc.isenabled()))
        return items(value, *args)

    monkeypatch.setattr(values_module, "_items", spy)
    component.runtime("sendSms").prepare(_sms(SHARE_FROM))
    component.runtime("sendSms").prepare(_sms(SHARE_FROM - 1))
    assert gc.isenabled()
    # messages (one), then destinations: only the long list is walked paused.
    assert seen == [(1, True), (SHARE_FROM, False), (1, True), (SHARE_FROM - 1, True)]


@pytest.mark.parametrize(
    "values",
    [
        _sms(SHARE_FROM, to="not a number"),  # refused by the checks
        _sms(1, to="not a number"),
        {"messages": [{"destinations": [{"to": {1, 2}}] * SHARE_FROM, "text": "Hi"}]},  # not JSON
        {"messages": [{"destinations": [{"to": ["4179"] * 40}] * SHARE_FROM, "text": "Hi"}]},
        {"messages": [{"destinations": [{"to": _nested(40)}] * SHARE_FROM, "text": "Hi"}]},
    ],
    ids=["checks", "checks-small", "not-json", "schema", "too-deep"],
)
def test_a_refused_input_leaves_the_collector_running(values: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        component.runtime("sendSms").prepare(values)
    assert gc.isenabled()


def test_an_application_that_disabled_the_collector_keeps_it_disabled() -> None:
    gc.disable()
    component.runtime("sendSms").prepare(_sms(SHARE_FROM))
    component.runtime("sendSms").prepare(_sms(1))
    assert not gc.isenabled()
