"""A batch's answer is bounded: a short line of cheap calls cannot make a huge answer.

Past the bound, the answers of the methods the worker answers by itself (``definition``,
``schema``...) are replaced by an error saying to ask on a line of their own; answers of
requests that went to Infobip are always kept whole.
"""

from __future__ import annotations

import orjson
import pytest

from infobip_connector.hosts.serve import replies

from .serve_support import request, run_worker, sandbox_methods, send_sms

BOUND = 400_000


def test_a_batch_of_many_definitions_gets_an_answer_within_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(replies, "MAX_BATCH_ANSWER_BYTES", BOUND, raising=False)
    calls = [request(n, "definition") for n in range(40)]
    line = b"[" + b",".join(calls) + b"]\n"
    [answers] = run_worker(sandbox_methods(), line)
    assert len(orjson.dumps(answers)) <= BOUND + 40 * 1000
    assert sorted(a["id"] for a in answers) == list(range(40))
    kept = [a for a in answers if "result" in a]
    left_out = [a for a in answers if "error" in a]
    assert kept and left_out
    for answer in left_out:
        assert answer["error"]["code"] == -32600
        assert "on a line of its own" in answer["error"]["message"]


def test_answers_of_requests_that_went_to_infobip_are_kept_past_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(replies, "MAX_BATCH_ANSWER_BYTES", 1000)
    calls = [request("d", "definition"), send_sms("s"), request("v", "schema", action="sendSms")]
    [answers] = run_worker(sandbox_methods(), b"[" + b",".join(calls) + b"]\n")
    by_id = {a["id"]: a for a in answers}
    assert by_id["s"]["result"]["messages"][0]["messageId"]
    assert by_id["d"]["error"]["code"] == -32600 and by_id["v"]["error"]["code"] == -32600
