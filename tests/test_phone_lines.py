"""A bulk's numbers settled by one match: exactly those the per-number fast path keeps.

``phone_lines.settled_count`` joins a list of numbers into lines and runs one expression
built from the shapes present; the numbers it settles must be exactly the leading ones
the per-number test (``normalize_phone``'s compiled pattern of each number's shape) keeps
as given, so that the first other number, and every one after it, still gets that test.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.definition.model import PhoneCheck
from infobip_connector.runtime.phone_lines import MAX_SHAPES, _heads, settled_count
from infobip_connector.runtime.phones import normalize_phone, shapes

from .test_phones import _candidates

CHECKS: list[PhoneCheck] = ["valid", "possible"]


def _fast(number: str, check: PhoneCheck) -> bool:
    """Whether the per-number test keeps ``number`` as given by its shape's pattern."""
    with contextlib.suppress(ValueError):
        normalize_phone(number, check)  # learns the number's shape
    match = shapes(check).get((number[:3], len(number)))
    return match is not None and bool(match(number))


def _expected(numbers: list[str], check: PhoneCheck) -> int:
    return next((i for i, n in enumerate(numbers) if not _fast(n, check)), len(numbers))


@pytest.mark.parametrize("check", CHECKS)
def test_a_list_is_settled_up_to_the_first_number_the_per_number_test_would_not_keep(
    check: PhoneCheck,
) -> None:
    candidates = _candidates(800, seed=29)
    good = [n for n in candidates if _fast(n, check)]
    for size in (1, 3):
        for start in range(0, len(candidates) - size, size):
            chunk = candidates[start : start + size]
            assert settled_count(chunk, check) == _expected(chunk, check), chunk
    # Settled numbers of one shape each, then one of any other: it stops right there.
    for index, other in enumerate(candidates[:200]):
        chunk = [good[index % len(good)]] * 5 + [other] + [good[0]]
        assert settled_count(chunk, check) == _expected(chunk, check), chunk


def test_a_bulk_of_one_shape_is_settled_whole() -> None:
    numbers = [f"4179{i:07d}" for i in range(2000)]
    assert settled_count(numbers, "valid") == _expected(numbers, "valid") == 2000


@pytest.mark.parametrize(
    ("numbers", "settled"),
    [
        (["41793026727", "41793026727\n41793026727"], 0),  # a line break inside a number
        (["41793026727", None], 0),  # not all text
        (["41793026727", "+41793026728", "41793026729"], 1),
        (["41793026727", "041793026728"], 1),  # a trunk 0 in front
        (["41793026727", "4179302672"], 1),  # one digit short
        (["41793026727", "41793026727 "], 1),
        (["41793026727", "٤١٧٩٣٠٢٦٧٢٧"], 1),
        (["41793026727", "41"], 1),
        ([], 0),
    ],
)
def test_unusual_members_stop_the_settled_run(numbers: list[Any], settled: int) -> None:
    assert settled_count(numbers, "valid") == settled


def test_too_many_shapes_leave_every_number_to_the_per_number_test() -> None:
    numbers = [f"{head}{i:08d}" for i, head in enumerate(range(410, 410 + MAX_SHAPES + 1))]
    assert settled_count(numbers, "valid") == 0


def _bulk(numbers: list[str]) -> dict[str, Any]:
    destinations = [{"to": n, "messageId": f"m-{i}"} for i, n in enumerate(numbers)]
    return {"bulkId": "B1", "messages": [{"destinations": destinations, "text": "x"}]}


def test_numbers_after_the_settled_run_are_normalised_and_checked_at_their_place() -> None:
    numbers = [f"4179{i:07d}" for i in range(300)]
    numbers[120] = "+41 79 000 01 20"
    numbers[250] = "+41 12"
    with pytest.raises(InputError) as info:
        component.validate_input("sendSms", _bulk(numbers))
    assert [e["path"] for e in info.value.errors] == ["messages[0].destinations[250].to"]
    numbers[250] = "0041 79 000 02 50"
    checked = component.validate_input("sendSms", _bulk(numbers))
    sent = [d["to"] for d in checked["messages"][0]["destinations"]]
    assert sent == [f"4179{i:07d}" for i in range(300)]


def test_the_heads_of_a_list_are_found_by_searches_as_by_slicing_each_number() -> None:
    candidates = [*_candidates(400, seed=31), "", "4", "41", "+4", "4.1", "(41", "41\u0661"]
    for size in (1, 2, 5, 40):
        for start in range(0, len(candidates) - size, size):
            chunk = candidates[start : start + size]
            lines = "\n" + "\n".join(chunk) + "\n"
            heads = frozenset(n[:3] for n in chunk)
            assert _heads(lines, 99) == heads, chunk
            assert _heads(lines, len(heads) - 1) is None
    numbers = ["41793026727", "41", "41893026727", "4", "41"]
    assert _heads("\n" + "\n".join(numbers) + "\n", 9) == {"417", "41", "418", "4"}
