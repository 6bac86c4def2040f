"""Pruning keeps what is not empty and counts every value and character toward the limits."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import InputError
from infobip_connector.runtime.values import (
    MAX_TEXT_CHARS,
    MAX_VALUES,
    prune,
    prune_for_validation,
)


def test_falsy_values_that_are_not_empty_are_kept() -> None:
    given: dict[str, Any] = {
        "zero": 0,
        "no": False,
        "none": 0.0,
        "gone": None,
        "blank": "",
        "list": [],
        "object": {"inner": {"deeper": None}},
        "kept": {"n": 0, "drop": ""},
    }
    assert prune(given) == {"zero": 0, "no": False, "none": 0.0, "kept": {"n": 0}}
    pruned, emptied, floats = prune_for_validation(given)
    # An object whose members were all empty stays {} for validation, and is flagged.
    assert pruned["object"] == {"inner": {}} and emptied and floats


def _refused(value: Any) -> str:
    with pytest.raises(InputError) as caught:
        prune(value)
    message: str = caught.value.errors[0]["message"]
    return message


def test_the_value_limit_is_exact_for_values_that_are_not_text() -> None:
    # The object, its list and each number count one each.
    assert len(prune({"a": [0] * (MAX_VALUES - 2)})["a"]) == MAX_VALUES - 2
    assert "more than 1,500,000 values" in _refused({"a": [0] * (MAX_VALUES - 1)})


def test_the_value_limit_is_exact_for_members_that_are_text() -> None:
    # Each object counts one, each text member one: the root, "a" and 1,499 objects of
    # 1,000 are 1,499,002 values; "b" and its 997 texts make 1,500,000.
    inner = {f"k{i}": "x" for i in range(999)}
    given: dict[str, Any] = {"a": {f"o{i}": dict(inner) for i in range(1499)}}
    given["b"] = {f"t{i}": "x" for i in range(997)}
    assert len(prune(given)["b"]) == 997
    given["b"]["one more"] = "x"
    assert "more than 1,500,000 values" in _refused(given)


def test_the_character_limit_counts_text_members() -> None:
    half = MAX_TEXT_CHARS // 2
    assert prune({"a": {"x": "a" * half, "y": "b" * half}})["a"]["y"] == "b" * half
    assert "characters of text" in _refused({"a": {"x": "a" * half, "y": "b" * (half + 1)}})
