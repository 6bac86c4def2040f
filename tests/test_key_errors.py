"""``serve`` and MCP refuse an idempotency key with one wording (``hosts/keyerrors.py``),
each in its own terms and with its own error: invalid params (-32602) naming
``idempotencyKey``, or an ``input`` error at ``idempotency_key``."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector.errors import InputError
from infobip_connector.hosts.keyerrors import KeyErrors, checked_key, with_input_problems
from infobip_connector.hosts.mcp.tools import IDEMPOTENCY_KEY
from infobip_connector.outcome import NO_IDS

from .serve_support import request, run_worker, sandbox_methods
from .test_mcp_tools import call, runner

WORDS = KeyErrors(
    path="key",
    here="HERE",
    same="SAME",
    other="OTHER",
    again="AGAIN",
    error=lambda path, message: InputError([{"path": path, "message": message}]),
)


def _said(error: Exception) -> str:
    assert isinstance(error, InputError)
    [problem] = error.errors
    assert problem["path"] == "key"
    return problem["message"]


def test_each_key_error_is_worded_in_the_hosts_terms() -> None:
    assert _said(WORDS.in_use()).startswith("a send with this key is still running in HERE")
    assert "AGAIN once it has ended" in _said(WORDS.in_use())
    assert _said(WORDS.reused()).startswith("was used in HERE by a send of OTHER, which")
    dropped = _said(WORDS.dropped("bulkId=B"))
    assert "ended before in HERE with a result, for SAME" in dropped
    assert dropped.endswith("check by its IDs: bulkId=B")
    none = _said(WORDS.dropped(NO_IDS))
    assert NO_IDS not in none and "named no IDs" in none and "logs or delivery" in none


def test_the_keys_problems_come_first_then_the_inputs() -> None:
    problems: list[dict[str, str]] = [{"path": "confirm", "message": "must be true"}]
    assert checked_key("", "key", problems) is None
    assert checked_key("k-1", "key", problems) == "k-1"
    assert [p["path"] for p in problems] == ["confirm", "key"]

    def bad_input() -> None:
        raise InputError([{"path": "messages", "message": "is required"}])

    merged = with_input_problems(problems, bad_input)
    assert [p["path"] for p in merged.errors] == ["confirm", "key", "messages"]
    alone = with_input_problems(problems, lambda: None)
    assert [p["path"] for p in alone.errors] == ["confirm", "key"]


@pytest.mark.parametrize("key", ["", "x" * 1000])
def test_both_hosts_list_an_unusable_key_with_the_inputs_problems(key: str) -> None:
    bad = {"messages": [{"destinations": [{"to": "not a number"}], "text": "Hi"}]}
    [answer] = run_worker(
        sandbox_methods(),
        request(1, "execute", action="sendSms", input=bad, idempotencyKey=key) + b"\n",
    )
    served: Any = answer["error"]["data"]["error"]["details"]["errors"]
    assert served[0]["path"] == "idempotencyKey" and len(served) > 1
    tools, _ = runner(["sendSms"])
    result = call(tools, "sendSms", {**bad, IDEMPOTENCY_KEY: key})
    listed = result.structured["error"]["details"]["errors"]
    assert listed[0]["path"] == IDEMPOTENCY_KEY and len(listed) > 1
    # The same problems, each host naming its key its own way.
    assert [p["message"] for p in served] == [p["message"] for p in listed]
