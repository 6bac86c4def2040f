"""Cancellation and interruption keep the IDs of a request that may have reached Infobip.

Cancellation must still propagate (an engine's timeout has to work), but an operator must be
able to reconcile: a WARNING names the bulkId and messageIds, and the interrupting exception
carries them (a note, and ``outcome_unknown``: the error the CLI prints before exiting 4).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from infobip_connector import OutcomeUnknownError, aclose_pooled_clients, component
from infobip_connector.outcome import ATTRIBUTE
from infobip_connector.runtime import action_runtime as runtime

from .conftest import CANARY, ROOT
from .outcomes import run_args
from .rawserver import RawServer, hang

SMS_VALUES = {
    "messages": [{"destinations": [{"to": "41793026727"}, {"to": "41793026728"}], "text": "Hi"}]
}


def _connection(url: str) -> dict[str, Any]:
    return {"token": CANARY, "baseUrl": url, "deadline": 30, "readTimeout": 30}


def _ids(body: dict[str, Any]) -> tuple[str, list[str]]:
    return body["bulkId"], [d["messageId"] for m in body["messages"] for d in m["destinations"]]


def _assert_carries(exc: BaseException, bulk_id: str, message_ids: list[str]) -> None:
    attached = getattr(exc, ATTRIBUTE)
    assert isinstance(attached, OutcomeUnknownError)
    assert attached.details["bulkId"] == bulk_id
    assert attached.details["messageIds"] == message_ids
    notes = "\n".join(getattr(exc, "__notes__", []))
    assert bulk_id in notes and all(m in notes for m in message_ids)


def _assert_logged(caplog: pytest.LogCaptureFixture, bulk_id: str, message_ids: list[str]) -> None:
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(bulk_id in w and all(m in w for m in message_ids) for w in warnings), warnings


async def _execute(url: str, own_transport: bool) -> Any:
    if not own_transport:
        return await component.execute_async("sendSms", SMS_VALUES, _connection(url))
    async with httpx.AsyncHTTPTransport() as transport:
        return await component.execute_async(
            "sendSms", SMS_VALUES, _connection(url), transport=transport
        )


@pytest.mark.parametrize("own_transport", [False, True], ids=["aiohttp", "caller's transport"])
def test_wait_for_timeout_keeps_the_ids(
    own_transport: bool, caplog: pytest.LogCaptureFixture
) -> None:
    async def run() -> None:
        try:
            await asyncio.wait_for(_execute(server.url, own_transport), 0.3)
        finally:
            await aclose_pooled_clients()

    with RawServer(hang) as server, caplog.at_level(logging.WARNING, "infobip_connector"):
        with pytest.raises(TimeoutError) as info:
            asyncio.run(run())
        bulk_id, message_ids = _ids(server.sent_json())
    cancelled = info.value.__cause__
    assert isinstance(cancelled, asyncio.CancelledError)
    _assert_carries(cancelled, bulk_id, message_ids)
    _assert_logged(caplog, bulk_id, message_ids)


@pytest.mark.parametrize("own_transport", [False, True], ids=["aiohttp", "caller's transport"])
def test_task_cancel_keeps_the_ids(own_transport: bool, caplog: pytest.LogCaptureFixture) -> None:
    async def run() -> None:
        task = asyncio.create_task(_execute(server.url, own_transport))
        try:
            while not server.received.is_set():
                await asyncio.sleep(0.01)
            task.cancel()
            await task
        finally:
            await aclose_pooled_clients()

    with RawServer(hang) as server, caplog.at_level(logging.WARNING, "infobip_connector"):
        with pytest.raises(asyncio.CancelledError) as info:
            asyncio.run(run())
        bulk_id, message_ids = _ids(server.sent_json())
    _assert_carries(info.value, bulk_id, message_ids)
    _assert_logged(caplog, bulk_id, message_ids)


class _Interrupting(httpx.BaseTransport):
    """Ctrl-C arriving while the request is on the wire."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.read())
        raise KeyboardInterrupt


def test_keyboard_interrupt_in_flight_keeps_the_ids(caplog: pytest.LogCaptureFixture) -> None:
    transport = _Interrupting()
    with (
        caplog.at_level(logging.WARNING, "infobip_connector"),
        pytest.raises(KeyboardInterrupt) as info,
    ):
        component.execute(
            "sendSms",
            SMS_VALUES,
            _connection("https://xyz.api.infobip.com"),
            transport=transport,
        )
    bulk_id, message_ids = _ids(json.loads(transport.bodies[0]))
    _assert_carries(info.value, bulk_id, message_ids)
    _assert_logged(caplog, bulk_id, message_ids)


def test_keyboard_interrupt_while_shaping_keeps_the_ids(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runtime, "check_accounted", interrupted)
    pending = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
    answer = {
        "bulkId": "B1",
        "messages": [{"messageId": "M1", "to": "41793026727", "status": pending}],
    }
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=answer))
    values = {
        "bulkId": "B1",
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "M1"}], "text": "x"}],
    }
    with (
        caplog.at_level(logging.WARNING, "infobip_connector"),
        pytest.raises(KeyboardInterrupt) as info,
    ):
        component.execute(
            "sendSms", values, _connection("https://xyz.api.infobip.com"), transport=transport
        )
    _assert_carries(info.value, "B1", ["M1"])
    _assert_logged(caplog, "B1", ["M1"])


def test_an_interruption_before_anything_was_sent_carries_nothing() -> None:
    class Refusing(httpx.BaseTransport):
        calls = 0

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            Refusing.calls += 1
            if Refusing.calls == 1:
                raise httpx.ConnectError("refused")  # provably not sent; a retry follows
            raise AssertionError("unreachable")

    def interrupt_the_backoff(seconds: float) -> None:
        raise KeyboardInterrupt

    transport = Refusing()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("infobip_connector.transport.client.time.sleep", interrupt_the_backoff)
        with pytest.raises(KeyboardInterrupt) as info:
            component.execute(
                "sendSms",
                SMS_VALUES,
                _connection("https://xyz.api.infobip.com"),
                transport=transport,
            )
    assert getattr(info.value, ATTRIBUTE, None) is None


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_ctrl_c_or_termination_on_the_cli_prints_the_ids_and_exits_4(
    tmp_path: Path, signum: int
) -> None:
    """Ctrl-C, and SIGTERM / SIGHUP as Airflow, Docker or systemd send to stop a task."""
    with RawServer(hang) as server:
        argv = run_args(tmp_path, SMS_VALUES, _connection(server.url))
        process = subprocess.Popen(
            [sys.executable, "-m", "infobip_connector", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            assert server.received.wait(120), "the CLI never sent its request"
            process.send_signal(signum)
            stdout, stderr = process.communicate(timeout=120)
        finally:
            process.kill()
        bulk_id, message_ids = _ids(server.sent_json())
    assert process.returncode == 4, stderr
    assert stdout == ""
    error = json.loads(stderr.strip().splitlines()[-1])["error"]
    assert error["type"] == "outcome_unknown"
    assert error["details"]["bulkId"] == bulk_id
    assert error["details"]["messageIds"] == message_ids
    assert CANARY not in stderr
