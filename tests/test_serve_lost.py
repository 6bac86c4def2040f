"""With stdout closed, the log says which answers were lost, never what they held.

A lost answer can hold message texts (one-time codes) and phone numbers, in a result or
in an error's details; the log gets one summary per answer, the same for a lone request
and for each member of a batch: id, method, error code and type.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from infobip_connector.hosts.serve.lost import lost_summary
from infobip_connector.hosts.serve.worker import Worker

from .serve_support import Feed, groups_of, request, sandbox_methods

CODE = "my one-time code 123456"
VALID = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": CODE}]}
# An input error whose details quote what was given.
INVALID = {"messages": [{"destinations": [{"to": "+41 79 302 67 27 99999"}], "text": CODE}]}
SECRET_PARTS = ("123456", "302 67", "3026727", "99999", "one-time")


def closed(data: bytes) -> None:
    raise BrokenPipeError(32, "Broken pipe")


def lost_log(data: bytes, caplog: pytest.LogCaptureFixture) -> str:
    worker = Worker(sandbox_methods(), closed, max_in_flight=8, grace=5.0)
    with caplog.at_level("WARNING"):
        asyncio.run(worker.serve(Feed(groups_of(data))))
    return caplog.text


def batch(*requests: bytes) -> bytes:
    return b"[" + b",".join(requests) + b"]"


@pytest.mark.parametrize("as_batch", [True, False])
def test_lost_answers_are_summarised_without_their_content(
    as_batch: bool, caplog: pytest.LogCaptureFixture
) -> None:
    requests = [
        request("b1", "validate", action="sendSms", input=VALID),
        request("b2", "validate", action="sendSms", input=INVALID),
        request("b3", "execute", action="sendSms", input=VALID),
    ]
    data = batch(*requests) + b"\n" if as_batch else b"\n".join(requests) + b"\n"
    text = lost_log(data, caplog)
    assert "stdout is closed" in text
    for part in SECRET_PARTS:
        assert part not in text
    assert "request 'b1' (validate): it succeeded" in text
    assert "request 'b2' (validate): error -32002 input" in text
    assert "request 'b3' (execute): it succeeded; IDs: bulkId=" in text
    assert "messageIds=[" in text.split("request 'b3'")[1]


def test_a_lost_result_names_the_ids_it_holds_and_nothing_else() -> None:
    result = {
        "bulkId": "b-7",
        "messages": [{"messageId": "m-1", "to": "41793026727"}, {"messageId": "m-2"}],
        "events": [{"messageId": "e-1", "text": CODE}],
    }
    answer = {"jsonrpc": "2.0", "id": 3, "result": result}
    summary = lost_summary(answer, "execute")
    assert summary == (
        "request 3 (execute): it succeeded; IDs: bulkId=b-7; messageIds=[m-1, m-2, e-1]"
    )
    assert lost_summary({"jsonrpc": "2.0", "id": 4, "result": [1]}, "x") == (
        "request 4 (x): it succeeded"
    )


def test_an_unreadable_line_and_an_unknown_method_are_summarised_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = lost_log(b'{"jsonrpc": "2.0", "id": 5, "method": "+41793026727"}\nnot json\n', caplog)
    assert "request 5: error -32601 input" in text
    assert "3026727" not in text
    assert "request None: error -32700 input" in text


def test_an_unknown_outcome_names_the_ids_to_check() -> None:
    details = {"bulkId": "b-1", "messageIds": ["m-1", "m-2"], "sent": {"text": CODE}}
    data = {"error": {"type": "outcome_unknown", "message": CODE, "details": details}}
    answer: dict[str, Any] = {"jsonrpc": "2.0", "id": 9, "error": {"code": -32004, "data": data}}
    summary = lost_summary(orjson.loads(orjson.dumps(answer)), "execute")
    assert summary == (
        "request 9 (execute): error -32004 outcome_unknown; "
        "IDs to check: bulkId=b-1; messageIds=[m-1, m-2]"
    )


def test_a_lost_send_names_its_execution_key_given_or_made(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = (
        request("k1", "execute", action="sendSms", input=VALID, idempotencyKey="step-7")
        + b"\n"
        + request("k2", "execute", action="sendSms", input=VALID)
        + b"\n"
        + request("k3", "validate", action="sendSms", input=VALID)
        + b"\n"
    )
    text = lost_log(data, caplog)
    line = {n: text.split(f"request '{n}'")[1].split("\n")[0] for n in ("k1", "k2", "k3")}
    assert line["k1"].startswith(" (execute): it succeeded; IDs: bulkId=")
    assert line["k1"].endswith("; idempotencyKey='step-7'")
    assert "; idempotencyKey='serve-" in line["k2"]
    assert "idempotencyKey" not in line["k3"]  # not a send: no key
