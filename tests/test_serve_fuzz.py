"""No line, however wrong, stops ``serve`` or goes unanswered, and none is an internal error.

Hypothesis writes stdin: bytes of any kind, JSON of any shape, request objects with wrong
members, batches of them, lines over the bound, a last line without its newline. The
expected number of answers is worked out here from the specification, not from the worker.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .serve_support import SMS, run_worker, sandbox_methods

LIMIT = 4096
METHODS = [
    "definition",
    "schema",
    "validate",
    "execute",
    "options",
    "testConnection",
    "eventSchema",
    "handleWebhook",
    "releaseWebhook",
    "poll",
    "rpc.x",
]
ACTIONS = ["sendSms", "sendWhatsappTextMessage", "getSmsLogs", "connection", "nope"]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
params = st.fixed_dictionaries(
    {},
    optional={
        "action": st.sampled_from(ACTIONS) | json_values,
        "input": st.just(SMS) | json_values,
        "output": st.booleans() | json_values,
        "property": st.just("messages[].content.templateName") | json_values,
        "phoneNumberCheck": st.sampled_from(["valid", "possible"]) | json_values,
        "connection": json_values,
        "trigger": st.sampled_from(["newInboundSms", "whatsappSeenReport", "x"]) | json_values,
        "request": st.fixed_dictionaries(
            {}, optional={"method": json_values, "headers": json_values, "body": json_values}
        )
        | json_values,
        "settings": st.just({"allowUnauthenticated": True}) | json_values,
        "state": json_values,
        "release": st.text(max_size=30) | json_values,
        "extra": json_values,
    },
)
requests = st.fixed_dictionaries(
    {},
    optional={
        "jsonrpc": st.just("2.0") | json_values,
        "method": st.sampled_from(METHODS) | json_values,
        "id": st.integers(min_value=-(2**63), max_value=2**63 - 1)
        | st.text(max_size=8)
        | json_values,
        "params": params | json_values,
    },
)
documents = requests | st.lists(requests, max_size=5) | json_values
lines = (
    documents.map(lambda document: json.dumps(document).encode())
    | st.binary(max_size=64)
    | st.integers(min_value=1, max_value=3000).map(lambda depth: b"[" * depth + b"]" * depth)
    | st.just(b"x" * (LIMIT + 1))
)


def _notification(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and item.get("jsonrpc") == "2.0"
        and isinstance(item.get("method"), str)
        and "id" not in item
        and isinstance(item.get("params", {}), dict | list)
    )


def expected_answers(line: bytes) -> int:
    """0 or 1: a line is answered unless all it holds is notifications (or it is blank)."""
    if not line.strip(b" \t\r\n\x0b\x0c") and len(line) <= LIMIT:
        return 0 if not line or line.isspace() else 1
    if len(line) > LIMIT:
        return 1
    try:
        document = orjson.loads(line)
    except orjson.JSONDecodeError:
        return 1
    if isinstance(document, list):
        return 0 if document and all(_notification(item) for item in document) else 1
    return 0 if _notification(document) else 1


def check_answer(answer: Any) -> None:
    assert answer["jsonrpc"] == "2.0"
    assert type(answer["id"]) in (str, int, float, type(None))
    assert ("result" in answer) != ("error" in answer)
    if "error" in answer:
        error = answer["error"]
        assert error["code"] in {-32700, -32600, -32601, -32602, -32002, -32003, -32004, -32005}
        assert set(error["data"]["error"]) == {"type", "message", "details"}
        assert error["data"]["error"]["type"] != "internal"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines, min_size=1, max_size=6), st.booleans())
def test_every_line_is_answered_as_the_spec_says(written: list[bytes], last_newline: bool) -> None:
    written = [line.replace(b"\n", b" ") for line in written]
    data = b"\n".join(written) + (b"\n" if last_newline else b"")
    answers = run_worker(sandbox_methods(), data, limit=LIMIT)
    assert len(answers) == sum(expected_answers(line) for line in written)
    for answer in answers:
        if isinstance(answer, list):
            assert answer
            for item in answer:
                check_answer(item)
        else:
            check_answer(answer)
