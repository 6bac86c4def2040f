"""The one-entry answer to a one-recipient send is settled at once, and only when fine.

``accounting._single_settled`` spares a small send the column passes sized for a bulk; it
must say True exactly where the full checks would find nothing, so every entry those
suspect, another messageId or ``bulkId``, and a reference naming other IDs still end in
``OutcomeUnknownError`` saying what is wrong.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from infobip_connector import OutcomeUnknownError
from infobip_connector.request import Recipients
from infobip_connector.runtime import accounting
from infobip_connector.runtime.accounting import _single_settled, check_accounted

from .test_accounting_columns import FINE, PENDING, SUSPECT

ONE = Recipients(["M7"], ["41790000007"])
REFERENCE = {"bulkId": "B1", "messageIds": ["M7"]}


def _answer() -> dict[str, Any]:
    entry = {"messageId": "M7", "status": dict(PENDING), "to": "41790000007"}
    return {"bulkId": "B1", "messages": [entry]}


def _args(answer: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    return answer, answer["messages"][0]


def _changed(name: str, changes: dict[str, Any]) -> dict[str, Any]:
    answer = _answer()
    changes[name](answer["messages"][0])
    return answer


def test_the_usual_answer_is_settled_at_once() -> None:
    assert _single_settled(*_args(_answer()), REFERENCE, ["M7"], ONE)
    check_accounted(_answer(), REFERENCE, ONE)
    # One message sent alone: its reference names a messageId, and no bulkId may come back.
    alone = {"messageId": "M7"}
    answer = _answer()
    del answer["bulkId"]
    assert _single_settled(*_args(answer), alone, ["M7"], ONE)
    check_accounted(answer, alone, ONE)


@pytest.mark.parametrize("name", list(FINE))
def test_an_unusual_but_fine_entry_is_settled_at_once(name: str) -> None:
    answer = _changed(name, FINE)
    assert _single_settled(*_args(answer), REFERENCE, ["M7"], ONE)
    check_accounted(answer, REFERENCE, ONE)


def _outcome(answer: dict[str, Any], reference: dict[str, Any]) -> Any:
    try:
        check_accounted(copy.deepcopy(answer), reference, ONE)
    except OutcomeUnknownError as error:
        return error.message, error.details
    return None


@pytest.mark.parametrize("name", list(SUSPECT))
def test_a_suspect_entry_goes_through_the_full_checks(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = _changed(name, SUSPECT)
    assert not _single_settled(*_args(answer), REFERENCE, ["M7"], ONE)
    said = _outcome(answer, REFERENCE)
    # The same as the full checks say with the quick settling turned off.
    monkeypatch.setattr(accounting, "_single_settled", lambda *_: False)
    assert said == _outcome(answer, REFERENCE)
    # A "+" in front of the same number and a float status id under 2**53 are fine.
    assert (said is None) == (name in ("a destination with +", "id as a float"))


def test_another_bulk_id_is_a_contradiction() -> None:
    answer = {**_answer(), "bulkId": "B2"}
    assert not _single_settled(*_args(answer), REFERENCE, ["M7"], ONE)
    with pytest.raises(OutcomeUnknownError) as info:
        check_accounted(answer, REFERENCE, ONE)
    assert info.value.details["contradictions"] == ["bulkId: not the bulkId sent"]


def test_a_reference_naming_other_ids_is_listed_in_full() -> None:
    # The recipient's messageId is not the one the reference says was sent.
    reference = {"bulkId": "B1", "messageIds": ["M8"]}
    assert not _single_settled(*_args(_answer()), reference, ["M8"], ONE)
    with pytest.raises(OutcomeUnknownError) as info:
        check_accounted(_answer(), reference, ONE)
    assert info.value.details["missingMessageIds"] == ["M8"]
    assert info.value.details["unexpectedMessageIds"] == ["M7"]


def test_one_entry_for_a_message_sent_twice_is_not_settled() -> None:
    reference = {"bulkId": "B1", "messageIds": ["M7", "M7"]}
    with pytest.raises(OutcomeUnknownError) as info:
        check_accounted(_answer(), reference, ONE)
    assert info.value.details["missingMessageIds"] == ["M7"]
