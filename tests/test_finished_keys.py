"""A key whose send has ended with its outcome known is never sent again by a host.

``serve`` and MCP remember finished keys (``hosts/runningkeys.py``): a repeat of the same
message with the same key gets the stored result back and sends nothing; the key given
with another message (or, in ``serve``, another connection) is an input error. A send
that ended without a result stays retryable as before. The sandbox here has no
idempotent sending (the default), where a second send would be a second paid copy.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from infobip_connector.errors import InputError
from infobip_connector.hosts.mcp.calls import REPLAY_META, REPLAY_NOTE
from infobip_connector.hosts.mcp.tools import IDEMPOTENCY_KEY, REPEATED
from infobip_connector.hosts.runningkeys import RunningKeys, fingerprint
from infobip_connector.sandbox import Fault, Sandbox

from .serve_support import KEY, methods_for, request, run_worker
from .test_mcp_tools import SMS, call, runner

SMS_PATH = "/sms/2/text/advanced"
OTHER = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": "Other"}]}


def _sent(box: Sandbox) -> int:
    return sum(1 for r in box.requests if r.method == "POST" and r.path == SMS_PATH)


# -- the ledger ------------------------------------------------------------------------------


def _refused() -> Exception:
    return InputError([{"path": "key", "message": "running"}])


def _reused() -> Exception:
    return InputError([{"path": "key", "message": "reused"}])


def _dropped(ids: str) -> Exception:
    return InputError([{"path": "key", "message": f"dropped; check {ids}"}])


def _run(keys: RunningKeys, key: str, values: Any, result: Any) -> Any:
    """One guarded send of ``values``: the replayed result, or ``result`` now remembered."""
    sent = fingerprint("a", values)
    with keys.held(key, _refused, sent=sent, reused=_reused, dropped=_dropped) as claim:
        if claim.replay is not None:
            return claim.replay.result
        claim.finish(result)
        return result


def test_a_finished_key_replays_its_result_and_refuses_another_message() -> None:
    keys = RunningKeys()
    assert _run(keys, "k", {"x": 1, "y": 2}, "first") == "first"
    # The same values in another member order are the same message.
    assert _run(keys, "k", {"y": 2, "x": 1}, "second") == "first"
    with pytest.raises(InputError, match="reused"):
        _run(keys, "k", {"x": 2}, "third")


def test_a_block_that_ends_without_a_result_leaves_the_key_free() -> None:
    keys = RunningKeys()
    with (
        pytest.raises(RuntimeError),
        keys.held("k", _refused, sent=fingerprint("a", 1), reused=_reused, dropped=_dropped),
    ):
        raise RuntimeError("outcome unknown")
    assert _run(keys, "k", 2, "sent") == "sent"  # another message: the key was never used


def test_a_result_known_before_a_cancellation_is_still_remembered() -> None:
    keys = RunningKeys()
    with (
        pytest.raises(asyncio.CancelledError),
        keys.held(
            "k", _refused, sent=fingerprint("a", 1), reused=_reused, dropped=_dropped
        ) as claim,
    ):
        claim.finish("done")
        raise asyncio.CancelledError
    assert _run(keys, "k", 1, "again") == "done"


def test_a_running_key_is_refused_even_for_the_same_message() -> None:
    keys = RunningKeys()
    with (
        keys.held("k", _refused, sent=fingerprint("a", 1), reused=_reused, dropped=_dropped),
        pytest.raises(InputError, match="running"),
    ):
        _run(keys, "k", 1, "x")


def test_finished_keys_are_bounded_by_count_age_and_size() -> None:
    now = [0.0]
    keys = RunningKeys(keep_keys=2, keep_seconds=10.0, keep_bytes=10**6, clock=lambda: now[0])
    for n in range(3):
        _run(keys, f"k{n}", 1, n)
    assert _run(keys, "k0", 1, "new") == "new"  # the oldest of three was forgotten
    assert _run(keys, "k2", 1, "new") == 2
    now[0] = 11.0
    assert _run(keys, "k2", 1, "later") == "later"  # forgotten after keep_seconds


def test_past_the_byte_bound_a_result_is_dropped_but_its_key_is_never_sent_again() -> None:
    small = RunningKeys(keep_bytes=fingerprint("a", "x" * 50).size + 5)  # type: ignore[union-attr]
    _run(small, "a", "x" * 50, {"bulkId": "B-a", "messages": [{"messageId": "M-a"}]})
    _run(small, "b", "x" * 50, {"bulkId": "B-b", "messages": [{"messageId": "M-b"}]})
    # The same send again: an error naming its IDs, never a new send.
    with pytest.raises(InputError, match=r"dropped; check bulkId=B-a; messageIds=\[M-a\]"):
        _run(small, "a", "x" * 50, "new")
    # Other input with that key is still the other-input error.
    with pytest.raises(InputError, match="reused"):
        _run(small, "a", "y" * 50, "new")
    assert _run(small, "b", "x" * 50, "new")["bulkId"] == "B-b"  # the newest is kept whole
    # A dropped key goes by the key and age bounds like any other.
    for n in range(3):
        _run(small, f"c{n}", 1, n)
    assert len(small._finished) == 5 and small._bytes <= small._keep[2]


def test_the_fingerprint_depends_on_action_values_and_scope_only() -> None:
    base = fingerprint("sendSms", {"a": [1, 2]}, {"token": "t"})
    assert base == fingerprint("sendSms", {"a": [1, 2]}, {"token": "t"})
    assert base != fingerprint("sendSms", {"a": [2, 1]}, {"token": "t"})
    assert base != fingerprint("sendOther", {"a": [1, 2]}, {"token": "t"})
    assert base != fingerprint("sendSms", {"a": [1, 2]}, {"token": "u"})
    assert base is not None and "t" not in base.digest.replace("t", "")  # only a hash is kept
    assert fingerprint("sendSms", {"a": object()}) is None


# -- MCP -------------------------------------------------------------------------------------


def test_mcp_a_repeat_of_a_finished_send_is_replayed_and_nothing_is_sent() -> None:
    tools, box = runner(["sendSms"])
    first = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "dup"})
    again = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "dup"})
    assert not (first.is_error or again.is_error)
    assert again.structured == first.structured
    assert again.meta is not None and again.meta[REPLAY_META] is True
    assert REPLAY_NOTE in again.text
    assert first.meta is None or REPLAY_META not in first.meta
    assert _sent(box) == 1
    # ``repeated`` does not make a finished send go out again either.
    repeated = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "dup", REPEATED: True})
    assert repeated.structured == first.structured and _sent(box) == 1


def test_mcp_keys_made_for_keyless_calls_are_not_remembered() -> None:
    tools, box = runner(["sendSms"])
    for _ in range(3):
        assert not call(tools, "sendSms", SMS).is_error
    assert _sent(box) == 3 and not tools._running_keys._finished


def test_mcp_a_finished_key_given_with_other_arguments_is_an_input_error() -> None:
    tools, box = runner(["sendSms"])
    call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "dup"})
    other = call(tools, "sendSms", {**OTHER, IDEMPOTENCY_KEY: "dup"})
    assert other.is_error
    error = other.structured["error"]
    assert error["type"] == "input"
    assert [e["path"] for e in error["details"]["errors"]] == [IDEMPOTENCY_KEY]
    assert "other arguments" in error["message"]
    assert _sent(box) == 1


def test_mcp_a_send_that_ended_outcome_unknown_is_not_replayed() -> None:
    box = Sandbox(deliver_reports=False)
    box.script("POST", SMS_PATH, Fault(status=500))
    tools, _ = runner(["sendSms"], sandbox=box)
    unknown = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "u"})
    assert unknown.structured["error"]["type"] == "outcome_unknown"
    retried = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "u", REPEATED: True})
    assert not retried.is_error and (retried.meta is None or REPLAY_META not in retried.meta)


# -- serve -----------------------------------------------------------------------------------


def _execute(methods: Any, *lines: bytes) -> list[Any]:
    return run_worker(methods, b"".join(line + b"\n" for line in lines))


def test_serve_a_repeat_of_a_finished_execute_is_answered_from_memory() -> None:
    box = Sandbox(KEY, deliver_reports=False)
    methods = methods_for(box.transport())
    line = request(1, "execute", action="sendSms", input=SMS, idempotencyKey="K")
    [first] = _execute(methods, line)
    [again] = _execute(methods, line)
    assert "bulkId" in first["result"] and again["result"] == first["result"]
    assert _sent(box) == 1


def test_serve_keys_made_for_keyless_sends_are_not_remembered() -> None:
    box = Sandbox(KEY, deliver_reports=False)
    methods = methods_for(box.transport())
    line = request(1, "execute", action="sendSms", input=SMS)
    for _ in range(3):
        [answer] = _execute(methods, line)
        assert "bulkId" in answer["result"]
    assert _sent(box) == 3 and not methods._running_keys._finished


def test_serve_a_finished_key_is_not_replayed_for_another_connection() -> None:
    box = Sandbox(KEY, deliver_reports=False)
    methods = methods_for(box.transport(), sandbox=False)
    line = request(1, "execute", action="sendSms", input=SMS, idempotencyKey="K")
    [first] = _execute(methods, line)
    other = {"token": KEY + "-another-account"}
    [again] = _execute(
        methods,
        request(2, "execute", action="sendSms", input=SMS, idempotencyKey="K", connection=other),
    )
    assert "result" in first and again["error"]["code"] == -32602
    assert "another connection" in again["error"]["message"]
    assert _sent(box) == 1


def test_serve_a_finished_key_with_other_input_is_invalid_params() -> None:
    box = Sandbox(KEY, deliver_reports=False)
    methods = methods_for(box.transport())
    _execute(methods, request(1, "execute", action="sendSms", input=SMS, idempotencyKey="K"))
    [other] = _execute(
        methods, request(2, "execute", action="sendSms", input=OTHER, idempotencyKey="K")
    )
    assert other["error"]["code"] == -32602
    [problem] = other["error"]["data"]["error"]["details"]["errors"]
    assert problem["path"] == "idempotencyKey" and "other input" in problem["message"]
    assert _sent(box) == 1


# -- the input as the connector reads it -----------------------------------------------------

#: SMS spelled otherwise: a spaced number, a null optional member, members in another order.
SMS_RESPELLED = {
    "bulkId": None,
    "messages": [{"text": SMS["messages"][0]["text"], "destinations": [{"to": "+4179 302-6727"}]}],
}


def test_mcp_a_repeat_spelled_otherwise_is_the_same_send_replayed() -> None:
    tools, box = runner(["sendSms"])
    first = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "dup"})
    again = call(tools, "sendSms", {**SMS_RESPELLED, IDEMPOTENCY_KEY: "dup"})
    assert not again.is_error, again.structured
    assert again.meta is not None and again.meta[REPLAY_META] is True
    assert again.structured == first.structured and _sent(box) == 1


def test_serve_a_repeat_spelled_otherwise_is_the_same_send_replayed() -> None:
    box = Sandbox(KEY, deliver_reports=False)
    methods = methods_for(box.transport())
    [first] = _execute(
        methods, request(1, "execute", action="sendSms", input=SMS, idempotencyKey="K")
    )
    [again] = _execute(
        methods, request(2, "execute", action="sendSms", input=SMS_RESPELLED, idempotencyKey="K")
    )
    assert again.get("result") == first["result"], again
    assert _sent(box) == 1


# -- past the byte bound ---------------------------------------------------------------------


def test_serve_a_repeat_whose_result_was_dropped_is_an_error_naming_its_ids() -> None:
    box = Sandbox(KEY, deliver_reports=False)
    methods = methods_for(box.transport())
    methods._running_keys = RunningKeys(keep_bytes=1)  # every result dropped at once
    line = request(1, "execute", action="sendSms", input=SMS, idempotencyKey="K")
    [first] = _execute(methods, line)
    [again] = _execute(methods, line)
    assert _sent(box) == 1
    assert again["error"]["code"] == -32602
    [problem] = again["error"]["data"]["error"]["details"]["errors"]
    assert problem["path"] == "idempotencyKey"
    assert "no longer kept; nothing was sent" in problem["message"]
    assert first["result"]["bulkId"] in problem["message"]
    assert first["result"]["messages"][0]["messageId"] in problem["message"]
    [other] = _execute(
        methods, request(2, "execute", action="sendSms", input=OTHER, idempotencyKey="K")
    )
    assert "other input" in other["error"]["message"] and _sent(box) == 1


def test_mcp_a_repeat_whose_result_was_dropped_is_an_error_naming_its_ids() -> None:
    tools, box = runner(["sendSms"])
    tools._running_keys = RunningKeys(keep_bytes=1)  # every result dropped at once
    first = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "dup"})
    again = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "dup", REPEATED: True})
    assert _sent(box) == 1 and again.is_error
    error = again.structured["error"]
    assert error["type"] == "input"
    [problem] = error["details"]["errors"]
    assert problem["path"] == IDEMPOTENCY_KEY
    assert "no longer kept; nothing was sent" in problem["message"]
    assert first.structured["bulkId"] in problem["message"]
    other = call(tools, "sendSms", {**OTHER, IDEMPOTENCY_KEY: "dup"})
    assert "other arguments" in other.structured["error"]["message"] and _sent(box) == 1


def _without_ids(execute_async: Any) -> Any:
    """``execute_async`` whose output names no IDs, as a send's result that names none."""

    async def execute(*args: Any, **kwargs: Any) -> Any:
        output = await execute_async(*args, **kwargs)
        return {k: v for k, v in output.items() if k not in ("bulkId", "messages")}

    return execute


