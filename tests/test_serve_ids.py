"""``serve`` answers every request with its id exactly as written, numbers included.

JSON-RPC 2.0: the answer's id is the same value as the request's. Integers past 64 bits
and numbers with a fraction or an exponent would otherwise come back rounded (two
distinct ids as one float).
"""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import pytest

from infobip_connector.hosts.serve.ids import NumberId, encode_answer
from infobip_connector.hosts.serve.protocol import read_line
from infobip_connector.hosts.serve.worker import Worker

from .serve_support import Feed, groups_of, sandbox_methods

BIG = "123456789012345678901234567890"


def raw_answers(data: bytes) -> list[bytes]:
    written: list[bytes] = []
    worker = Worker(sandbox_methods(), written.append, max_in_flight=8, grace=5.0)
    asyncio.run(worker.serve(Feed(groups_of(data))))
    return b"".join(written).splitlines(keepends=True)  # one write may carry several


def id_text(answer: bytes) -> str:
    """The id of an answer line as written (the json module keeps every digit)."""
    value = json.loads(answer, parse_float=Decimal, parse_int=Decimal)["id"]
    return str(value)


@pytest.mark.parametrize(
    "spelling",
    [BIG, f"-{BIG}", "18446744073709551616", "1E2", "1e+2", "2.50", "0.1", "-0.0", f"{BIG}.5"],
)
def test_a_number_id_comes_back_as_it_was_written(spelling: str) -> None:
    line = f'{{"jsonrpc": "2.0", "id": {spelling}, "method": "definition"}}\n'.encode()
    [answer] = raw_answers(line)
    assert answer.startswith(f'{{"jsonrpc":"2.0","id":{spelling},'.encode())
    assert json.loads(answer)["result"]["name"]


HUGE = "9" * 400


@pytest.mark.parametrize("spelling", [HUGE, f"-{HUGE}", "1E400", f"{HUGE}.5e-3"])
def test_an_id_past_the_range_of_a_double_is_answered_as_written(spelling: str) -> None:
    lone = f'{{"jsonrpc": "2.0", "id": {spelling}, "method": "definition"}}'
    batch = f'[{lone}, {{"jsonrpc": "2.0", "id": 7, "method": "nope"}}, 3]'
    [answer, batched] = raw_answers(f"{lone}\n{batch}\n".encode())
    assert answer.startswith(f'{{"jsonrpc":"2.0","id":{spelling},"result":'.encode())
    members = json.loads(batched, parse_float=Decimal, parse_int=Decimal)
    assert sorted(str(m["id"]) for m in members) == sorted([str(Decimal(spelling)), "7", "None"])


@pytest.mark.parametrize(
    "line",
    [
        f'{{"jsonrpc": "2.0", "id": {HUGE}, "method": "x",}}',
        f'{{"jsonrpc": "2.0", "id": {HUGE}',
        '{"jsonrpc": "2.0", "id": 1, "method": "x", "params": {"n": NaN}}',
        b'{"jsonrpc": "2.0", "id": 1, "method": "x", "params": {"n": "\xff"}}'.decode("latin-1"),
    ],
)
def test_a_line_that_is_not_json_stays_a_parse_error(line: str) -> None:
    [answer] = raw_answers(line.encode("latin-1" if "\xff" in line else "utf-8") + b"\n")
    assert json.loads(answer)["error"]["code"] == -32700
    assert json.loads(answer)["id"] is None


@pytest.mark.parametrize(
    ("spelling", "path"),
    [
        (HUGE, "n"),
        ("1e400", "n"),
        ('"\\ud800"', "n"),
        ('{"\\udc00": 1}', "n"),
        ('[1, "a\\ud800b"]', "n[1]"),
    ],
)
def test_a_value_strict_json_refuses_in_params_is_answered_with_the_id(
    spelling: str, path: str
) -> None:
    good = '{"jsonrpc": "2.0", "id": "ok", "method": "definition"}'
    bad = f'{{"jsonrpc": "2.0", "id": -0, "method": "definition", "params": {{"n": {spelling}}}}}'
    [lone, batched] = raw_answers(f"{bad}\n[{good}, {bad}]\n".encode())
    assert lone.startswith(b'{"jsonrpc":"2.0","id":-0,"error":{"code":-32602,')
    error = json.loads(lone)["error"]
    assert error["data"]["error"]["details"]["errors"][0]["path"] == path
    members = {str(m["id"]): m for m in json.loads(batched)}
    assert "result" in members["ok"] and members["0"]["error"]["code"] == -32602


