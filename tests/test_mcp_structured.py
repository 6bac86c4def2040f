"""A tool's outputSchema holds for every output, values kept as given included, and a
result nested past what the MCP SDK writes and reads still comes back (``structured.py``).

The schema and the depth rule need no ``mcp`` extra; the last test drives the server over
stdio with the SDK's own client, which validates every result against the tool's schema.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from jsonschema import Draft202012Validator

from infobip_connector import OutcomeUnknownError, component
from infobip_connector.errors import RejectedError
from infobip_connector.hosts import jsonout
from infobip_connector.hosts.mcp.calls import ToolRunner
from infobip_connector.hosts.mcp.structured import (
    MAX_DEPTH,
    NESTED_META,
    as_given_schema,
    structured_content,
)
from infobip_connector.hosts.mcp.tools import build_tools
from infobip_connector.safejson import deeper_calls, nested_deeper_than
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .action_support import CONNECTION
from .conftest import ROOT
from .operations import OPERATIONS

KEY = "structured-key-7c1d-42ab"  # at least 16 characters, as Infobip keys are
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}


def _deep(levels: int) -> list[Any]:
    """A list nested ``levels`` deep around the text ``"x"``."""
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return list(value)


#: What Infobip might give instead of a field's value: each JSON type, and data nested deep.
OTHERS: list[Any] = [["x"], {"y": 1}, "text", 2.5, 7, True, None, _deep(300)]


def _places(value: Any, at: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every place below the root of ``value``, parents first."""
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        yield (*at, key)
        yield from _places(child, (*at, key))


def _set(value: Any, at: tuple[str | int, ...], new: Any) -> Any:
    changed = copy.deepcopy(value)
    parent = changed
    for key in at[:-1]:
        parent = parent[key]
    parent[at[-1]] = new
    return changed