_NONE_TO_CHECK = "its result named no IDs (no bulkId or messageId), so there are none to check"


def test_serve_a_dropped_result_that_named_no_ids_says_so_and_where_to_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    box = Sandbox(KEY, deliver_reports=False)
    methods = methods_for(box.transport())
    methods._running_keys = RunningKeys(keep_bytes=1)  # every result dropped at once
    monkeypatch.setattr(
        methods._component, "execute_async", _without_ids(methods._component.execute_async)
    )
    line = request(1, "execute", action="sendSms", input=SMS, idempotencyKey="K")
    [first] = _execute(methods, line)
    [again] = _execute(methods, line)
    assert "result" in first and _sent(box) == 1
    [problem] = again["error"]["data"]["error"]["details"]["errors"]
    assert problem["path"] == "idempotencyKey" and "(none)" not in problem["message"]
    assert _NONE_TO_CHECK in problem["message"]
    assert "logs or delivery reports" in problem["message"]


def test_mcp_a_dropped_result_that_named_no_ids_says_so_and_where_to_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tools, box = runner(["sendSms"])
    tools._running_keys = RunningKeys(keep_bytes=1)  # every result dropped at once
    monkeypatch.setattr(
        tools._component, "execute_async", _without_ids(tools._component.execute_async)
    )
    first = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "dup"})
    again = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "dup"})
    assert not first.is_error and again.is_error and _sent(box) == 1
    [problem] = again.structured["error"]["details"]["errors"]
    assert problem["path"] == IDEMPOTENCY_KEY and "(none)" not in problem["message"]
    assert _NONE_TO_CHECK in problem["message"]
    assert "logs or delivery reports" in problem["message"]
