"""No answer or log line of ``serve`` holds a key, whichever way the key came and whatever failed.

The worker runs as a child process with ``-v`` (every request logged) against the sandbox
over HTTP; its whole stdout and stderr are searched for each key it was given.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infobip_connector.sandbox import SandboxServer

from .conftest import CANARY
from .serve_support import SMS, answers_of, by_id, request, spawn

SANDBOX_OPTIONS = {"api_key": CANARY, "deliver_reports": False}
WRONG = "wrong-key-0a1b2c3d4e5f6a7b"


def execute(request_id: int, connection: object = None, values: object = SMS) -> bytes:
    params = {"action": "sendSms", "input": values}
    if connection is not None:
        params["connection"] = connection
    return request(request_id, "execute", **params)


def run(lines: list[bytes], *options: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    worker = spawn("-v", *options, env=env)
    stdout, stderr = worker.communicate(b"\n".join(lines) + b"\n", timeout=120)
    assert worker.returncode == 0, stderr
    return stdout.decode(), stderr.decode()


def test_a_default_key_from_the_environment_stays_out_of_answers_and_logs(
    server: SandboxServer,
) -> None:
    env = {"INFOBIP_API_KEY": CANARY, "INFOBIP_BASE_URL": server.url}
    with_key = {"messages": [{"destinations": [{"to": "41793026727"}], "text": f"k {CANARY}"}]}
    lines = [
        request(1, CANARY),  # a method named like the key
        request(2, "schema", action=CANARY),
        execute(3),
        execute(4, values={"messages": [{"destinations": [{"to": CANARY}], "text": "x"}]}),
        execute(5, values=with_key),
        request(6, "testConnection"),
        b'{"jsonrpc": "2.0", "id": 7, "method": "execute", "params": {"connection": {"token": "'
        + CANARY.encode(),
    ]
    stdout, stderr = run(lines, env=env)
    answers = by_id(answers_of(stdout.encode()))
    assert "result" in answers[3] and "result" in answers[6]
    assert answers[4]["error"]["code"] == -32002
    assert len(answers) == 7 and answers[None]["error"]["code"] == -32700
    assert CANARY not in stdout
    assert CANARY not in stderr
    assert "POST http://127.0.0.1" in stderr  # -v logged the sends


def test_a_requests_own_key_stays_out_of_answers_and_logs_on_every_failure(
    server: SandboxServer, tmp_path: Path
) -> None:
    lines = [
        execute(1, {"token": WRONG, "baseUrl": server.url}),  # refused: authentication
        execute(2, {"token": WRONG, "baseUrl": f"https://{WRONG}.example.com"}),
        execute(3, {"token": WRONG, "baseUrl": f"http://127.0.0.1:1/{WRONG}"}),
        execute(4, {"token": f"{WRONG} x", "baseUrl": server.url}),
        execute(5, WRONG),
        execute(6, {"token": CANARY, "baseUrl": server.url, "readTimeout": WRONG}),
    ]
    stdout, stderr = run(lines)
    answers = by_id(answers_of(stdout.encode()))
    assert answers[1]["error"]["data"]["error"]["type"] == "authentication"
    assert answers[2]["error"]["data"]["error"]["type"] == "configuration"
    assert answers[5]["error"]["code"] == -32602
    assert len(answers) == 6
    for key in (WRONG, CANARY):
        assert key not in stdout
        assert key not in stderr


def test_a_key_from_a_connection_file_stays_out_of_answers_and_logs(
    server: SandboxServer, tmp_path: Path
) -> None:
    path = tmp_path / "connection.json"
    path.write_text(json.dumps({"token": CANARY, "baseUrl": server.url}), encoding="utf-8")
    stdout, stderr = run([execute(1), request(2, "testConnection")], "--connection", str(path))
    assert all("result" in a for a in answers_of(stdout.encode()))
    assert CANARY not in stdout and CANARY not in stderr


@pytest.mark.parametrize("token", ["", "   "])
def test_a_connection_file_without_a_key_stops_the_worker(tmp_path: Path, token: str) -> None:
    path = tmp_path / "connection.json"
    path.write_text(json.dumps({"token": token}), encoding="utf-8")
    worker = spawn("--connection", str(path))
    stdout, stderr = worker.communicate(b"", timeout=60)
    assert worker.returncode == 2 and stdout == b""
    assert json.loads(stderr.splitlines()[-1])["error"]["type"] == "usage"
