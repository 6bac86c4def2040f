"""``infobip-connector mcp`` driven by the official MCP client SDK, as an agent's host runs it.

Each test starts the server as a subprocess (stdio, or streamable HTTP) with the embedded
sandbox. Skipped when the ``mcp`` extra is not installed (``.ci/run`` installs it and runs
these).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp")

import anyio
from jsonschema import Draft202012Validator
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError

from infobip_connector import component
from infobip_connector.definition.reference import render_reference
from infobip_connector.hosts.mcp.structured import as_given_schema

from .conftest import ROOT
from .mcp_messages import result_error
from .test_cli import error_of, run_cli

SMS = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": "Hello"}]}
KINDS = {a.name: a.kind for a in component.definition.actions}
NOTE = "Sandbox: this came from the embedded Infobip emulator"


def schema_file(name: str) -> Any:
    return json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))


def over_stdio(*flags: str, env: dict[str, str] | None = None) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "infobip_connector", "mcp", *flags],
        env=env,
        cwd=str(ROOT),
    )


def session(server: Any, scenario: Callable[[Client], Awaitable[None]]) -> None:
    async def run() -> None:
        async with Client(server, read_timeout_seconds=60) as client:
            await scenario(client)

    anyio.run(run)


def test_tools_schemas_calls_and_resources_over_stdio() -> None:
    async def scenario(client: Client) -> None:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert list(tools) == component.action_names
        for name, tool in tools.items():
            derived = schema_file(f"{name}.input.schema.json")
            if KINDS[name] == "send":  # plus the optional execution key and repeated
                for argument in ("idempotency_key", "repeated"):
                    derived["properties"][argument] = tool.input_schema["properties"][argument]
            assert tool.input_schema == derived
            # Room for values kept as given (tests/test_mcp_structured.py).
            declared = schema_file(f"{name}.output.schema.json")
            assert tool.output_schema == as_given_schema(declared)
            assert tool.description.startswith(component.definition.action(name).description)
            hints = tool.annotations
            assert hints is not None
            assert hints.read_only_hint is (KINDS[name] == "read")
            assert hints.destructive_hint is (KINDS[name] != "read")
            assert hints.idempotent_hint is (KINDS[name] == "read")

        sent = await client.call_tool("sendSms", SMS)
        assert not sent.is_error
        Draft202012Validator(tools["sendSms"].output_schema).validate(sent.structured_content)
        assert sent.meta is not None and sent.meta["infobip-connector/sandbox"] is True
        assert sent.content[0].text.startswith(NOTE)
        bulk = sent.structured_content["bulkId"]

        logs = await client.call_tool("getSmsLogs", {"bulkId": [bulk]})
        assert not logs.is_error
        Draft202012Validator(tools["getSmsLogs"].output_schema).validate(logs.structured_content)
        assert [r["destination"] for r in logs.structured_content["results"]] == ["41793026727"]
        assert logs.content[0].text.startswith(NOTE)

        bad = await client.call_tool(
            "sendWhatsappTextMessage",
            {"from": "447860099299", "to": "+1 555", "content": {"text": ""}},
        )
        assert bad.is_error
        assert bad.meta is not None and bad.meta["infobip-connector/sandbox"] is True
        error = result_error(bad.model_dump(by_alias=True, exclude_none=True))
        assert error["type"] == "input"
        assert [e["path"] for e in error["details"]["errors"]] == ["to", "content.text"]
        assert "content.text" in bad.content[0].text

        with pytest.raises(MCPError, match="unknown tool 'sendFax'"):
            await client.call_tool("sendFax", {})

        listed = {r.uri: r for r in (await client.list_resources()).resources}
        assert set(listed) == {"infobip-connector://definition", "infobip-connector://reference"}
        definition = await client.read_resource("infobip-connector://definition")
        assert json.loads(definition.contents[0].text) == component.definition_json()
        reference = await client.read_resource("infobip-connector://reference")
        assert reference.contents[0].text == render_reference(component.definition)

    session(over_stdio("--sandbox"), scenario)


def test_read_only_hides_every_tool_that_changes_something() -> None:
    async def scenario(client: Client) -> None:
        tools = (await client.list_tools()).tools
        assert [t.name for t in tools] == [n for n in component.action_names if KINDS[n] == "read"]
        assert all(t.annotations and t.annotations.read_only_hint for t in tools)
        for name in ("sendSms", "getSmsDeliveryReports"):
            with pytest.raises(MCPError, match=f"unknown tool '{name}'"):
                await client.call_tool(name, SMS)
        logs = await client.call_tool("getSmsLogs", {})
        assert logs.structured_content == {"results": []}

    session(over_stdio("--sandbox", "--read-only"), scenario)


def test_confirm_sends_needs_confirm_true_before_sending() -> None:
    async def scenario(client: Client) -> None:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert set(tools) == {"sendSms", "getSmsLogs"}
        assert "confirm" in tools["sendSms"].input_schema["required"]
        refused = await client.call_tool("sendSms", SMS)
        assert refused.is_error
        error = result_error(refused.model_dump(by_alias=True, exclude_none=True))
        assert "nothing was sent" in error["message"]
        assert [e["path"] for e in error["details"]["errors"]] == ["confirm"]
        assert (await client.call_tool("getSmsLogs", {})).structured_content == {"results": []}
        sent = await client.call_tool("sendSms", {**SMS, "confirm": True})
        assert not sent.is_error
        logs = await client.call_tool("getSmsLogs", {})
        assert len(logs.structured_content["results"]) == 1

    session(over_stdio("--sandbox", "--confirm-sends", "--actions", "sendSms,getSmsLogs"), scenario)


def refused_start(variables: dict[str, str]) -> tuple[dict[str, Any], str]:
    """The error of ``mcp`` started with only ``variables`` of ``INFOBIP_*``, and its stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOBIP_")}
    done = subprocess.run(
        [sys.executable, "-m", "infobip_connector", "mcp"],
        env={**env, **variables},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    return error_of(done.stderr), done.stderr


def test_without_a_key_it_refuses_to_start() -> None:
    error, _ = refused_start({})
    assert error["details"]["errors"][0]["path"] == "INFOBIP_API_KEY"
    assert "--sandbox" in error["message"]


@pytest.mark.parametrize(
    ("variables", "path"),
    [
        ({"INFOBIP_API_KEY": "short-k3y"}, "INFOBIP_API_KEY"),
        (
            {
                "INFOBIP_API_KEY": "a-long-enough-key-0123456789",
                "INFOBIP_BASE_URL": "http://x.example",
            },
            "INFOBIP_BASE_URL",
        ),
    ],
)
def test_an_unusable_key_or_base_url_refuses_to_start(variables: dict[str, str], path: str) -> None:
    error, stderr = refused_start(variables)
    assert (error["type"], error["details"]["errors"][0]["path"]) == ("usage", path)
    assert "mcp did not start" in error["message"]
    assert variables["INFOBIP_API_KEY"] not in stderr


def test_the_key_comes_from_a_connection_file(tmp_path: Path) -> None:
    # A key the sandbox never sees: the server starts with it and says nothing of the sandbox.
    key = "file-key-0123456789abcdef"
    connection = tmp_path / "connection.json"
    connection.write_text(json.dumps({"token": key, "baseUrl": "http://127.0.0.1:9"}))

    async def scenario(client: Client) -> None:
        result = await client.call_tool("getSmsLogs", {})
        assert result.is_error
        assert result.meta is None or "infobip-connector/sandbox" not in result.meta
        assert key not in result.content[0].text
        assert key not in json.dumps(result.structured_content)

    session(over_stdio("--connection", str(connection)), scenario)


def test_streamable_http_on_loopback() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "infobip_connector", "mcp", "--sandbox", "--http", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        url = ""
        for line in server.stderr:
            if "streamable HTTP" in line:
                url = line.rsplit(" ", 1)[1].strip()
                break
        assert url.startswith("http://127.0.0.1:") and url.endswith("/mcp"), url

        async def scenario(client: Client) -> None:
            preview = await client.call_tool("previewSms", {"text": "Hello"})
            assert not preview.is_error
            assert preview.meta is not None and preview.meta["infobip-connector/sandbox"]

        session(url, scenario)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.stdout is not None and server.stdout.read() == ""


def test_a_port_in_use_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run_cli(capsys, "mcp", "--sandbox", "--http", "--port", str(port))
    assert (code, out) == (2, "")
    error = error_of(err)
    assert error["details"]["errors"][0]["path"] == "--port"
    assert "in use" in error["message"]