def _echoing(sample: dict[str, Any]) -> httpx.MockTransport:
    """Infobip answering ``sample`` with the bulkId, messageIds and numbers the request sent
    (in order), so that a send's answer accounts for what it sent."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        sent: dict[str, list[Any]] = {"messageId": [], "to": [], "bulkId": []}
        _collect(body, sent)
        return httpx.Response(200, json=_replaced(sample, {k: iter(v) for k, v in sent.items()}))

    return httpx.MockTransport(answer)


def _collect(value: Any, found: dict[str, list[Any]]) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            if key in found and isinstance(child, str):
                found[key].append(child)
            _collect(child, found)
    elif isinstance(value, list):
        for child in value:
            _collect(child, found)


def _replaced(value: Any, sent: dict[str, Iterator[Any]]) -> Any:
    if isinstance(value, dict):
        return {
            key: next(sent[key], child)
            if key in sent and isinstance(child, str)
            else _replaced(child, sent)
            for key, child in value.items()
        }
    if isinstance(value, list):
        return [_replaced(child, sent) for child in value]
    return value


@pytest.mark.parametrize("name", component.action_names)
def test_every_output_meets_the_tools_schema_whatever_infobip_gives(name: str) -> None:
    """Each place of the answer given each other type: the output either meets the tool's
    schema or the answer is outcome_unknown (a required field)."""
    action = component.definition.action(name)
    declared = Draft202012Validator(component.output_schema(name))
    as_given = Draft202012Validator(as_given_schema(component.output_schema(name)))
    values = OPERATIONS[name].sample
    sample = action.output.sample
    output = component.execute(name, values, CONNECTION, transport=_echoing(sample))
    assert declared.is_valid(output) and as_given.is_valid(output)
    delivered, kept = 0, 0
    for at in _places(sample):
        for other in OTHERS:
            answer = _set(sample, at, other)
            try:
                output = component.execute(name, values, CONNECTION, transport=_echoing(answer))
            except OutcomeUnknownError:
                continue
            errors = [e.message for e in as_given.iter_errors(output)]
            assert errors == [], (at, other, errors)
            delivered += 1
            kept += not declared.is_valid(output)
    # The check above ran, and (where a field may be kept) on outputs the declared schema
    # alone refuses; an output of required fields only (a scheduled bulk's) keeps none.
    assert delivered > 0
    assert kept > 0 or "anyOf" not in json.dumps(as_given.schema)


def test_a_required_field_and_an_undeclared_one_stay_as_declared() -> None:
    schema = as_given_schema(component.output_schema("getSmsDeliveryReports"))
    validator = Draft202012Validator(schema)
    report = {"messageId": "m", "price": {"pricePerMessage": 0.01}}
    assert validator.is_valid({"results": [report]})
    assert validator.is_valid({"results": [{**report, "price": "free", "messageCount": "1"}]})
    assert validator.is_valid({"results": [None, 3]})  # a list's items kept as given
    assert not validator.is_valid({"results": "none"})  # required: an answer without is refused
    assert not validator.is_valid({})
    assert not validator.is_valid({"results": [], "more": 1})  # undeclared: never output
    assert not validator.is_valid({"results": [{"price": {"pricePerMessage": 1, "x": 2}}]})
    member = schema["properties"]["results"]["items"]
    assert member["anyOf"][1] == {"not": {"type": "object"}}
    assert "description" not in member["anyOf"][0]  # told once, outside


def test_the_declared_schema_is_left_alone() -> None:
    declared = component.output_schema("sendSms")
    before = copy.deepcopy(declared)
    as_given_schema(declared)
    assert declared == before


def _text(value: Any) -> str:
    """``value`` as compact JSON, at any depth."""
    return jsonout.encode(value, pretty=False).decode().rstrip("\n")


def _sorted(value: Any) -> str:
    """``value`` as JSON with its members in name order, at any depth."""
    with deeper_calls(4000):
        return json.dumps(value, sort_keys=True)


def _depth(value: Any) -> int:
    """Levels of objects and lists in ``value`` (``[[]]`` is two; text none)."""
    if not isinstance(value, dict | list):
        return 0
    return 1 + max(map(_depth, value.values() if isinstance(value, dict) else value), default=0)


@pytest.mark.parametrize("levels", [MAX_DEPTH - 4, MAX_DEPTH - 3, MAX_DEPTH - 2, 300, 1100])
def test_structured_content_holds_what_the_sdk_writes_and_reads(levels: int) -> None:
    # {"results": [ {"price": <levels of lists>} ]}: 3 levels before the value's own.
    data = {"results": [{"price": _deep(levels)}, {"messageId": "M2"}]}
    shown = structured_content(data)
    if levels + 3 <= MAX_DEPTH:
        assert shown is data  # nothing copied
        return
    assert not nested_deeper_than(shown, MAX_DEPTH)
    assert shown["results"][1] == {"messageId": "M2"}
    # Down to the last level kept, then the rest as its JSON text, whole.
    value, level = shown["results"][0]["price"], 3
    while isinstance(value, list):
        value, level = value[0], level + 1
    assert level == MAX_DEPTH  # the level of the last list kept
    # Compared as text: data this deep is past what Python compares or reads recursively.
    assert value == _text(_deep(levels - (MAX_DEPTH - 3)))
    assert _text(data["results"][0]["price"]) == _text(_deep(levels))  # the output is unchanged


def test_objects_deeper_than_the_limit_are_text_too() -> None:
    value: Any = {"leaf": 1}
    for _ in range(MAX_DEPTH + 5):
        value = {"a": value}
    shown = structured_content({"x": value})
    assert not nested_deeper_than(shown, MAX_DEPTH)
    assert _depth(shown) == MAX_DEPTH


# ---------------------------------------------------------------- over stdio, the SDK's client


def _logs(price: str) -> str:
    """Get SMS Logs' answer: one entry whose price is ``price`` (JSON text), and another."""
    first = json.dumps({"messageId": "M1", "destination": "41793026727", "price": "P"})
    second = json.dumps({"messageId": "M2", "destination": "41793026728"})
    return '{"results":[' + first.replace('"P"', price) + "," + second + "]}"


