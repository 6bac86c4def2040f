"""MCP send tools take an optional ``idempotency_key``; an ``outcome_unknown`` carries it.

An agent told ``outcome_unknown`` tends to call again. With the key that error carries,
the retry sends the same bulkId and messageIds (which the account's idempotent sending
refuses as duplicates) instead of new ones. Plain data: no ``mcp`` extra needed.
"""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.hosts.mcp.tools import IDEMPOTENCY_KEY, build_tools
from infobip_connector.sandbox import Fault, Sandbox

from .test_mcp_tools import KINDS, SMS, call, runner

SMS_PATH = "/sms/2/text/advanced"


def ids(structured: dict[str, Any]) -> tuple[Any, list[str]]:
    return structured["bulkId"], [m["messageId"] for m in structured["messages"]]


def test_every_send_tool_offers_an_optional_documented_key_and_no_other_tool_does() -> None:
    tools = build_tools(component, component.action_names, confirm_sends=True)
    for name, tool in tools.items():
        properties = tool.input_schema["properties"]
        if KINDS[name] != "send":
            assert IDEMPOTENCY_KEY not in properties
            continue
        schema = properties[IDEMPOTENCY_KEY]
        assert (schema["type"], schema["minLength"], schema["maxLength"]) == ("string", 1, 256)
        assert "outcome_unknown" in schema["description"]
        assert IDEMPOTENCY_KEY not in tool.input_schema.get("required", [])
        assert "idempotency_key" in tool.description and "outcome_unknown" in tool.description
    # The component's own schemas stay as they were.
    assert IDEMPOTENCY_KEY not in component.input_schema("sendSms")["properties"]


def test_the_same_key_gives_the_same_ids_and_none_gives_new_ones() -> None:
    tools, _ = runner(["sendSms"])
    first = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "agent-task-7"})
    again = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: "agent-task-7"})
    other = call(tools, "sendSms", SMS)
    assert not (first.is_error or again.is_error or other.is_error)
    assert ids(again.structured) == ids(first.structured)
    assert ids(other.structured)[1] != ids(first.structured)[1]


@pytest.mark.parametrize("given", [None, "agent-task-8"])
def test_an_unknown_outcome_carries_the_key_and_a_retry_with_it_reuses_the_ids(
    given: str | None,
) -> None:
    box = Sandbox(deliver_reports=False)
    box.script("POST", SMS_PATH, Fault(status=500))
    tools, _ = runner(["sendSms"], sandbox=box)
    arguments = SMS if given is None else {**SMS, IDEMPOTENCY_KEY: given}
    unknown = call(tools, "sendSms", arguments)
    assert unknown.is_error
    error = unknown.structured["error"]
    assert error["type"] == "outcome_unknown"
    key = error["details"][IDEMPOTENCY_KEY]
    assert key == given if given is not None else key.startswith("mcp-")
    assert repr(key) in error["message"] and repr(key) in unknown.text
    retried = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: key})
    assert not retried.is_error
    assert ids(retried.structured)[1] == error["details"]["messageIds"]


@pytest.mark.parametrize("key", ["", " ", "x" * 257, 5, "tab\there"])
def test_an_unusable_key_is_an_input_error_naming_it_and_nothing_is_sent(key: Any) -> None:
    tools, _ = runner(["sendSms", "getSmsLogs"])
    result = call(tools, "sendSms", {**SMS, IDEMPOTENCY_KEY: key})
    assert result.is_error
    error = result.structured["error"]
    assert error["type"] == "input"
    assert [e["path"] for e in error["details"]["errors"]] == [IDEMPOTENCY_KEY]
    assert call(tools, "getSmsLogs", {}).structured == {"results": []}


def test_a_read_tool_refuses_the_key_as_an_unknown_input() -> None:
    tools, _ = runner(["getSmsLogs"])
    result = call(tools, "getSmsLogs", {IDEMPOTENCY_KEY: "k"})
    assert result.is_error
    assert result.structured["error"]["details"]["errors"][0]["path"] == IDEMPOTENCY_KEY


def test_confirm_and_the_key_go_together() -> None:
    tools, _ = runner(["sendSms"], confirm=True)
    first = call(tools, "sendSms", {**SMS, "confirm": True, IDEMPOTENCY_KEY: "k-1"})
    again = call(tools, "sendSms", {**SMS, "confirm": True, IDEMPOTENCY_KEY: "k-1"})
    assert ids(first.structured) == ids(again.structured)


def test_the_tools_own_arguments_and_the_input_are_checked_in_one_pass() -> None:
    tools, box = runner(["sendSms"], confirm=True)
    wrong = {"messages": "x", IDEMPOTENCY_KEY: "", "repeated": "yes", "bogus": 1}
    result = call(tools, "sendSms", wrong)
    assert result.is_error and result.structured["error"]["type"] == "input"
    paths = {e["path"] for e in result.structured["error"]["details"]["errors"]}
    assert {"confirm", "repeated", IDEMPOTENCY_KEY, "messages", "bogus"} <= paths, paths
    # With every own argument right but confirm, the input's errors still come with it.
    result = call(tools, "sendSms", {"messages": "x", IDEMPOTENCY_KEY: "k-9"})
    paths = {e["path"] for e in result.structured["error"]["details"]["errors"]}
    assert paths == {"confirm", "messages"}, paths
    result = call(tools, "sendSms", {**SMS, "confirm": True, "repeated": True})
    [error] = result.structured["error"]["details"]["errors"]
    assert error["path"] == "repeated"
    assert not box.requests
