"""The MCP messages that open a session, as plain JSON: no ``mcp`` import, so tests that run
without the extra (a server's start-up and stop paths) share them too."""

from __future__ import annotations

import json
from typing import Any

#: ``initialize`` params of a test client.
HELLO: dict[str, Any] = {
    "protocolVersion": "2025-06-18",
    "capabilities": {},
    "clientInfo": {"name": "test", "version": "0"},
}


def initialize(request_id: int = 0) -> dict[str, Any]:
    """The ``initialize`` request with id ``request_id``."""
    return {"jsonrpc": "2.0", "id": request_id, "method": "initialize", "params": HELLO}


def result_error(result: dict[str, Any]) -> dict[str, Any]:
    """The error object of an error result (``{"type", "message", "details"}``), as a client
    reads it: the last line of its text; the result carries no ``structuredContent``."""
    assert result.get("isError") is True and "structuredContent" not in result, result
    found: dict[str, Any] = json.loads(result["content"][0]["text"].splitlines()[-1])["error"]
    return found
