"""Checking an input holds the cycle collector back for a large input, not for a small one.

A bulk's checks and copies build many containers at once (see ``gcpause.py``); a single
message's input is a few dicts, for which entering and leaving the pause costs more than
checking them. The pruning pauses it from ``PAUSE_FROM`` values or a list of ``SHARE_FROM``
items on, the checks from ``PAUSE_FROM`` values; the collector runs again afterwards,
whatever was raised, and no pause is left held.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.errors import InputError
from infobip_connector.gcpause import paused_gc
from infobip_connector.runtime import plain_checks
from infobip_connector.runtime import values as values_module
from infobip_connector.runtime.values import PAUSE_FROM, SHARE_FROM, prune_counted


@pytest.fixture(autouse=True)
def _collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    assert paused_gc._depth == 0  # no pause left held
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
    # The generic path: a plain input's checks run on its copy (see the test below).
    monkeypatch.setattr(runtime, "_plain", None)
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


def test_a_plain_single_message_is_checked_on_its_copy_with_the_collector_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    run = plain_checks._run

    def spy(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return run(*args)

    monkeypatch.setattr(plain_checks, "_run", spy)
    component.runtime("sendSms").prepare(_sms(1))
    assert seen == [True]
    assert gc.isenabled()


@pytest.mark.parametrize("count", range(1, 40, 3))
def test_the_checks_pause_the_collector_from_pause_from_values(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = prune_counted(_sms(count))[3]
    assert _collector_while_checking(_sms(count), monkeypatch) is (size < PAUSE_FROM)


def test_the_counts_checked_lie_on_both_sides_of_pause_from() -> None:
    sizes = [prune_counted(_sms(count))[3] for count in range(1, 40, 3)]
    assert min(sizes) < PAUSE_FROM <= max(sizes)


@pytest.mark.parametrize("extra", [{}, {"from": "InfoSMS"}, {"from": "InfoSMS", "flash": True}])
def test_the_checks_pause_the_collector_from_exactly_pause_from_values(
    extra: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    values = _sms(19)
    values["messages"][0].update(extra)
    size = prune_counted(values)[3]
    assert size == PAUSE_FROM - 1 + len(extra)
    assert _collector_while_checking(values, monkeypatch) is (size < PAUSE_FROM)


def _collector_while_pruning(name: str, run: Any, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector ran at each call of ``values.<name>`` during ``run()``."""
    seen: list[bool] = []
    original = getattr(values_module, name)

    def spy(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return original(*args)

    monkeypatch.setattr(values_module, name, spy)
    run()
    assert gc.isenabled()
    return seen


def test_many_values_without_a_long_list_are_pruned_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 40 messages of 2 destinations each: no list of SHARE_FROM items, 400 values.
    values: dict[str, Any] = {
        "messages": [_sms(2)["messages"][0] | {"text": f"Hi {i}"} for i in range(40)]
    }
    for number, message in enumerate(values["messages"]):
        for index, destination in enumerate(message["destinations"]):
            destination["messageId"] = f"M{number}-{index}"
    seen = _collector_while_pruning(
        "_members", lambda: component.runtime("sendSms").validate(values), monkeypatch
    )
    # The first objects are walked with the collector on, those after PAUSE_FROM values paused.
    assert seen[0] and not seen[-1]
    assert seen.index(False) < 30


def test_a_long_list_is_pruned_paused_when_validated_too(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _collector_while_pruning(
        "_items", lambda: component.runtime("sendSms").validate(_sms(SHARE_FROM)), monkeypatch
    )
    assert seen == [True, False]


def test_the_search_for_what_is_not_json_runs_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    # The walk may stop before counting what it passed: an object's texts count once it is
    # done, so 5,000 texts then a set are refused at a count of 2. The search for the set
    # allocates for every member: it runs paused, whatever was counted.
    wide: dict[str, Any] = {f"k{i}": f"v{i}" for i in range(5_000)}
    wide["z"] = {1, 2}
    long_list = _sms(2 * SHARE_FROM)
    long_list["messages"][0]["destinations"][-1]["to"] = {1, 2}
    small = _sms(1)
    small["messages"][0]["destinations"][0]["to"] = {1, 2}
    for values in (wide, long_list, small):

        def run(values: dict[str, Any] = values) -> None:
            with pytest.raises(InputError):
                component.runtime("sendSms").prepare(values)

        assert _collector_while_pruning("_locate_non_json", run, monkeypatch) == [False]


@pytest.mark.parametrize("texts", [PAUSE_FROM - 4, PAUSE_FROM - 3])
def test_the_pruning_pauses_the_collector_from_exactly_pause_from_values(
    texts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before the members of "b" are walked, the root, "a" with its texts (counted when "a"
    # is done) and "b" itself are counted: 63 or 64 values. The empty "e" leaves the input
    # to the walk (the root's own texts count when the root is done).
    values = {"e": "", "a": {f"t{i}": "x" for i in range(texts)}, "b": {"c": "d"}}
    seen = _collector_while_pruning("_members", lambda: prune_counted(values), monkeypatch)
    assert seen == [True, True, 3 + texts < PAUSE_FROM]


@pytest.mark.parametrize("error", [KeyboardInterrupt, ValueError])
def test_an_exception_inside_a_paused_walk_leaves_no_pause_held(error: type) -> None:
    class Exploding(dict[str, Any]):
        # Copying it (the walk's dict(...)) calls these once __iter__ is not dict's own.
        def __iter__(self) -> Any:
            raise error("stop")

        def keys(self) -> Any:
            raise error("stop")

    values = {
        "messages": [{"destinations": [{"to": "41793026727"}] * SHARE_FROM}],
        "x": Exploding(a=1),
    }
    with pytest.raises(error):
        component.runtime("sendSms").prepare(values)
    assert gc.isenabled() and paused_gc._depth == 0


def test_an_input_too_large_leaves_no_pause_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values_module, "MAX_VALUES", 100)
    with pytest.raises(InputError, match="input too large"):
        component.runtime("sendSms").prepare(_sms(SHARE_FROM))
    assert gc.isenabled() and paused_gc._depth == 0


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
