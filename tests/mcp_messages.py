"""The MCP messages that open a session, as plain JSON: no ``mcp`` import, so tests that run
without the extra (a server's start-up and stop paths) share them too."""

from __future__ import annotations

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
