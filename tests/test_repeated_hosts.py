"""``repeated`` in every host: a run that repeats one whose outcome is unknown, same key.

The first run is accepted by Infobip and its answer lost (``outcome_unknown``); the error
says how to retry with the host's own words (the key and ``repeated``). The retry with
them reports the messages accepted (``confirmedByDuplicateRejection``) and sends nothing
twice; a retry without ``repeated`` reports the same messages rejected as duplicates.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.hosts.cli import build_parser
from infobip_connector.hosts.mcp.calls import ToolRunner
from infobip_connector.hosts.mcp.tools import IDEMPOTENCY_KEY, REPEATED, build_tools
from infobip_connector.hosts.serve.connections import Connections
from infobip_connector.hosts.serve.methods import Methods
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .sandbox_support import KEY
from .serve_support import by_id, request, run_worker
from .test_idempotency_keys import _cli
from .test_mcp_tools import call

SEND_PATH = "/sms/2/text/advanced"
CONFIRMED = "confirmedByDuplicateRejection"
TWO = {
    "messages": [
        {"destinations": [{"to": "+41 79 302 67 27"}, {"to": "+41 79 302 67 28"}], "text": "Hi"}
    ]
}
RUN_KEY = "nightly run/step 'notify'"
#: The connection of every run: one attempt, so the lost answer ends the first run.
SETTINGS = {"idempotentSending": True, "maxAttempts": 1}


def _account() -> Sandbox:
    """An account with idempotent sending whose first Send SMS is accepted, its answer lost."""
    account = Sandbox(KEY, deliver_reports=False, idempotent_sending=True)
    account.script("POST", SEND_PATH, Fault(status=502, process=True))
    return account


def _statuses(output: dict[str, Any]) -> list[str]:
    return [m["status"]["name"] for m in output["messages"]]


def _assert_confirmed(output: dict[str, Any], account: Sandbox, ids: list[str]) -> None:
    assert _statuses(output) == ["PENDING_ACCEPTED"] * 2
    assert output[CONFIRMED] == ids == [m["messageId"] for m in output["messages"]]
    assert len(account.accepted_messages) == 2  # each sent once, by the first run


# -- the command line ------------------------------------------------------------------------


def _run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: SandboxServer, *flags: str
) -> tuple[int, Any]:
    """``run sendSms`` with ``flags``: the exit code and the output (or the error) as JSON."""
    code, out, err = _cli(capsys, server, tmp_path, *flags, inputs=TWO, settings=SETTINGS)
    return code, json.loads(out if code == 0 else err.strip().splitlines()[-1])


def test_cli_repeated_run_reports_the_lost_runs_messages_accepted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    account = _account()
    with SandboxServer(account) as server:
        code, first = _run(capsys, tmp_path, server, "--idempotency-key", RUN_KEY)
        assert code == 4
        error = first["error"]
        assert error["type"] == "outcome_unknown"
        assert error["details"]["idempotencyKey"] == RUN_KEY
        # The advice can be pasted into a shell: the key quoted as the shell reads it.
        assert f"--idempotency-key {shlex.quote(RUN_KEY)} --repeated" in error["message"]
        assert "idempotentSending" in error["message"]
        ids = error["details"]["messageIds"]

        flags = ("--idempotency-key", RUN_KEY)
        code, again = _run(capsys, tmp_path, server, *flags, "--repeated")
        assert code == 0
        _assert_confirmed(again, account, ids)
        # Without --repeated the same duplicates are what they look like: rejections.
        code, plain = _run(capsys, tmp_path, server, *flags)
        assert code == 0 and CONFIRMED not in plain
        assert _statuses(plain) == ["REJECTED_DUPLICATE_MESSAGE_ID"] * 2


def test_cli_repeated_without_a_key_is_a_usage_error_naming_both_flags(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    account = Sandbox(KEY, deliver_reports=False, idempotent_sending=True)
    with SandboxServer(account) as server:
        code, answer = _run(capsys, tmp_path, server, "--repeated")
    assert code == 2
    error = answer["error"]
    assert error["type"] == "usage"
    assert [e["path"] for e in error["details"]["errors"]] == ["--repeated"]
    assert "--repeated" in error["message"] and "--idempotency-key" in error["message"]
    assert account.requests == []


def test_cli_help_says_when_to_pass_repeated() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    text = " ".join(subparsers.choices["run"].format_help().split())
    assert "--repeated" in text
    assert "outcome_unknown" in text and "same --idempotency-key" in text


# -- serve -----------------------------------------------------------------------------------


def _methods(account: Sandbox) -> Methods:
    connections = Connections({"token": KEY, **SETTINGS}, account.transport(), None, sandbox=True)
    return Methods(component, connections)


def _execute(methods: Methods, **params: Any) -> dict[str, Any]:
    [answer] = run_worker(methods, request(1, "execute", action="sendSms", **params) + b"\n")
    result: dict[str, Any] = answer
    return result


def test_serve_repeated_execute_reports_the_lost_runs_messages_accepted() -> None:
    account = _account()
    methods = _methods(account)
    first = _execute(methods, input=TWO, idempotencyKey=RUN_KEY)
    assert first["error"]["code"] == -32004
    error = first["error"]["data"]["error"]
    assert error["details"]["idempotencyKey"] == RUN_KEY
    assert f"idempotencyKey {json.dumps(RUN_KEY)} and repeated: true" in error["message"]
    ids = error["details"]["messageIds"]

    again = _execute(methods, input=TWO, idempotencyKey=RUN_KEY, repeated=True)
    _assert_confirmed(again["result"], account, ids)
    plain = _execute(methods, input=TWO, idempotencyKey=RUN_KEY, repeated=False)
    assert plain["result"] == again["result"]  # the worker remembers the key: replayed
    # A new worker has forgotten it: the same duplicates are what they look like.
    plain = _execute(_methods(account), input=TWO, idempotencyKey=RUN_KEY, repeated=False)
    assert _statuses(plain["result"]) == ["REJECTED_DUPLICATE_MESSAGE_ID"] * 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"repeated": "yes", "idempotencyKey": RUN_KEY}, "must be true or false"),
        ({"repeated": 1, "idempotencyKey": RUN_KEY}, "must be true or false"),
        ({"repeated": True}, None),
        ({"repeated": True, "idempotencyKey": None}, None),
    ],
)
def test_serve_unusable_repeated_is_invalid_params_naming_it(
    params: dict[str, Any], message: str | None
) -> None:
    account = Sandbox(KEY, deliver_reports=False)
    answer = _execute(_methods(account), input=TWO, **params)
    assert answer["error"]["code"] == -32602
    [problem] = answer["error"]["data"]["error"]["details"]["errors"]
    assert problem["path"] == "repeated"
    if message is not None:
        assert problem["message"] == message
    else:
        assert "idempotencyKey" in problem["message"]
    assert account.requests == []


def test_serve_repeated_false_without_a_key_is_a_plain_send() -> None:
    account = Sandbox(KEY, deliver_reports=False)
    answers = by_id(
        run_worker(
            _methods(account),
            request(1, "execute", action="sendSms", input=TWO, repeated=False) + b"\n",
        )
    )
    assert _statuses(answers[1]["result"]) == ["PENDING_ACCEPTED"] * 2


# -- MCP -------------------------------------------------------------------------------------


def _tools(account: Sandbox) -> ToolRunner:
    tools = build_tools(component, ["sendSms", "getSmsLogs"], confirm_sends=False)
    connection = {"token": KEY, **SETTINGS}
    return ToolRunner(component, tools, connection, account.transport(), sandbox=True)


def test_mcp_repeated_call_reports_the_lost_calls_messages_accepted() -> None:
    account = _account()
    tools = _tools(account)
    first = call(tools, "sendSms", TWO)  # no key given: the server picks one and says which
    assert first.is_error
    error = first.structured["error"]
    key = error["details"][IDEMPOTENCY_KEY]
    assert f"{IDEMPOTENCY_KEY} {key!r} and {REPEATED}: true" in error["message"]
    ids = error["details"]["messageIds"]

    again = call(tools, "sendSms", {**TWO, IDEMPOTENCY_KEY: key, REPEATED: True})
    assert not again.is_error
    _assert_confirmed(again.structured, account, ids)
    plain = call(tools, "sendSms", {**TWO, IDEMPOTENCY_KEY: key, REPEATED: False})
    assert plain.structured == again.structured  # the server remembers the key: replayed
    # A new server has forgotten it: the same duplicates are what they look like.
    plain = call(_tools(account), "sendSms", {**TWO, IDEMPOTENCY_KEY: key, REPEATED: False})
    assert _statuses(plain.structured) == ["REJECTED_DUPLICATE_MESSAGE_ID"] * 2


@pytest.mark.parametrize("arguments", [{REPEATED: True}, {REPEATED: "true", IDEMPOTENCY_KEY: "k"}])
def test_mcp_unusable_repeated_is_an_input_error_naming_it(arguments: dict[str, Any]) -> None:
    account = Sandbox(KEY, deliver_reports=False)
    result = call(_tools(account), "sendSms", {**TWO, **arguments})
    assert result.is_error
    error = result.structured["error"]
    assert error["type"] == "input"
    assert [e["path"] for e in error["details"]["errors"]] == [REPEATED]
    assert account.requests == []


def test_mcp_send_tools_describe_the_key_and_repeated_together() -> None:
    tool = build_tools(component, ["sendSms"], confirm_sends=False)["sendSms"]
    properties = tool.input_schema["properties"]
    assert properties[REPEATED]["type"] == "boolean"
    assert REPEATED not in tool.input_schema.get("required", [])
    described = properties[REPEATED]["description"]
    assert "outcome_unknown" in described and "same idempotency_key" in described
    assert "repeated: true" in properties[IDEMPOTENCY_KEY]["description"]
    assert "repeated: true" in tool.description
    # A read takes neither.
    read = build_tools(component, ["getSmsLogs"], confirm_sends=False)["getSmsLogs"]
    assert REPEATED not in read.input_schema["properties"]


# -- the advice itself -----------------------------------------------------------------------


def test_an_interruption_carrying_an_unknown_outcome_gets_the_advice_too() -> None:
    """Ctrl-C or a cancelled call mid-send: the error the host prints names the key too."""
    from infobip_connector import outcome
    from infobip_connector.hosts.retryhint import retry_hint

    interrupt = KeyboardInterrupt()
    outcome.mark_interrupted(interrupt, {"bulkId": "b", "messageIds": ["m1"]})
    with pytest.raises(KeyboardInterrupt), retry_hint("K", detail="key", retry="with K"):
        raise interrupt
    carried = getattr(interrupt, outcome.ATTRIBUTE)
    assert carried.details["key"] == "K" and "again with K" in carried.message
    assert carried.args == (carried.message,)


def test_a_bulk_change_keeps_its_own_advice_and_gains_only_the_key() -> None:
    """A send naming no message (a rescheduled bulk) is checked by the bulk's state."""
    from infobip_connector import outcome
    from infobip_connector.hosts.retryhint import retry_hint

    error = outcome.unknown("Timed out", {"bulkId": "b"})
    before = error.message
    with pytest.raises(type(error)), retry_hint("K", detail="key", retry="with K"):
        raise error
    assert error.details["key"] == "K" and error.message == before
    # Without a key (not a send, or none given) nothing changes.
    plain = outcome.unknown("Timed out", {"messageIds": ["m1"]})
    with pytest.raises(type(plain)), retry_hint(None, detail="key", retry="with K"):
        raise plain
    assert "key" not in plain.details and "with K" not in plain.message


