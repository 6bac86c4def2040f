"""The pruning's plain copy (``values._plain_copy``) gives exactly what the walk gives.

A small input with nothing to prune is copied without the walk; every input, plain or
not, must come out of ``prune_counted`` as the walk alone would give it (the same values,
flags and size, or the same error), and never share a container with the input.
"""

from __future__ import annotations

import copy
import enum
import random
from collections import OrderedDict
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.errors import InputError
from infobip_connector.runtime import values as values_module
from infobip_connector.runtime.values import MAX_DEPTH, PLAIN_UNDER, prune_counted


class _Text(str):
    pass


class _Number(int):
    pass


class _Colour(enum.Enum):
    RED = "red"


class _Size(enum.StrEnum):
    SMALL = "small"


_LEAVES: list[Any] = [
    "41793026727",
    "Grüezi 👋",
    "",
    " ",
    "\ud800",
    "x" * 300,
    0,
    -7,
    10**99,
    10**100,
    -(10**100),
    2**64,
    True,
    False,
    None,
    1.0,
    2.5,
    float("nan"),
    _Text("sub"),
    _Number(3),
    _Colour.RED,
    _Size.SMALL,
    b"bytes",
]
_KEYS: list[Any] = ["to", "messageId", "text", "Grüße", "", "\udc80", 1, _Text("k"), None]


def _random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth > 4 or roll < 0.45:
        return rng.choice(_LEAVES) if rng.random() < 0.35 else rng.choice(_LEAVES[:2])
    if roll < 0.75:
        size = rng.choice([0, 1, 1, 2, 3, 5])
        members = {_key(rng): _random_value(rng, depth + 1) for _ in range(size)}
        return OrderedDict(members) if rng.random() < 0.03 else members
    items = [_random_value(rng, depth + 1) for _ in range(rng.choice([0, 1, 2, 4, 12]))]
    return tuple(items) if rng.random() < 0.05 else items


def _key(rng: random.Random) -> Any:
    return rng.choice(_KEYS) if rng.random() < 0.1 else rng.choice(_KEYS[:3]) + str(rng.random())


def _walked(value: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``prune_counted`` with the plain copy turned off: the walk alone."""
    with monkeypatch.context() as patch:
        patch.setattr(values_module, "_plain_copy", lambda _: None)
        return _outcome(value)


def _outcome(value: Any) -> Any:
    try:
        return ("ok", prune_counted(value))
    except InputError as exc:
        return ("error", exc.errors, str(exc))


def _containers(value: Any) -> list[int]:
    if isinstance(value, dict):
        return [id(value), *(i for item in value.values() for i in _containers(item))]
    if isinstance(value, list | tuple):
        return [id(value), *(i for item in value for i in _containers(item))]
    return []


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return (type(value), [(_types(k), _types(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value), [_types(item) for item in value])
    return type(value)


def _same(value: Any, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Assert the two ways agree on ``value``; whether the plain copy took it."""
    given = copy.deepcopy(value)
    taken = values_module._plain_copy(value) is not None
    outcome, walked = _outcome(value), _walked(value, monkeypatch)
    assert outcome == walked
    assert _types(outcome) == _types(walked)  # the same types too (an int is not a bool)
    assert value == given or value != value  # the input is left as it was (NaN aside)
    if outcome[0] == "ok":
        assert not set(_containers(outcome[1][0])) & set(_containers(value))
    return taken


def test_random_inputs_come_out_as_the_walk_gives_them(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20261203)
    taken = 0
    for _ in range(4000):
        value = {_key(rng): _random_value(rng, 1) for _ in range(rng.choice([1, 2, 3, 6]))}
        taken += _same(value, monkeypatch)
    # Both ways are exercised: many inputs are plain, many are not.
    assert 400 < taken < 3600


@pytest.mark.parametrize("count", [PLAIN_UNDER - 2, PLAIN_UNDER - 1, PLAIN_UNDER])
def test_the_size_is_counted_alike_up_to_and_past_plain_under(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    value = {"messages": [{"text": f"t{i}"} for i in range((count - 2) // 2)]}
    value.update({f"x{i}": "y" for i in range(count - 2 - 2 * len(value["messages"]))})
    assert _same(value, monkeypatch) is (prune_counted(value)[3] < PLAIN_UNDER)
    assert prune_counted(value)[3] == count


@pytest.mark.parametrize("depth", [1, 8, 9, 10, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2])
def test_nesting_is_refused_alike(depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for leaf in ("x", {"a": "x"}, ["x"]):
        value: Any = leaf
        for _ in range(depth):
            value = {"a": value}
        _same(value, monkeypatch)
        _same({"list": [value]}, monkeypatch)


def test_a_single_message_is_copied_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    sms = {
        "bulkId": "B1",
        "messages": [
            {
                "destinations": [{"to": "41793026727", "messageId": "M1"}],
                "from": "InfoSMS",
                "text": "Grüezi",
                "flash": False,
                "validityPeriod": 720,
            }
        ],
    }
    whatsapp = {"from": "441134960000", "to": "441134960001", "content": {"text": "Hi"}}
    assert _same(sms, monkeypatch)
    assert _same(whatsapp, monkeypatch)
    copied = component.runtime("sendSms").validate(sms)
    assert copied["messages"][0]["text"] == "Grüezi" and copied is not sms


def test_a_long_text_is_left_to_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values_module, "_PLAIN_CHARS", 10)
    assert not _same({"text": "x" * 11}, monkeypatch)
    assert _same({"text": "x" * 10}, monkeypatch)
