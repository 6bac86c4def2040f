"""``infobip-connector serve`` as engines run it: a child process over pipes.

Its requests go to the sandbox over HTTP (each request's own connection), so the sandbox can
hold one at Infobip's side while the worker is told to stop.
"""

from __future__ import annotations

import json
import signal
import time
from typing import Any

import pytest

from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .serve_support import SMS, answers_of, by_id, request, spawn

KEY = "serve-process-key-8c9d0e1f"
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}
SMS_PATH = "/sms/2/text/advanced"


def execute(request_id: Any, server: SandboxServer, **extra: Any) -> bytes:
    connection = {"token": KEY, "baseUrl": server.url, **extra}
    return request(request_id, "execute", action="sendSms", input=SMS, connection=connection)


def wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.01)


def test_end_of_input_answers_every_request_in_flight_before_exiting(
    server: SandboxServer, sandbox: Sandbox
) -> None:
    sandbox.script("POST", SMS_PATH, *[Fault(delay=0.3, process=True)] * 3)
    worker = spawn()
    lines = b"".join(execute(n, server) + b"\n" for n in range(3))
    stdout, stderr = worker.communicate(lines, timeout=60)
    assert worker.returncode == 0, stderr
    answers = by_id(answers_of(stdout))
    assert sorted(answers) == [0, 1, 2]
    sent = {a["result"]["messages"][0]["messageId"] for a in answers.values()}
    assert sent == sandbox.accepted_message_ids


def test_sigterm_reports_a_send_in_flight_with_the_ids_to_check(
    server: SandboxServer, sandbox: Sandbox
) -> None:
    sandbox.script("POST", SMS_PATH, Fault(drop="hang", process=True))
    worker = spawn("--grace", "0")
    assert worker.stdin is not None
    worker.stdin.write(execute(1, server) + b"\n")
    worker.stdin.flush()
    wait_for(lambda: sandbox.accepted_message_ids, "the send reached the sandbox")
    worker.send_signal(signal.SIGTERM)
    stdout, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 0
    [answer] = answers_of(stdout)
    assert answer["id"] == 1 and answer["error"]["code"] == -32004
    details = answer["error"]["data"]["error"]["details"]
    assert set(details["messageIds"]) == sandbox.accepted_message_ids
    assert b"Traceback" not in stderr


def test_bad_input_is_answered_line_by_line_and_the_worker_goes_on() -> None:
    worker = spawn("--sandbox", "--max-line-bytes", "8192")
    lines = [
        b"x" * 20000,  # over the bound
        b"\xff\xfe\x00\x01binary",
        b"[" * 3000 + b"]" * 3000,  # deeper than JSON is read
        b'{"jsonrpc": "2.0", "method": "definition", "id": "alive"}',
        b"   ",  # blank: ignored
        request("last", "schema", action="sendSms")[:-1] + b"}",  # no newline: end of input
    ]
    stdout, stderr = worker.communicate(b"\n".join(lines), timeout=60)
    assert worker.returncode == 0, stderr
    answers = answers_of(stdout)
    assert [a["error"]["code"] for a in answers[:3]] == [-32600, -32700, -32700]
    assert "8192 bytes" in answers[0]["error"]["message"]
    assert answers[3]["id"] == "alive" and "result" in answers[3]
    assert answers[4]["id"] == "last" and answers[4]["result"]["type"] == "object"
    assert len(answers) == 5


def test_stdout_carries_answers_only(tmp_path: Any) -> None:
    worker = spawn("--sandbox", "-v")
    stdout, stderr = worker.communicate(request(1, "testConnection") + b"\n", timeout=60)
    assert [a["id"] for a in answers_of(stdout)] == [1]
    assert b"embedded sandbox" in stderr  # notices and logs go to stderr


@pytest.mark.parametrize(
    ("options", "path"),
    [
        (["--sandbox", "--connection", "c.json"], "--connection"),
        (["--max-in-flight", "0"], ""),
        (["--grace", "nan"], ""),
    ],
)
def test_wrong_options_stop_the_worker_before_it_reads(options: list[str], path: str) -> None:
    worker = spawn(*options)
    stdout, stderr = worker.communicate(b"", timeout=60)
    assert worker.returncode == 2 and stdout == b""
    error = json.loads(stderr.splitlines()[-1])["error"]
    assert error["type"] == "usage"
    assert error["details"]["errors"][0]["path"] == path


def test_stdin_from_a_file_is_read_too(tmp_path: Any) -> None:
    path = tmp_path / "requests.jsonl"
    path.write_bytes(request(1, "definition") + b"\n" + request(2, "schema", action="connection"))
    with path.open("rb") as stdin:
        worker = spawn("--sandbox", stdin=stdin)
        stdout, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 0, stderr
    assert sorted(a["id"] for a in answers_of(stdout)) == [1, 2]


def test_a_client_writing_faster_than_the_worker_runs_gets_every_answer() -> None:
    worker = spawn("--sandbox", "--max-in-flight", "1")
    lines = b"".join(
        request(n, "validate", action="sendSms", input=SMS) + b"\n" for n in range(400)
    )
    stdout, stderr = worker.communicate(lines, timeout=120)
    assert worker.returncode == 0, stderr
    answers = answers_of(stdout)
    assert [a["id"] for a in answers] == list(range(400))  # one at a time: in order
    assert all("result" in a for a in answers)


def test_a_stop_does_not_wait_for_a_read_it_cut_off(
    server: SandboxServer, sandbox: Sandbox
) -> None:
    """A read runs on a thread nothing can stop; once its request is answered as cut off,
    the worker exits without waiting for the read's own timeout (30 s here)."""
    sandbox.script("GET", "/account/1/balance", Fault(drop="hang"))
    worker = spawn("--grace", "0")
    assert worker.stdin is not None
    connection = {"token": KEY, "baseUrl": server.url, "readTimeout": 30}
    worker.stdin.write(request(1, "testConnection", connection=connection) + b"\n")
    worker.stdin.flush()
    wait_for(lambda: sandbox.request_counts["/account/1/balance"], "the read reached it")
    worker.send_signal(signal.SIGTERM)
    # Well inside the read timeout: before, the exit waited for the hung read to time out.
    stdout, stderr = worker.communicate(timeout=15)
    assert worker.returncode == 0, stderr
    [answer] = answers_of(stdout)
    assert answer["id"] == 1 and answer["error"]["code"] == -32004
    assert b"Traceback" not in stderr
