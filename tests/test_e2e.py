"""End to end over real sockets: the CLI and the Python API against the sandbox as a server."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from infobip_connector import aclose_pooled_clients, component
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .conftest import ROOT

KEY = "e2e-key-7c1d-0a9b8c7d"
SMS = {
    "messages": [
        {
            "destinations": [{"to": "+41 79 302 67 27"}, {"to": "41793026728"}],
            "text": "Hello from the end-to-end test",
            "from": "InfoSMS",
        }
    ]
}
WHATSAPP = {"from": "447860099299", "to": "41793026727", "content": {"text": "Hello"}}
SMS_PATH = "/sms/2/text/advanced"


# The shared sandbox server (conftest) checks this key and sends no delivery reports.
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}


def cli(
    server_url: str, *args: str, key: str = KEY, stdin: Any = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "INFOBIP_API_KEY": key,
        "INFOBIP_BASE_URL": server_url,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "infobip_connector", *args],
        input=json.dumps(stdin) if stdin is not None else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def error_of(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    last = result.stderr.strip().splitlines()[-1]
    error: dict[str, Any] = json.loads(last)["error"]
    return error


@pytest.mark.parametrize(
    ("action", "values"), [("sendSms", SMS), ("sendWhatsappTextMessage", WHATSAPP)]
)
def test_cli_run_succeeds(
    server: SandboxServer, sandbox: Sandbox, action: str, values: dict[str, Any]
) -> None:
    result = cli(server.url, "run", action, "--input", "-", stdin=values)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    if action == "sendSms":
        assert [m["to"] for m in output["messages"]] == ["41793026727", "41793026728"]
        assert {m["status"]["name"] for m in output["messages"]} == {"PENDING_ACCEPTED"}
    else:
        assert output["status"]["name"] == "PENDING_ENROUTE" and output["messageCount"] == 1
    assert len(sandbox.requests) == 1
    assert KEY not in result.stdout + result.stderr


def test_cli_check(server: SandboxServer, sandbox: Sandbox) -> None:
    result = cli(server.url, "check")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True
    assert "balance" in json.loads(result.stdout)


def test_cli_input_error_sends_nothing(server: SandboxServer, sandbox: Sandbox) -> None:
    bad = {
        "messages": [
            {"destinations": [{"to": "41793026727"}, {"to": "(415) 555-2671"}], "text": "x"}
        ]
    }
    result = cli(server.url, "run", "sendSms", "--input", "-", stdin=bad)
    assert result.returncode == 2
    error = error_of(result)
    assert error["type"] == "input"
    assert error["details"]["errors"][0]["path"] == "messages[0].destinations[1].to"
    assert sandbox.requests == []


@pytest.mark.parametrize("command", [["run", "sendSms", "--input", "-"], ["check"]])
def test_cli_authentication_error(
    server: SandboxServer, sandbox: Sandbox, command: list[str]
) -> None:
    result = cli(server.url, *command, key="wrong-key-1234-5678", stdin=SMS)
    assert result.returncode == 5
    assert error_of(result)["type"] == "authentication"
    assert "wrong-key-1234-5678" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("fault", "exit_code", "kind"),
    [
        (
            Fault(
                status=400,
                body={
                    "requestError": {
                        "serviceException": {
                            "messageId": "BAD_REQUEST",
                            "text": "Bad request",
                            "validationErrors": {"messages[0].text": ["must not be blank"]},
                        }
                    }
                },
            ),
            3,
            "rejected",
        ),
        (Fault(status=429, headers={"Retry-After": "3600"}), 3, "rate_limited"),
        (Fault(status=500, process=True), 4, "outcome_unknown"),
        (Fault(drop="before_response", process=True), 4, "outcome_unknown"),
    ],
)
def test_cli_error_classes(
    server: SandboxServer, sandbox: Sandbox, fault: Fault, exit_code: int, kind: str
) -> None:
    sandbox.script("POST", SMS_PATH, fault)
    result = cli(server.url, "run", "sendSms", "--input", "-", stdin=SMS)
    assert result.returncode == exit_code, result.stderr
    error = error_of(result)
    assert error["type"] == kind
    assert len(sandbox.requests) == 1
    if kind == "outcome_unknown":
        assert len(error["details"]["messageIds"]) == 2
        assert set(error["details"]["messageIds"]) == sandbox.accepted_message_ids
    if kind == "rejected":
        assert error["details"]["violations"][0]["field"] == "messages[0].text"


def test_cli_unreachable(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connection = tmp_path / "connection.json"
    connection.write_text(
        json.dumps(
            {
                "token": KEY,
                "baseUrl": f"http://127.0.0.1:{port}",
                "connectTimeout": 0.5,
                "deadline": 5,
            }
        )
    )
    result = cli(
        "unused", "run", "sendSms", "--input", "-", "--connection", str(connection), stdin=SMS
    )
    assert result.returncode == 5
    assert error_of(result)["type"] == "unreachable"
    assert error_of(result)["details"]["attempts"] == 3


def test_cli_summarises_rejected_messages(server: SandboxServer, sandbox: Sandbox) -> None:
    sandbox.set_idempotent_sending(True)  # the repeat below is then rejected as a duplicate
    values = {
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "same-id"}], "text": "x"}]
    }
    assert cli(server.url, "run", "sendSms", "--input", "-", stdin=values).returncode == 0
    again = cli(server.url, "run", "sendSms", "--input", "-", stdin=values)
    assert again.returncode == 0
    assert (
        json.loads(again.stdout)["messages"][0]["status"]["name"] == "REJECTED_DUPLICATE_MESSAGE_ID"
    )
    assert "rejected 1 of 1 message(s)" in again.stderr
    assert "same-id" in again.stderr


def test_cli_without_a_key_refuses_instead_of_faking_a_send() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOBIP_")}
    command = [sys.executable, "-m", "infobip_connector", "run", "sendWhatsappTextMessage"]
    for extra in ([], ["--sandbox"]):
        result = subprocess.run(
            [*command, "--input", "-", *extra],
            input=json.dumps(WHATSAPP),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**env, "PYTHONPATH": str(ROOT)},
        )
        if not extra:
            assert (result.returncode, result.stdout) == (2, "")
            assert "--sandbox" in error_of(result)["message"]
        else:
            assert result.returncode == 0, result.stderr
            assert "embedded sandbox" in result.stderr
            assert json.loads(result.stdout)["status"]["groupName"] == "PENDING"


def test_steps_chain_through_plain_data(server: SandboxServer, sandbox: Sandbox) -> None:
    """An engine hands the next step plain JSON data; nothing of ours travels along."""
    connection = {"token": KEY, "baseUrl": server.url}
    first = json.loads(json.dumps(component.execute("sendSms", SMS, connection)))
    second_input = {
        **WHATSAPP,
        "to": first["messages"][1]["to"],
        "callbackData": f"bulk={first['bulkId']};first={first['messages'][0]['messageId']}",
    }
    second = component.execute("sendWhatsappTextMessage", second_input, connection)
    assert second["to"] == "41793026728"
    sent = sandbox.requests[-1].body
    assert (
        sent["callbackData"] == f"bulk={first['bulkId']};first={first['messages'][0]['messageId']}"
    )
    assert len(sandbox.accepted_message_ids) == 3


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").exists() else 0


def test_200_concurrent_async_executions(server: SandboxServer, sandbox: Sandbox) -> None:
    connection = {"token": KEY, "baseUrl": server.url}

    async def run() -> list[dict[str, Any]]:
        try:
            return await asyncio.gather(
                *(
                    component.execute_async(
                        "sendWhatsappTextMessage", {**WHATSAPP, "messageId": f"c-{i}"}, connection
                    )
                    for i in range(200)
                )
            )
        finally:
            await aclose_pooled_clients()

    before = _open_fds()
    outputs = asyncio.run(run())
    assert [o["messageId"] for o in outputs] == [f"c-{i}" for i in range(200)]
    assert all(o["status"]["groupName"] == "PENDING" for o in outputs)
    assert len(sandbox.accepted_message_ids) == 200
    # The server's side of each connection closes on its own thread once it sees EOF.
    deadline = time.monotonic() + 5
    while _open_fds() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _open_fds() <= before
