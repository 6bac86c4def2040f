"""The pruning's plain copy (``plain_copy.plain_copy``) gives exactly what the walk gives.

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
from infobip_connector.runtime import plain_copy as plain_module
from infobip_connector.runtime import values as values_module
from infobip_connector.runtime.input_limits import MAX_DEPTH, MAX_TEXT_CHARS
from infobip_connector.runtime.plain_copy import PLAIN_UNDER
from infobip_connector.runtime.values import SHARE_FROM, prune_counted

from .test_free_member_rules import flow


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


# The inputs of Send WhatsApp Template Message hold members whose values are kept as given
# (a Flow's data): pruned with it as root, those are put back after the copy as after the walk.
_FREE_ROOT = component.runtime("sendWhatsappTemplateMessage")._input_prop


def _walked(value: Any, monkeypatch: pytest.MonkeyPatch, **how: Any) -> Any:
    """``prune_counted`` with the plain copy turned off: the walk alone."""
    with monkeypatch.context() as patch:
        patch.setattr(values_module, "plain_copy", lambda _: None)
        return _outcome(value, **how)


def _outcome(value: Any, root: Any = None, shared: bool = False) -> Any:
    lists: list[list[Any]] | None = [] if shared else None
    try:
        result = prune_counted(value, root, lists)
    except InputError as exc:
        return ("error", exc.errors, str(exc))
    # The lists left sharing the input's objects, by the ids of those objects.
    kept = [[id(item) for item in listed] for listed in lists or []]
    return ("ok", result, kept)


def _containers(value: Any) -> list[int]:
    if isinstance(value, dict):
        return [id(value), *(i for item in value.values() for i in _containers(item))]
    if isinstance(value, list | tuple):
        return [id(value), *(i for item in value for i in _containers(item))]
    return []


def _form(value: Any) -> Any:
    """``value``'s types and names in order: what ``==`` does not compare."""
    if isinstance(value, dict):
        return (type(value), [(type(k), k, _form(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value), [_form(item) for item in value])
    return type(value)


def _same(value: Any, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Assert the two ways agree on ``value``, with and without a root of free members and
    lists to share; whether the plain copy took it."""
    given = copy.deepcopy(value)
    taken = plain_module.plain_copy(value) is not None
    for how in ({}, {"shared": True}, {"root": _FREE_ROOT, "shared": True}):
        outcome, walked = _outcome(value, **how), _walked(value, monkeypatch, **how)
        assert outcome == walked
        assert _form(outcome) == _form(walked)  # types (an int is not a bool), names in order
        assert value == given  # the input is left as it was
        if outcome[0] == "ok" and not how:
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
    value: dict[str, Any] = {"messages": [{"text": f"t{i}"} for i in range((count - 2) // 2)]}
    value.update({f"x{i}": "y" for i in range(count - 2 - 2 * len(value["messages"]))})
    assert _same(value, monkeypatch) is (prune_counted(value)[3] < PLAIN_UNDER)
    assert prune_counted(value)[3] == count


@pytest.mark.parametrize("depth", [1, 8, 9, 10, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2])
def test_nesting_is_refused_alike(depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for leaf in ("x", {"a": "x"}, ["x"]):
        for wrap in (lambda v: {"a": v}, lambda v: [v], lambda v: [{"a": v}]):
            value: Any = leaf
            for _ in range(depth):
                value = wrap(value)
            _same({"top": value}, monkeypatch)
            _same({"list": [value]}, monkeypatch)


def test_the_copy_stays_within_the_walk_s_limits() -> None:
    # Under SHARE_FROM values no list is long enough to be shared; PLAIN_UNDER texts of
    # _PLAIN_CHARS cannot pass MAX_TEXT_CHARS; the copy stops short of MAX_DEPTH.
    assert PLAIN_UNDER <= SHARE_FROM
    assert PLAIN_UNDER * plain_module._PLAIN_CHARS <= MAX_TEXT_CHARS
    assert plain_module._PLAIN_DEPTH < MAX_DEPTH


def test_texts_past_the_character_limit_are_refused_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "x" * (MAX_TEXT_CHARS // 61 + 1)
    assert not _same({"l": [text] * 61}, monkeypatch)
    assert _walked({"l": [text] * 61}, monkeypatch)[0] == "error"


def test_a_long_list_is_shared_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not _same({"l": [{"to": "41793026727"} for _ in range(SHARE_FROM)]}, monkeypatch)
    assert _same({"l": [{"to": "41793026727"} for _ in range((PLAIN_UNDER - 3) // 2)]}, monkeypatch)


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
    monkeypatch.setattr(plain_module, "_PLAIN_CHARS", 10)
    assert not _same({"text": "x" * 11}, monkeypatch)
    assert _same({"text": "x" * 10}, monkeypatch)


def test_free_members_are_kept_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(flow({"screen": "A", "count": 2, "ok": True}), monkeypatch)
    assert not _same(flow({"screen": "A", "note": ""}), monkeypatch)
    # The Flow's data is kept as given, its empty member too: the guide was applied.
    pruned = prune_counted(flow({"screen": "A", "note": ""}), _FREE_ROOT)[0]
    button = pruned["messages"][0]["content"]["templateData"]["buttons"][0]
    assert button["data"] == {"screen": "A", "note": ""}
