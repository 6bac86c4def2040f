"""Guards on the work of reading a send's answer, counted in Python calls, not timed.

Nearly every answer rejects nothing: the entries reporting a message are then walked once,
and counted only for the warning an answer with a REJECTED status gets.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from infobip_connector.runtime.rejections import log_rejections

from .test_send_costs import called

PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
REJECTED = {"groupId": 5, "groupName": "REJECTED", "id": 51, "name": "REJECTED_NOT_REGISTERED"}


def _answer(*statuses: dict[str, Any]) -> dict[str, Any]:
    messages = [
        {"messageId": f"M{n}", "to": f"4179302672{n}", "status": dict(status)}
        for n, status in enumerate(statuses)
    ]
    return {"bulkId": "B1", "messages": messages}


def test_an_answer_rejecting_nothing_is_walked_once(caplog: pytest.LogCaptureFixture) -> None:
    answer = _answer(PENDING, PENDING)
    with caplog.at_level(logging.WARNING, logger="infobip_connector"):
        assert called(lambda: log_rejections("sendSms", answer)).count("message_entries") == 1
    assert not caplog.records


def test_a_rejection_is_counted_among_the_messages(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="infobip_connector"):
        log_rejections("sendSms", _answer(PENDING, REJECTED, PENDING))
    assert "rejected 1 of 3 message(s), e.g. M1 to 41793026721" in caplog.text
    assert "REJECTED_NOT_REGISTERED" in caplog.text
