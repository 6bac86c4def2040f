"""The MCP host's plain-data side: which tools, their hints and schemas, calls and errors.

None of this needs the ``mcp`` extra (``tests/test_mcp_server.py`` drives the real server
through the SDK's client); so it runs in every environment, including one without it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.errors import UsageError
from infobip_connector.hosts import mcp as mcp_host
from infobip_connector.hosts.cliconnection import SANDBOX_KEY
from infobip_connector.hosts.mcp import command
from infobip_connector.hosts.mcp.calls import (
    SANDBOX_META,
    SANDBOX_NOTE,
    CallResult,
    ToolRunner,
    UnknownTool,
)
from infobip_connector.hosts.mcp.resources import build_resources
from infobip_connector.hosts.mcp.structured import as_given_schema
from infobip_connector.hosts.mcp.tools import (
    CONFIRM,
    IDEMPOTENCY_KEY,
    REPEATED,
    build_tools,
    pick_actions,
)
from infobip_connector.sandbox import Sandbox, SandboxServer

from .conftest import CANARY, ROOT
from .test_cli import error_of, run_cli

SMS = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": "Hello"}]}
KINDS = {a.name: a.kind for a in component.definition.actions}
SENDS = [name for name, kind in KINDS.items() if kind == "send"]


def runner(
    names: list[str] | None = None, *, confirm: bool = False, sandbox: Sandbox | None = None
) -> tuple[ToolRunner, Sandbox]:
    box = sandbox or Sandbox(deliver_reports=False)
    tools = build_tools(component, names or component.action_names, confirm_sends=confirm)
    return ToolRunner(component, tools, {"token": SANDBOX_KEY}, box.transport(), sandbox=True), box


def call(tools: ToolRunner, name: str, arguments: dict[str, Any] | None) -> CallResult:
    """One call on an event loop of its own, as the server awaits it on its own loop."""
    return asyncio.run(tools.call(name, arguments))


@pytest.mark.parametrize("name", component.action_names)
def test_hints_follow_the_kind(name: str) -> None:
    hints = build_tools(component, [name], confirm_sends=False)[name].annotations
    kind = KINDS[name]
    assert hints["readOnlyHint"] is (kind == "read")
    # A send repeats the send; a pull takes its items out of Infobip's queue for good.
    assert hints["destructiveHint"] is (kind != "read")
    assert hints["idempotentHint"] is (kind == "read")
    assert hints["title"] == component.definition.action(name).title


def test_every_kind_has_its_hints() -> None:
    from infobip_connector.hosts.mcp.tools import _HINTS
    from infobip_connector.request import KINDS as ALL_KINDS

    assert set(_HINTS) == set(ALL_KINDS)
    # Only a read changes nothing; a removal is safe to repeat (a repeat finds it gone).
    assert [k for k in ALL_KINDS if _HINTS[k]["readOnlyHint"]] == ["read"]


def test_tools_carry_the_derived_schemas_and_the_definitions_words() -> None:
    for name, tool in build_tools(component, component.action_names, confirm_sends=False).items():
        folder = ROOT / "schemas"
        derived = json.loads((folder / f"{name}.input.schema.json").read_text())
        if KINDS[name] == "send":  # plus the optional execution key and repeated, nothing else
            for argument in (IDEMPOTENCY_KEY, REPEATED):
                derived["properties"][argument] = tool.input_schema["properties"][argument]
        assert tool.input_schema == derived
        declared = json.loads((folder / f"{name}.output.schema.json").read_text())
        assert tool.output_schema == as_given_schema(declared)  # tests/test_mcp_structured.py
        assert tool.description.startswith(component.definition.action(name).description)
        assert not tool.needs_confirmation


def test_every_tool_description_reads_as_sentences_where_its_notes_are_joined() -> None:
    for name, tool in build_tools(component, component.action_names, confirm_sends=True).items():
        own = component.definition.action(name).description.rstrip()
        assert tool.description.startswith(own), name
        joined = tool.description[len(own) :]
        assert tool.description.rstrip()[-1] in ".!?", name
        if joined and joined[0] != ".":  # a note follows: the text before it ends a sentence
            assert own[-1] in ".!?:" and joined.startswith(" "), (name, tool.description[:120])


def test_confirm_sends_adds_a_required_confirm_to_sends_only() -> None:
    tools = build_tools(component, component.action_names, confirm_sends=True)
    for name, tool in tools.items():
        properties = tool.input_schema["properties"]
        if KINDS[name] == "send":
            assert properties[CONFIRM] == {
                "description": properties[CONFIRM]["description"],
                "type": "boolean",
                "const": True,
            }
            assert CONFIRM in tool.input_schema["required"]
        else:
            assert CONFIRM not in properties
    # The component's own schemas stay as they were.
    assert CONFIRM not in component.input_schema("sendSms")["properties"]


def test_unknown_actions_are_a_usage_error_listing_the_names() -> None:
    for given in ("sendSms,sendFax", "sendSms,", " "):
        with pytest.raises(UsageError) as caught:
            pick_actions(component, given, read_only=False)
        (problem,) = caught.value.errors
        assert problem["path"] == "--actions"
        assert ", ".join(component.action_names) in problem["message"]
    with pytest.raises(UsageError, match="unknown 'sendFax'; one of: sendSms, "):
        pick_actions(component, "sendFax", read_only=False)


def test_actions_picks_tools_in_the_definitions_order() -> None:
    picked = pick_actions(component, "getSmsLogs, sendSms", read_only=False)
    assert picked == ["sendSms", "getSmsLogs"]


def test_read_only_keeps_the_reads_and_refuses_a_send_asked_for() -> None:
    assert pick_actions(component, None, read_only=True) == [
        name for name in component.action_names if KINDS[name] == "read"
    ]
    with pytest.raises(UsageError) as caught:
        pick_actions(component, "getSmsLogs,getInboundSms", read_only=True)
    assert "getInboundSms (consume)" in caught.value.errors[0]["message"]


def test_a_call_returns_the_output_and_says_it_came_from_the_sandbox() -> None:
    tools, box = runner()
    result = call(tools, "sendSms", SMS)
    assert not result.is_error
    assert result.structured["messages"][0]["to"] == "41793026727"
    assert result.meta == {SANDBOX_META: True}
    note, shown = result.text.split("\n")  # the note, then the output on one line
    assert note == SANDBOX_NOTE
    assert json.loads(shown) == result.structured
    assert len(box.requests) == 1


def test_bad_input_is_an_error_result_naming_each_field_by_path() -> None:
    tools, box = runner()
    result = call(tools, "sendSms", {"messages": [{"destinations": [{"to": "12"}]}], "x": 1})
    assert result.is_error
    assert result.meta == {SANDBOX_META: True}
    error = result.structured["error"]
    assert error["type"] == "input"
    paths = [e["path"] for e in error["details"]["errors"]]
    assert paths == ["messages[0].destinations[0].to", "messages[0].text", "x"]
    note, message, shown = result.text.split("\n")  # the note, the message, the error object
    assert note == SANDBOX_NOTE and message == error["message"]
    assert "messages[0].destinations[0].to" in shown and json.loads(shown) == result.structured
    assert box.requests == []


@pytest.mark.parametrize("arguments", [None, {}, {"messages": "hello"}, {"messages": [None]}])
def test_no_argument_shape_crashes_a_call(arguments: dict[str, Any] | None) -> None:
    tools, box = runner()
    result = call(tools, "sendSms", arguments)
    assert result.is_error and result.structured["error"]["type"] == "input"
    assert box.requests == []


@pytest.mark.parametrize("confirm", [None, False, "true", 1])
def test_a_send_without_confirm_true_sends_nothing(confirm: Any) -> None:
    tools, box = runner(confirm=True)
    arguments = dict(SMS) if confirm is None else {**SMS, CONFIRM: confirm}
    result = call(tools, "sendSms", arguments)
    assert result.is_error
    error = result.structured["error"]
    assert [e["path"] for e in error["details"]["errors"]] == [CONFIRM]
    assert "nothing was sent" in error["message"]
    assert box.requests == []
    sent = call(tools, "sendSms", {**SMS, CONFIRM: True})
    assert not sent.is_error and len(box.requests) == 1


def test_confirm_is_not_asked_of_a_read() -> None:
    tools, _ = runner(confirm=True)
    assert not call(tools, "previewSms", {"text": "Hi"}).is_error
    assert call(tools, "previewSms", {"text": "Hi", CONFIRM: True}).is_error


def test_a_tool_left_out_cannot_be_called() -> None:
    tools, box = runner(pick_actions(component, None, read_only=True))
    with pytest.raises(UnknownTool, match="unknown tool 'sendSms'; one of: previewSms"):
        call(tools, "sendSms", SMS)
    assert box.requests == []


def test_the_key_never_shows_in_a_result_or_a_repr() -> None:
    with SandboxServer(Sandbox(api_key="another-key-1234", deliver_reports=False)) as server:
        tools = ToolRunner(
            component,
            build_tools(component, ["sendSms"], confirm_sends=False),
            {"token": CANARY, "baseUrl": server.url},
            None,
            sandbox=False,
        )
        result = call(tools, "sendSms", SMS)
    assert result.is_error and result.structured["error"]["type"] == "authentication"
    assert result.meta is None and SANDBOX_NOTE not in result.text
    for shown in (result.text, json.dumps(result.structured), repr(tools)):
        assert CANARY not in shown and CANARY[:12] not in shown


def test_the_resources_are_the_definition_and_the_reference() -> None:
    from infobip_connector.definition.reference import render_reference

    resources = build_resources(component)
    definition = resources["infobip-connector://definition"]
    assert json.loads(definition.text) == component.definition_json()
    assert definition.mime_type == "application/json"
    reference = resources["infobip-connector://reference"]
    assert reference.text == render_reference(component.definition)
    assert reference.mime_type == "text/markdown"


def test_without_the_extra_the_command_says_what_to_install(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if not installed, also where an earlier test loaded the SDK.
    for name in ["mcp", *(n for n in list(sys.modules) if n.startswith("mcp."))]:
        monkeypatch.setitem(sys.modules, name, None)
    # Forget a server module an earlier test loaded, so the import runs again.
    monkeypatch.delitem(sys.modules, "infobip_connector.hosts.mcp.server", raising=False)
    monkeypatch.delattr(mcp_host, "server", raising=False)
    code, out, err = run_cli(capsys, "mcp", "--sandbox")
    assert (code, out) == (2, "")
    error = error_of(err)
    assert error["type"] == "usage"
    assert 'pip install "infobip-connector[mcp]"' in error["message"]


def test_the_cli_lists_the_command_without_the_extra(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mcp", None)
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and "mcp" in out and "AI agents" in out


@pytest.mark.parametrize(
    ("argv", "path"),
    [
        (["--host", "127.0.0.1"], "--host"),
        (["--port", "8001"], "--port"),
        (["--http", "--host", "127.1"], "--host"),
        (["--http", "--host", "not a host"], "--host"),
    ],
)
def test_address_options_are_checked_before_anything_starts(
    capsys: pytest.CaptureFixture[str], argv: list[str], path: str
) -> None:
    code, out, err = run_cli(capsys, "mcp", "--sandbox", *argv)
    assert (code, out) == (2, "")
    assert error_of(err)["details"]["errors"][0]["path"] == path


def test_a_host_other_than_loopback_is_served_with_a_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = argparse.Namespace(http=True, host="0.0.0.0", port=None)
    assert command._address(args) == ("0.0.0.0", command.DEFAULT_PORT)
    assert "not a loopback address" in capsys.readouterr().err
    args = argparse.Namespace(http=True, host=None, port=0)
    assert command._address(args) == ("127.0.0.1", 0)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("confirm", [False, True])
def test_an_unknown_argument_lists_the_tools_own_arguments_too(confirm: bool) -> None:
    tools, box = runner(["sendSms", "getSmsLogs"], confirm=confirm)
    arguments = {**SMS, "bogus": 1, **({"confirm": True} if confirm else {})}
    result = call(tools, "sendSms", arguments)
    [problem] = result.structured["error"]["details"]["errors"]
    assert problem["path"] == "bogus"
    expected = problem["message"].split("expected one of: ")[1].split(", ")
    assert {"messages", "idempotency_key", "repeated"} <= set(expected)
    assert ("confirm" in expected) is confirm
    assert "idempotency_key" in result.structured["error"]["message"]
    # A read takes none of them, and nested objects list only their own members.
    read = call(tools, "getSmsLogs", {"bogus": 1})
    assert "idempotency_key" not in read.structured["error"]["message"]
    nested = call(tools, "sendSms", {"messages": [{**SMS["messages"][0], "bogus": 1}]})
    assert "idempotency_key" not in nested.structured["error"]["message"]
    assert not box.requests
