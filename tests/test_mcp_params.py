"""A request with wrong params gets -32602 whose data names each field by path (badparams.py)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("mcp")

import anyio
import mcp_types as types
from mcp.shared.exceptions import MCPError

from infobip_connector.hosts.mcp.badparams import ParamsErrors, params_errors
from infobip_connector.sandbox import Sandbox

from .mcp_support import Answer, Send, in_process

KEY = "k" * 32


def _answers(*requests: tuple[str, dict[str, Any] | None]) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []

    async def steps(send: Send, answer: Answer) -> None:
        for number, (method, params) in enumerate(requests, start=1):
            request: dict[str, Any] = {"id": number, "method": method}
            if params is not None:
                request["params"] = params
            await send(request)
            got.append(await answer(number))

    in_process(Sandbox(), KEY, steps)
    return got


def _errors(answer: dict[str, Any]) -> list[dict[str, str]]:
    error = answer["error"]
    assert error["code"] == types.INVALID_PARAMS
    data = error["data"]
    assert data["type"] == "input"
    assert data["message"] == error["message"]
    errors: list[dict[str, str]] = data["details"]["errors"]
    return errors


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"name": "sendSms", "arguments": [1]},
            [{"path": "params.arguments", "message": "must be an object"}],
        ),
        (
            {"name": "sendSms", "arguments": "text"},
            [{"path": "params.arguments", "message": "must be an object"}],
        ),
        ({"arguments": {}}, [{"path": "params.name", "message": "is required"}]),
        ({"name": 5, "arguments": {}}, [{"path": "params.name", "message": "must be a string"}]),
        (None, [{"path": "params", "message": "is required"}]),
        (
            {"name": "sendFax", "arguments": {}},
            [{"path": "params.name", "message": "must be one of: sendSms"}],
        ),
        (
            {"name": 5, "arguments": 5},
            [
                {"path": "params.arguments", "message": "must be an object"},
                {"path": "params.name", "message": "must be a string"},
            ],
        ),
        (
            {"name": "nope", "arguments": 5, "_meta": 5},
            [
                {"path": "params._meta", "message": "must be an object"},
                {"path": "params.arguments", "message": "must be an object"},
                {"path": "params.name", "message": "must be one of: sendSms"},
            ],
        ),
        (
            {"name": "nope", "arguments": []},
            [
                {"path": "params.arguments", "message": "must be an object"},
                {"path": "params.name", "message": "must be one of: sendSms"},
            ],
        ),
        (
            {"name": "sendSms", "arguments": {}, "_meta": {"progressToken": [1]}},
            [
                {
                    "path": "params._meta.progressToken",
                    "message": "must be a string or an integer",
                }
            ],
        ),
    ],
)
def test_a_tool_call_with_wrong_params_names_the_field(
    params: dict[str, Any] | None, expected: list[dict[str, str]]
) -> None:
    (answer,) = _answers(("tools/call", params))
    assert _errors(answer) == expected
    message = answer["error"]["message"]
    assert all(e["path"] in message for e in expected) or "unknown tool 'sendFax'" in message


def test_other_methods_name_the_field_too() -> None:
    read, unknown, listed = _answers(
        ("resources/read", {"uri": 3}),
        ("resources/read", {"uri": "infobip-connector://nothing"}),
        ("tools/list", {"cursor": 3}),
    )
    assert _errors(read) == [{"path": "params.uri", "message": "must be a string"}]
    assert [e["path"] for e in _errors(unknown)] == ["params.uri"]
    assert "unknown resource" in unknown["error"]["message"]
    assert _errors(listed) == [{"path": "params.cursor", "message": "must be a string"}]


def test_a_request_before_the_handshake_says_so() -> None:
    async def refused(_ctx: Any) -> Any:
        # What the SDK raises for a request before initialize.
        raise MCPError(types.INVALID_PARAMS, "Invalid request parameters", data="")

    async def run() -> None:
        with pytest.raises(MCPError) as raised:
            await ParamsErrors()(None, refused)  # type: ignore[arg-type]
        data = raised.value.data
        assert [e["path"] for e in data["details"]["errors"]] == ["method"]
        assert "initialize" in data["details"]["errors"][0]["message"]

    anyio.run(run)


def test_an_error_with_data_of_its_own_passes_unchanged() -> None:
    async def own(_ctx: Any) -> Any:
        raise MCPError(types.INVALID_PARAMS, "mine", data={"x": 1})

    async def run() -> None:
        with pytest.raises(MCPError) as raised:
            await ParamsErrors()(None, own)  # type: ignore[arg-type]
        assert raised.value.data == {"x": 1}

    anyio.run(run)


def test_no_input_is_quoted() -> None:
    secret = "s3cr3t-value-never-echoed"
    found = [{"type": "value_error", "loc": ("params", "name"), "msg": f"bad {secret}"}]
    assert params_errors(found) == [
        {
            "path": "params.name",
            "message": "is not valid here (see this method's params in the MCP specification)",
        }
    ]
    assert params_errors([{"type": "list_type", "loc": ("params", "items", 2, "x")}]) == [
        {"path": "params.items[2].x", "message": "must be an array"}
    ]
