"""Reading an answer holds the cycle collector back for a bulk, not for one message.

A bulk's answer builds many containers at once (see ``gcpause.py``); one message's answer
is a few dicts, for which entering and leaving the pause costs more than reading it. So
does parsing it: only a large document is parsed with collection paused.
"""

from __future__ import annotations

import copy
import gc
from typing import Any

import httpx
import orjson
import pytest

from infobip_connector import component, safejson
from infobip_connector.runtime import action_runtime as runtime
from infobip_connector.runtime.accounting import check_accounted

from .outcomes import SMS_TWO

CONNECTION = {"token": "finish-gc-test-key-0001", "baseUrl": "https://xyz.api.infobip.com"}
PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}


def _collector_while_reading(values: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> bool:
    seen: list[bool] = []

    def spy(*args: Any) -> None:
        seen.append(gc.isenabled())
        check_accounted(*args)

    monkeypatch.setattr(runtime, "check_accounted", spy)
    destinations = values["messages"][0]["destinations"]
    answer = {
        "bulkId": "B1",
        "messages": [
            {"messageId": d["messageId"], "to": d["to"], "status": PENDING} for d in destinations
        ],
    }
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json=answer))
    out = component.execute("sendSms", values, CONNECTION, transport=transport)
    assert [m["messageId"] for m in out["messages"]] == [d["messageId"] for d in destinations]
    assert gc.isenabled()
    return seen[0]


def test_a_bulk_answer_is_read_with_collection_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not _collector_while_reading(SMS_TWO, monkeypatch)


def test_one_message_answer_leaves_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    one: dict[str, Any] = copy.deepcopy(SMS_TWO)
    del one["messages"][0]["destinations"][1]
    assert _collector_while_reading(one, monkeypatch)


@pytest.mark.parametrize("size", [10, safejson.PAUSE_FROM - 1, safejson.PAUSE_FROM, 300_000])
def test_only_a_large_document_is_parsed_with_collection_paused(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    parse = orjson.loads

    def spy(data: Any) -> Any:
        seen.append(gc.isenabled())
        return parse(data)

    monkeypatch.setattr(orjson, "loads", spy)
    document = b'"' + b"x" * (size - 2) + b'"'
    assert safejson.loads(document) == "x" * (size - 2)
    assert seen == [size < safejson.PAUSE_FROM]
    assert gc.isenabled()
