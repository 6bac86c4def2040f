"""The MCP server stopping with a send in flight: its outcome is answered or logged, never lost.

Real processes (``infobip-connector mcp``, stdio and ``--http``) against a sandbox server
on loopback whose Send SMS is accepted at once and answered late, as Infobip may be. A
stop signal or the end of input lets the send end and be answered; one that outlives
``--grace`` is answered ``outcome_unknown`` with its IDs and key; whatever could not be
answered is logged on stderr with its IDs and key. Skipped without the ``mcp`` extra.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp")

import httpx

from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .conftest import ROOT
from .mcp_messages import HELLO, result_error
from .mcp_support import in_process

KEY = "mcp-stop-key-4f1e-9a8b7c6d"
SEND_PATH = "/sms/2/text/advanced"
SMS = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": "Hello"}]}


@pytest.fixture
def late(tmp_path: Path) -> Iterator[tuple[Sandbox, Path]]:
    """A sandbox whose sends are accepted, then answered 2 s late; its connection file."""
    account = Sandbox(KEY, deliver_reports=False)
    account.script("POST", SEND_PATH, *[Fault(delay=2.0, process=True)] * 4)
    with SandboxServer(account) as server:
        connection = tmp_path / "conn.json"
        connection.write_text(json.dumps({"token": KEY, "baseUrl": server.url}))
        yield account, connection


def _start(connection: Path, *flags: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "infobip_connector", "mcp", "--connection", str(connection)]
    return subprocess.Popen(
        [*command, *flags],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _write(server: subprocess.Popen[bytes], message: dict[str, Any]) -> None:
    assert server.stdin is not None
    server.stdin.write(json.dumps({"jsonrpc": "2.0", **message}).encode() + b"\n")
    server.stdin.flush()


def _call(request_id: int, key: str) -> dict[str, Any]:
    arguments = {**SMS, "idempotency_key": key}
    return {
        "id": request_id,
        "method": "tools/call",
        "params": {"name": "sendSms", "arguments": arguments},
    }


def _sent(account: Sandbox, count: int = 1) -> None:
    """Wait until the sandbox has accepted ``count`` sends (their answers are now late)."""
    deadline = time.monotonic() + 30
    while len(account.requests) < count:
        assert time.monotonic() < deadline, "the send never arrived"
        time.sleep(0.02)


def _stdio_up_to_a_send(account: Sandbox, connection: Path, *flags: str) -> subprocess.Popen[bytes]:
    """A stdio server, initialized, with one send (key ``k-1``) now waiting for its answer."""
    server = _start(connection, *flags)
    _write(server, {"id": 0, "method": "initialize", "params": HELLO})
    assert server.stdout is not None
    assert json.loads(server.stdout.readline())["id"] == 0
    _write(server, {"method": "notifications/initialized"})
    _write(server, _call(1, "k-1"))
    _sent(account)
    return server


def _end(server: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """Its stdout and stderr once it has exited (stdin closed, if it was not)."""
    assert server.stdin is not None and server.stdout is not None and server.stderr is not None
    if not server.stdin.closed:
        server.stdin.close()
    out = b"" if server.stdout.closed else server.stdout.read()
    err = server.stderr.read()  # short: a few log lines
    server.wait(timeout=30)
    return out, err


def _answers(out: bytes) -> dict[Any, Any]:
    return {m.get("id"): m for m in map(json.loads, out.splitlines()) if "id" in m}


def _accepted(account: Sandbox) -> int:
    return len(account.accepted_messages)


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT", "SIGHUP", "end of input"])
def test_stdio_stop_answers_the_send_in_flight(late: tuple[Sandbox, Path], stop: str) -> None:
    account, connection = late
    server = _stdio_up_to_a_send(account, connection)
    if stop == "end of input":
        assert server.stdin is not None
        server.stdin.close()
        out, err = _end(server)
    else:
        server.send_signal(getattr(signal, stop))
        out, err = _end(server)
    assert server.returncode == 0, err.decode()
    result = _answers(out)[1]["result"]
    assert result["isError"] is False
    assert result["structuredContent"]["messages"][0]["status"]["groupName"] == "PENDING"
    assert _accepted(account) == 1


def test_stdio_a_send_past_the_grace_is_answered_outcome_unknown_with_ids_and_key(
    late: tuple[Sandbox, Path],
) -> None:
    account, connection = late
    server = _stdio_up_to_a_send(account, connection, "--grace", "0.2")
    server.send_signal(signal.SIGTERM)
    out, err = _end(server)
    assert server.returncode == 0, err.decode()
    error = result_error(_answers(out)[1]["result"])
    assert error["type"] == "outcome_unknown"
    assert error["details"]["idempotency_key"] == "k-1"
    assert error["details"]["messageIds"] and error["details"]["bulkId"]
    assert _accepted(account) == 1
    assert KEY not in err.decode()


def test_stdio_a_send_whose_answer_cannot_be_written_is_logged_with_ids_and_key(
    late: tuple[Sandbox, Path],
) -> None:
    account, connection = late
    server = _stdio_up_to_a_send(account, connection)
    assert server.stdout is not None and server.stdin is not None
    server.stdout.close()  # the client is gone: nobody reads the answer
    server.stdin.close()
    _, err = _end(server)
    log = err.decode()
    [line] = [x for x in log.splitlines() if "answer not delivered" in x]
    assert "request 1 (sendSms)" in line and "idempotency_key='k-1'" in line
    ids = [m.message_id for m in account.accepted_messages]
    assert ids and ids[0] in line and "bulkId=" in line
    assert KEY not in log


def test_stdio_a_call_after_the_stop_is_refused_and_sends_nothing(
    late: tuple[Sandbox, Path],
) -> None:
    account, connection = late
    server = _stdio_up_to_a_send(account, connection)
    server.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    _write(server, _call(2, "k-2"))
    out, _ = _end(server)
    answers = _answers(out)
    assert answers[1]["result"]["isError"] is False
    refused = result_error(answers[2]["result"])
    assert refused["type"] == "stopped" and "nothing was sent" in refused["message"]
    assert _accepted(account) == 1


def test_stdio_a_call_read_after_stdout_lost_its_reader_is_refused_and_logged(
    late: tuple[Sandbox, Path],
) -> None:
    account, connection = late
    server = _stdio_up_to_a_send(account, connection)
    assert server.stdout is not None
    server.stdout.close()  # the client stops reading, and writes another call
    _write(server, _call(2, "k-2"))
    time.sleep(0.5)  # read and run (or not) while the input is still open
    _, err = _end(server)
    assert server.returncode == 0, err.decode()
    assert _accepted(account) == 1  # only the send already in flight
    lost = [x for x in err.decode().splitlines() if "answer not delivered" in x]
    [refused] = [x for x in lost if "request 2 (sendSms)" in x]
    assert "error stopped" in refused, refused
    assert any("request 1 (sendSms): it succeeded" in x for x in lost), lost


def test_http_stop_answers_the_send_in_flight_on_its_response(
    late: tuple[Sandbox, Path],
) -> None:
    account, connection = late
    server = _start(connection, "--http", "--port", "0", "--grace", "0.2")
    assert server.stderr is not None
    banner = server.stderr.readline().decode()
    url = re.search(r"http://\S+/mcp", banner)
    assert url is not None, banner
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    with httpx.Client(timeout=30) as client:
        hello = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": HELLO}
        opened = client.post(url.group(), headers=headers, json=hello)
        session = {**headers, "mcp-session-id": opened.headers["mcp-session-id"]}
        session["mcp-protocol-version"] = "2025-06-18"
        client.post(
            url.group(),
            headers=session,
            json={"jsonrpc": "2.0", "method": "notifications/initialized"},
        )
        answer: dict[str, Any] = {}

        def call() -> None:
            reply = client.post(
                url.group(), headers=session, json={"jsonrpc": "2.0", **_call(1, "h-1")}
            )
            answer["text"] = reply.text

        def listen() -> None:  # the server's own event stream, open until the stop
            try:
                with (
                    httpx.Client(timeout=30) as other,
                    other.stream(
                        "GET", url.group(), headers={**session, "Accept": "text/event-stream"}
                    ) as stream,
                ):
                    answer["stream"] = stream.read().decode()
            except httpx.HTTPError as exc:
                answer["stream"] = repr(exc)

        caller = threading.Thread(target=call)
        caller.start()
        listener = threading.Thread(target=listen)
        listener.start()
        _sent(account)
        server.send_signal(signal.SIGTERM)
        caller.join(30)
        listener.join(30)
    _, err = _end(server)
    assert server.returncode == 0, err.decode()
    [data] = [json.loads(x[5:]) for x in answer["text"].splitlines() if x.startswith("data:")]
    error = result_error(data["result"])
    assert error["type"] == "outcome_unknown" and error["details"]["idempotency_key"] == "h-1"
    # Its response ended whole: not logged as lost, and nothing waited for after it.
    assert "answer not delivered" not in err.decode()
    assert _accepted(account) == 1
    # The event stream ended cleanly at the stop, not cut off at uvicorn's timeout.
    assert "Error" not in answer["stream"], answer["stream"]
    assert "ERROR" not in err.decode() and "Traceback" not in err.decode(), err.decode()


def test_http_a_send_whose_client_left_is_logged_and_its_key_replays_it(
    late: tuple[Sandbox, Path],
) -> None:
    from infobip_connector.hosts.mcp.calls import REPLAY_META

    account, connection = late
    server = _start(connection, "--http", "--port", "0")
    assert server.stderr is not None
    banner = server.stderr.readline().decode()
    url = re.search(r"http://\S+/mcp", banner)
    assert url is not None, banner
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(map(bytes.decode, server.stderr)))
    reader.start()
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    keyless = {"name": "sendSms", "arguments": SMS}
    try:
        with httpx.Client(timeout=30) as client:
            hello = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": HELLO}
            opened = client.post(url.group(), headers=headers, json=hello)
            session = {**headers, "mcp-session-id": opened.headers["mcp-session-id"]}
            session["mcp-protocol-version"] = "2025-06-18"
            note = {"jsonrpc": "2.0", "method": "notifications/initialized"}
            client.post(url.group(), headers=session, json=note)
            call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": keyless}
            with httpx.Client(timeout=0.5) as impatient, pytest.raises(httpx.ReadTimeout):
                impatient.post(url.group(), headers=session, json=call)  # leaves mid-send
            deadline = time.monotonic() + 30
            while not any("answer not delivered" in line for line in log):
                assert time.monotonic() < deadline, "".join(log)
                time.sleep(0.05)
            [line] = [x for x in log if "answer not delivered" in x]
            assert "request 1 (sendSms): it succeeded" in line, line
            ids = [m.message_id for m in account.accepted_messages]
            assert ids and ids[0] in line and "bulkId=" in line
            key = re.search(r"idempotency_key='(mcp-[^']+)'", line)
            assert key is not None, line
            again = {**keyless, "arguments": {**SMS, "idempotency_key": key.group(1)}}
            retry = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": again}
            reply = client.post(url.group(), headers=session, json=retry)
        [data] = [json.loads(x[5:]) for x in reply.text.splitlines() if x.startswith("data:")]
        assert data["result"]["isError"] is False
        assert data["result"]["_meta"][REPLAY_META] is True  # a replay: nothing sent again
        assert _accepted(account) == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        reader.join(30)
    assert KEY not in "".join(log)


# -- in process: a cancelled request, and the protocol's small requests ------------------------


def test_a_cancelled_send_is_logged_and_its_result_kept_for_the_same_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import anyio

    from infobip_connector.hosts.mcp.calls import REPLAY_META

    account = Sandbox(KEY, deliver_reports=False)
    account.script("POST", SEND_PATH, Fault(delay=0.5, process=True))

    async def steps(send: Any, answer: Any) -> None:
        await send(_call(1, "cancel-2"))
        while not account.requests:
            await anyio.sleep(0.01)
        await send({"method": "notifications/cancelled", "params": {"requestId": 1}})
        await anyio.sleep(1.0)  # the send has ended by now, unanswered
        await send(_call(2, "cancel-2"))
        replay = (await answer(2))["result"]
        assert replay["isError"] is False and replay["_meta"][REPLAY_META] is True
        assert replay["structuredContent"]["messages"][0]["status"]["groupName"] == "PENDING"

    with caplog.at_level("WARNING", logger="infobip_connector.mcp"):
        in_process(account, KEY, steps)
    assert len(account.accepted_messages) == 1  # the retry sent nothing
    [line] = [r.getMessage() for r in caplog.records if "answer not delivered" in r.getMessage()]
    assert "request 1 (sendSms)" in line and "cancel-2" in line
    assert account.accepted_messages[0].message_id in line and "bulkId=" in line


def test_a_cancelled_pull_logs_the_ids_of_the_items_it_took(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import anyio

    account = Sandbox(KEY)  # delivers a report for each message sent
    sent: dict[str, str] = {}

    async def steps(send: Any, answer: Any) -> None:
        await send(_call(1, "sent"))
        message_id = (await answer(1))["result"]["structuredContent"]["messages"][0]["messageId"]
        account.script("GET", "/sms/3/reports", Fault(delay=0.5, process=True))
        pull = {"name": "getSmsDeliveryReports", "arguments": {}}
        await send({"id": 2, "method": "tools/call", "params": pull})
        while len(account.requests) < 2:
            await anyio.sleep(0.01)
        await send({"method": "notifications/cancelled", "params": {"requestId": 2}})
        await anyio.sleep(1.0)
        sent["messageId"] = message_id

    with caplog.at_level("WARNING", logger="infobip_connector.mcp"):
        in_process(account, KEY, steps, "sendSms", "getSmsDeliveryReports")
    [line] = [r.getMessage() for r in caplog.records if "answer not delivered" in r.getMessage()]
    assert "request 2 (getSmsDeliveryReports)" in line
    assert sent["messageId"] in line


def test_resource_templates_are_listed_empty() -> None:
    async def steps(send: Any, answer: Any) -> None:
        await send({"id": 5, "method": "resources/templates/list"})
        assert (await answer(5))["result"]["resourceTemplates"] == []

    in_process(Sandbox(KEY, deliver_reports=False), KEY, steps)


def test_stdio_a_line_that_is_no_message_gets_a_json_rpc_error(late: tuple[Sandbox, Path]) -> None:
    _, connection = late
    server = _start(connection)
    assert server.stdin is not None
    server.stdin.write(b'garbage\n{"a": 1}\n')
    _write(server, {"id": 1, "method": "ping"})
    out, _ = _end(server)
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(m.get("id"), m.get("error", {}).get("code")) for m in lines] == [
        (None, -32700),
        (None, -32600),
        (1, None),
    ]


def test_stdio_an_answer_stdout_cannot_take_is_logged_while_the_server_runs(
    late: tuple[Sandbox, Path],
) -> None:
    account, connection = late
    server = _stdio_up_to_a_send(account, connection)
    assert server.stdout is not None and server.stderr is not None
    server.stdout.close()  # the client stops reading; its stdin stays open
    lines: list[bytes] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + 30
    while not any(b"answer not delivered" in line for line in lines):
        assert time.monotonic() < deadline, b"".join(lines).decode()
        time.sleep(0.05)
    assert server.poll() is None  # logged while it runs, not at its end
    [line] = [x for x in lines if b"answer not delivered" in x]
    assert b"request 1 (sendSms)" in line and b"k-1" in line
    assert account.accepted_messages[0].message_id.encode() in line
    assert server.stdin is not None
    server.stdin.close()
    server.wait(timeout=30)