def test_an_agent_on_the_sdk_gets_kept_and_deep_values(
    server: SandboxServer, sandbox: Sandbox, tmp_path: Any
) -> None:
    pytest.importorskip("mcp")
    import anyio
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    connection = tmp_path / "connection.json"
    connection.write_text(json.dumps({"token": KEY, "baseUrl": server.url}))
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["-m", "infobip_connector", "mcp", "--connection", str(connection)],
        cwd=str(ROOT),
    )
    deep = "[" * 1000 + '"1"' + "]" * 1000
    answers = {"kept": _logs('"free"'), "deep": _logs(deep), "plain": _logs('{"currency": "EUR"}')}
    results: dict[str, Any] = {}
    errors: list[Any] = []

    async def scenario() -> None:
        with anyio.fail_after(120):
            async with Client(parameters, read_timeout_seconds=60) as client:
                for case, body in answers.items():
                    sandbox.script("GET", "/sms/3/logs", Fault(status=200, body=body))
                    # The client refuses a result that does not meet the tool's outputSchema.
                    results[case] = await client.call_tool("getSmsLogs", {})
                sandbox.script("GET", "/sms/3/logs", Fault(status=400))
                errors.append(await client.call_tool("getSmsLogs", {}))

    anyio.run(scenario)
    for case, result in results.items():
        assert not result.is_error, case
        entries = result.structured_content["results"]
        assert [e["messageId"] for e in entries] == ["M1", "M2"], case
        # The text holds the whole output.
        whole = orjson.loads(result.content[0].text.splitlines()[-1])
        assert _sorted(whole) == _sorted(orjson.loads(answers[case])), case
    # An error is no output: the text alone carries it (its last line), so that a client
    # checking error results against the outputSchema too does not lose it.
    (refused,) = errors
    assert refused.is_error and refused.structured_content is None
    assert json.loads(refused.content[0].text.splitlines()[-1])["error"]["type"] == "rejected"
    assert results["kept"].structured_content["results"][0]["price"] == "free"
    assert NESTED_META not in (results["kept"].meta or {})
    assert (results["deep"].meta or {})[NESTED_META] is True
    price = results["deep"].structured_content["results"][0]["price"]
    for _ in range(MAX_DEPTH - 3):
        (price,) = price
    assert price == "[" * 903 + '"1"' + "]" * 903


@pytest.mark.parametrize("levels", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1])
@pytest.mark.parametrize("beside", [None, 2**70])  # orjson writes no integer past 64 bits
def test_the_quick_depth_test_agrees_with_the_walk(levels: int, beside: Any) -> None:
    value: Any = {}  # data = {"x": value}: value nests levels - 1 deep
    for level in range(levels - 2):
        value = [value] if level % 2 else {"a": value}
    data = {"x": value, "n": beside}
    assert nested_deeper_than(data, levels - 1) and not nested_deeper_than(data, levels)
    shown = structured_content(data)
    assert (shown is data) == (levels <= MAX_DEPTH)
    assert not nested_deeper_than(shown, MAX_DEPTH)
    assert shown["n"] == beside


@pytest.mark.parametrize("mark", ["\u0085", "\u2028", "\u2029"])
def test_the_json_of_a_result_is_one_line_to_every_reader(mark: str) -> None:
    """JSON leaves these unescaped in texts; Python's splitlines and JavaScript break there."""
    tools = build_tools(component, ["previewSms"], confirm_sends=False)
    runner = ToolRunner(component, tools, {"token": KEY}, None, sandbox=True)
    output = {"previews": [{"textPreview": f"a{mark}b", "messageCount": 1}]}
    # An integer past 64 bits: written by the standard library, not orjson (hosts/jsonout).
    wide = {"previews": [{"textPreview": f"{mark}", "messageCount": 2**70}]}
    error = RejectedError(f"Infobip refused it: bad{mark}thing", {"text": f"x{mark}y"})
    for result, data in (
        (runner._result(output, is_error=False), output),
        (runner._result(wide, is_error=False), wide),
        (runner.error_result(error), None),
    ):
        last = result.text.splitlines()[-1]
        assert mark not in last
        read = json.loads(last)
        assert read == (data if data is not None else result.structured)
    assert json.loads(runner.error_result(error).text.splitlines()[-1])["error"]["details"] == {
        "text": f"x{mark}y"
    }