def test_a_value_strict_json_refuses_outside_params_is_an_invalid_request() -> None:
    lines = [
        '{"jsonrpc": "2.0", "id": 5, "method": "\\ud800"}',
        '{"jsonrpc": "2.0", "id": "\\ud800", "method": "definition"}',
        f"[{HUGE}]",
    ]
    answers = [json.loads(a) for a in raw_answers(("\n".join(lines) + "\n").encode())]
    [refused] = [a for a in answers if isinstance(a, dict) and a["id"] == 5]
    assert refused["error"]["code"] == -32600
    assert refused["error"]["data"]["error"]["details"]["errors"][0]["path"] == "method"
    [batch] = [a for a in answers if isinstance(a, list)]
    assert batch[0]["id"] is None and batch[0]["error"]["code"] == -32600
    # A string id holding half of a UTF-16 pair is a string: the request runs, answered
    # with that id (written as its escape, which is JSON).
    [ran] = [a for a in answers if isinstance(a, dict) and a["id"] == "\ud800"]
    assert ran["result"]["name"] == "infobip"


@pytest.mark.parametrize("spelling", ["-0", "-0.0", "0", "-0e0"])
def test_a_zero_id_comes_back_with_its_sign(spelling: str) -> None:
    line = f'{{"jsonrpc": "2.0", "id": {spelling}, "method": "definition", "params": {{}}}}'
    [answer] = raw_answers(f"{line}\n".encode())
    assert answer.startswith(f'{{"jsonrpc":"2.0","id":{spelling},"result":'.encode())


def test_distinct_big_ids_never_collide_in_a_batch_or_apart() -> None:
    ids = [BIG, BIG[:-1] + "1", "1E2", "100", "100.0"]
    lines = [f'{{"jsonrpc": "2.0", "id": {i}, "method": "nope"}}' for i in ids]
    batch = "[" + ", ".join(lines) + "]"
    answers = raw_answers(("\n".join(lines) + "\n" + batch + "\n").encode())
    singles, [batched] = answers[:-1], answers[-1:]
    assert sorted(id_text(a) for a in singles) == sorted(str(Decimal(i)) for i in ids)
    members = json.loads(batched, parse_float=Decimal, parse_int=Decimal)
    assert sorted(str(m["id"]) for m in members) == sorted(str(Decimal(i)) for i in ids)
    assert all(m["error"]["code"] == -32601 for m in members)


def test_the_id_is_found_past_deep_params_strings_and_other_members() -> None:
    deep = "[" * 1000 + "]" * 1000
    tricky = '"\\"id\\": 1, ]}[{"'
    line = (
        f'[{{"params": {{"a": {deep}, "b": {tricky}}}, "jsonrpc": "2.0", "method": "nope", '
        f'"\\u0069d": {BIG}}}, 7, {{"jsonrpc": "2.0", "id": 2.25, "method": "nope"}}]'
    )
    members = json.loads(
        raw_answers(line.encode() + b"\n")[0], parse_float=Decimal, parse_int=Decimal
    )
    assert sorted(str(m["id"]) for m in members) == sorted(["None", BIG, "2.25"])


def test_a_repeated_id_member_is_answered_without_either_id() -> None:
    # Which of the two to answer is not known, so neither: nothing is run.
    line = read_line(f'{{"jsonrpc": "2.0", "id": 1.5, "method": "x", "id": {BIG}}}'.encode())
    assert line.calls == []
    [answer] = line.answers
    assert answer["id"] is None and '"id" is given twice' in answer["error"]["message"]


def test_plain_ids_keep_their_types_and_an_encoded_number_id_is_spliced_in() -> None:
    line = read_line(b'{"jsonrpc": "2.0", "id": 42, "method": "x"}')
    assert type(line.calls[0].id) is int
    answer = {"jsonrpc": "2.0", "id": NumberId("1E2"), "result": {"n": 2**70}}
    assert encode_answer(answer) == b'{"jsonrpc":"2.0","id":1E2,"result":{"n":%d}}\n' % 2**70