def test_serve_refuses_a_second_send_with_a_key_that_is_still_running() -> None:
    account = Sandbox(KEY, deliver_reports=False)
    account.script("POST", SEND_PATH, Fault(delay=0.5, process=True))
    methods = _methods(account)
    lines = [
        request(n, "execute", action="sendSms", input=TWO, idempotencyKey=RUN_KEY) for n in (1, 2)
    ]
    answers = by_id(run_worker(methods, b"\n".join(lines) + b"\n"))
    assert "result" in answers[1]
    refused = answers[2]["error"]
    assert refused["code"] == -32602
    assert refused["data"]["error"]["details"]["errors"][0]["path"] == "idempotencyKey"
    assert len(account.accepted_messages) == 2  # the first send's two messages, once

    # Once the first has answered, the key is free again (a retry, say).
    again = _execute(methods, input=TWO, idempotencyKey=RUN_KEY)
    assert "result" in again


def test_mcp_refuses_a_second_send_with_a_key_that_is_still_running() -> None:
    account = Sandbox(KEY, deliver_reports=False)
    account.script("POST", SEND_PATH, Fault(delay=0.5, process=True))
    tools = _tools(account)
    arguments = {**TWO, IDEMPOTENCY_KEY: RUN_KEY}

    async def both() -> tuple[Any, Any]:
        # On one event loop, as the server runs its calls.
        first = asyncio.create_task(tools.call("sendSms", arguments))
        await asyncio.sleep(0.2)  # the first send is now waiting for its (delayed) answer
        second = await tools.call("sendSms", arguments)
        return await first, second

    first, second = asyncio.run(both())
    assert not first.is_error
    assert second.is_error
    error = second.structured["error"]
    assert error["type"] == "input"
    assert [e["path"] for e in error["details"]["errors"]] == [IDEMPOTENCY_KEY]
    assert len(account.accepted_messages) == 2  # the first call's two messages, once
    assert not call(tools, "sendSms", arguments).is_error  # free again once answered
