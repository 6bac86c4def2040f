"""Texts are checked for Infobip's length (UTF-16 units) wherever they sit, nested or not."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import InputError, component

LIMIT = 153_000  # a message's text


def _send(message: dict[str, Any]) -> dict[str, Any]:
    inputs = {"messages": [{"destinations": [{"to": "41793026727"}], **message}]}
    return component.runtime("sendSms").validate(inputs)


def _errors(message: dict[str, Any]) -> list[dict[str, str]]:
    with pytest.raises(InputError) as caught:
        _send(message)
    return caught.value.errors


def test_a_text_up_to_its_limit_passes() -> None:
    assert len(_send({"text": "a" * LIMIT})["messages"][0]["text"]) == LIMIT
    assert _send({"text": "\U0001f600" * (LIMIT // 2)})["messages"][0]["text"]


def test_a_text_over_its_limit_is_refused_at_its_path() -> None:
    # Code points within the limit, UTF-16 units over it: only the checks can tell.
    for text in ("\U0001f600" * (LIMIT // 2 + 1), "a" * (LIMIT - 1) + "\U0001f600"):
        errors = _errors({"text": text})
        assert [e["path"] for e in errors] == ["messages[0].text"]
        assert f"at most {LIMIT} characters" in errors[0]["message"]


def test_a_nested_text_is_checked_below_a_place_without_checks() -> None:
    title = "\U0001f600" * 34  # 68 UTF-16 units, the limit is 66
    errors = _errors({"text": "hi", "regional": {"southKorea": {"title": title}}})
    assert [e["path"] for e in errors] == ["messages[0].regional.southKorea.title"]
    assert _send({"text": "hi", "regional": {"southKorea": {"title": "a" * 66}}})


def test_a_given_id_over_its_limit_is_refused_and_one_within_it_kept() -> None:
    def send(bulk_id: str) -> dict[str, Any]:
        message = {"destinations": [{"to": "41793026727"}], "text": "hi"}
        inputs = {"bulkId": bulk_id, "messages": [message]}
        return component.runtime("sendSms").validate(inputs)

    assert send("b" * 100)["bulkId"] == "b" * 100
    assert send("\U0001f600" * 50)["bulkId"] == "\U0001f600" * 50  # 100 UTF-16 units
    for bulk_id in ("b" * 101, "\U0001f600" * 51):
        with pytest.raises(InputError) as caught:
            send(bulk_id)
        assert [e["path"] for e in caught.value.errors] == ["bulkId"]
        assert "at most 100 characters" in caught.value.errors[0]["message"]
