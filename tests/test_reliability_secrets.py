"""The API key stays secret over real sockets: DEBUG logs of every library, errors and their
chains, tracebacks rendered with their locals, reprs, outputs, the sandbox's request record
and the CLI run as a real subprocess; on the sync and the async (aiohttp) path.

tests/test_secrets.py covers the same promise in-process with a mocked transport; this module
adds what only real sockets exercise: httpcore's connection logging, transport exceptions raised
by a real socket, a server that echoes the key back, and a redirect that points elsewhere.
The sandbox only accepts the canary as its key, so a successful send also proves the key did
travel in the Authorization header, the one place it belongs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest

from infobip_connector import ConnectorError, component
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer
from infobip_connector.transport import exchange

from .conftest import CANARY, ROOT

SMS = "/sms/2/text/advanced"
VALUES = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hello"}]}

SCENARIOS: dict[str, list[Fault]] = {
    "success": [],
    "500": [Fault(status=500)],
    "500 echoing the key": [Fault(status=500, body=f"bad request from App {CANARY}")],
    "400 echoing the key": [
        Fault(
            status=400,
            body={
                "requestError": {
                    "serviceException": {
                        "messageId": "BAD_REQUEST",
                        "text": f"Authorization: App {CANARY} is not allowed",
                        "validationErrors": {CANARY: [f"key {CANARY}"]},
                    }
                }
            },
        )
    ],
    "200 not JSON echoing the key": [Fault(status=200, body=f"<html>{CANARY}</html>")],
    "dropped": [Fault(drop="before_response")],
    "dropped mid-body": [Fault(status=200, drop="mid_body", process=True)],
    "never answers": [Fault(drop="hang")],
    "429 storm echoing the key": [Fault(status=429, body=f"slow down {CANARY}")] * 3,
    "401": [Fault(status=401)],
    "redirect carrying the key": [
        Fault(status=302, headers={"Location": f"https://evil.example/?key={CANARY}"})
    ],
}


# The shared sandbox server (conftest) accepts only the canary key.
SANDBOX_OPTIONS = {"api_key": CANARY}


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "BACKOFF_BASE", 0.01)


def _connection(server: SandboxServer) -> dict[str, Any]:
    return {"token": CANARY, "baseUrl": server.url, "readTimeout": 0.5, "deadline": 2}


def _everything_said_about(error: BaseException) -> list[str]:
    said: list[str] = []
    seen: BaseException | None = error
    while seen is not None:
        said += [str(seen), repr(seen), "".join(traceback.format_exception(seen))]
        # Every frame's locals, as error trackers and ``capture_locals=True`` show them.
        rendered = traceback.TracebackException.from_exception(seen, capture_locals=True)
        said.append("".join(rendered.format()))
        if isinstance(seen, ConnectorError):
            said += [json.dumps(seen.to_dict()), repr(seen.details)]
        seen = seen.__cause__ or seen.__context__
    return said


def _run(path: str, server: SandboxServer) -> Any:
    # The connection is built in the call, never a local of a frame the test renders.
    if path == "sync":
        return component.execute("sendSms", VALUES, _connection(server))
    return asyncio.run(component.execute_async("sendSms", VALUES, _connection(server)))


@pytest.mark.parametrize("path", ["sync", "async"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_the_key_never_leaks_over_real_sockets(
    name: str,
    path: str,
    server: SandboxServer,
    sandbox: Sandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sandbox.script("POST", SMS, *SCENARIOS[name])
    texts: list[str] = []
    # The root logger at DEBUG: httpx, httpcore, aiohttp and the connector all log (the
    # connector's own logger too: an earlier CLI run in the process may have raised it).
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, "infobip_connector"):
        try:
            output = _run(path, server)
            texts += [json.dumps(output), repr(output)]
        except ConnectorError as exc:
            texts += _everything_said_about(exc)
    library = "httpcore" if path == "sync" else "infobip_connector"
    assert any(r.name.startswith(library) for r in caplog.records), "DEBUG logging was off"
    texts += [caplog.text] + [r.getMessage() for r in caplog.records]
    texts += [repr(sandbox.requests), str(sandbox.requests), repr(sandbox)]
    assert CANARY not in "\n".join(texts)
    if name == "success":
        # The sandbox accepts only the canary: the key did travel, in its header.
        assert sandbox.accepted_message_ids
        assert sandbox.requests[-1].headers["authorization"] == "App ***"


async def _cancelled_in_flight(server: SandboxServer) -> BaseException:
    try:
        await asyncio.wait_for(
            component.execute_async("sendSms", VALUES, _connection(server)), timeout=0.3
        )
    except BaseException as exc:
        return exc
    raise AssertionError("the send was not interrupted")


def test_a_send_cancelled_in_flight_keeps_the_key_out_of_its_traceback(
    server: SandboxServer, sandbox: Sandbox
) -> None:
    # Interrupted inside aiohttp: its frames hold the request headers as locals.
    sandbox.script("POST", SMS, Fault(drop="hang"))
    error = asyncio.run(_cancelled_in_flight(server))
    assert isinstance(error, asyncio.TimeoutError | asyncio.CancelledError | ConnectorError)
    assert CANARY not in "\n".join(_everything_said_about(error))


CLI_CASES = [
    pytest.param([], 0, id="success"),
    pytest.param([Fault(status=500, body=f"echo App {CANARY}")], 4, id="500 echoing the key"),
    pytest.param([Fault(drop="before_response")], 4, id="dropped"),
    pytest.param([Fault(status=401)], 5, id="401"),
    pytest.param(
        [Fault(status=307, headers={"Location": f"https://evil.example/{CANARY}"})], 3, id="307"
    ),
]


@pytest.mark.parametrize(("faults", "exit_code"), CLI_CASES)
def test_the_cli_never_prints_the_key(
    faults: list[Fault], exit_code: int, server: SandboxServer, sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.script("POST", SMS, *faults)
    source = tmp_path / "input.json"
    source.write_text(json.dumps(VALUES), encoding="utf-8")
    env = {
        **os.environ,
        "INFOBIP_API_KEY": CANARY,
        "INFOBIP_BASE_URL": server.url,
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "infobip_connector",
            "--verbose",
            "run",
            "sendSms",
            "--input",
            str(source),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == exit_code, done.stderr
    assert "DEBUG" in done.stderr  # --verbose did log the exchange
    assert CANARY not in done.stdout + done.stderr
    assert len(sandbox.requests) == 1
