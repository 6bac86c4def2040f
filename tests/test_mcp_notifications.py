"""MCP: a ``tools/call`` sent as a notification (no ``id``) is not run, and stderr says so.

Its answer, the only record of a send (its IDs, or an ``outcome_unknown``), could never be
given; the SDK drops such a message, and the server logs one line naming the method, as
``serve`` does for ``execute``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("mcp")

from .conftest import ROOT
from .mcp_messages import HELLO

SEND = {
    "name": "sendSms",
    "arguments": {"messages": [{"destinations": [{"to": "+41793026727"}], "text": "Hello"}]},
}


def message(method: str, params: dict[str, Any], request_id: int | None = None) -> bytes:
    sent: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
    if request_id is not None:
        sent["id"] = request_id
    return json.dumps(sent).encode()


def test_a_tools_call_notification_sends_nothing_and_says_so() -> None:
    lines = [
        message("initialize", HELLO, 0),
        b'{"jsonrpc":"2.0","method":"notifications/initialized"}',
        message("tools/call", SEND),
        message("tools/call", {"name": "getSmsLogs", "arguments": {}}, 2),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "infobip_connector", "mcp", "--sandbox", "-v"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["id"] for a in answers] == [0, 2]
    assert answers[1]["result"]["structuredContent"] == {"results": []}  # nothing was sent
    assert "POST sandbox:/sms/2/text/advanced" not in stderr
    [said] = [line for line in stderr.splitlines() if "notification" in line]
    assert "notification tools/call not run" in said and "give it an id" in said
