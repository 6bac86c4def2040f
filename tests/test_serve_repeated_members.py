"""A request that gives one member twice in an object is answered naming it, never run.

JSON readers keep only the last of two members with one name, so ``"text": "a", "text":
"b"`` would send ``b`` without a word; a line is checked for repeats (a count of colons,
the usual case costs one encode) and a request holding one is answered with its id.
"""

from __future__ import annotations

from typing import Any

from .serve_support import by_id, run_worker, sandbox_methods

SEND = (
    b'{"jsonrpc":"2.0","id":%s,"method":"execute","params":{"action":"sendSms","input":'
    b'{"messages":[{"destinations":[{"to":"41793026727"}],%s}]}}}'
)


def _answers(*lines: bytes) -> list[Any]:
    return run_worker(sandbox_methods(), b"\n".join(lines) + b"\n")


def _error(answer: dict[str, Any]) -> tuple[int, list[str]]:
    error = answer["error"]
    return error["code"], [p["path"] for p in error["data"]["error"]["details"]["errors"]]


def test_a_member_of_the_input_given_twice_is_named_and_nothing_is_sent() -> None:
    for members in (b'"text":"a","text":"b"', b'"te\\u0078t":"a","text":"b"'):
        [answer] = _answers(SEND % (b"1", members))
        assert answer["id"] == 1
        assert _error(answer) == (-32602, ["input.messages[0].text"])
        assert "given twice" in answer["error"]["message"]


def test_a_member_of_the_request_or_its_params_given_twice_is_named() -> None:
    action = b'{"jsonrpc":"2.0","id":2,"method":"execute","params":{"action":"sendSms",'
    action += b'"action":"getSmsLogs","input":{}}}'
    method = b'{"jsonrpc":"2.0","id":3,"method":"definition","method":"schema"}'
    answers = by_id(_answers(action, method))
    assert _error(answers[2]) == (-32602, ["action"])
    assert _error(answers[3]) == (-32600, ["method"])


def test_an_id_given_twice_is_answered_without_an_id() -> None:
    [answer] = _answers(b'{"jsonrpc":"2.0","id":5,"id":6,"method":"definition"}')
    assert answer["id"] is None and answer["error"]["code"] == -32600
    assert '"id" is given twice' in answer["error"]["message"]


def test_in_a_batch_only_the_requests_with_a_repeat_are_refused() -> None:
    batch = (
        b'[{"jsonrpc":"2.0","id":1,"method":"definition"},'
        + SEND % (b"2", b'"text":"a","text":"b"')
        + b","
        + SEND % (b"3", b'"text":"ok"')
        + b',{"jsonrpc":"2.0","id":4,"method":"schema","params":{"action":"sendSms",'
        b'"output":true,"output":false}}]'
    )
    [array] = _answers(batch)
    answers = by_id(array)
    assert "result" in answers[1] and "result" in answers[3]
    assert _error(answers[2]) == (-32602, ["input.messages[0].text"])
    assert _error(answers[4]) == (-32602, ["output"])


def test_the_same_name_in_two_objects_is_no_repeat() -> None:
    two = b'"text":"a"}, {"destinations":[{"to":"41793026728"}],"text":"b"'
    [answer] = _answers(SEND % (b"1", two))
    assert len(answer["result"]["messages"]) == 2, answer
