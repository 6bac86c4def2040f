"""The pooled async path (aiohttp): same wire, same policy, same secrecy as the httpx path."""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import logging
import socket
import ssl
import weakref
from typing import Any

import aiohttp
import httpx
import pytest
from aiohttp import web

from infobip_connector import (
    OutcomeUnknownError,
    RejectedError,
    UnreachableError,
    aclose_pooled_clients,
    component,
)
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer
from infobip_connector.transport import aiohttp_sender
from infobip_connector.transport import exchange as exchange_module
from infobip_connector.transport.aiohttp_sender import _as_httpx
from infobip_connector.transport.attempts import AnswerBody

from .conftest import CANARY

SMS = "/sms/2/text/advanced"
VALUES = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hello"}]}


def _connection(base_url: str) -> dict[str, Any]:
    return {"token": CANARY, "baseUrl": base_url, "readTimeout": 1, "deadline": 3}


def _execute(values: Any, connection: dict[str, Any], times: int = 1) -> list[Any]:
    async def run() -> list[Any]:
        results: list[Any] = []
        try:
            for _ in range(times):
                try:
                    results.append(await component.execute_async("sendSms", values, connection))
                except Exception as exc:
                    results.append(exc)
        finally:
            await aclose_pooled_clients()
        return results

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (aiohttp.ConnectionTimeoutError("pool or connect"), httpx.ConnectTimeout),
        (
            aiohttp.ClientConnectorError(
                aiohttp.client_reqrep.ConnectionKey("h", 443, True, True, None, None, None),
                ConnectionRefusedError(111, "refused"),
            ),
            httpx.ConnectError,
        ),
        (aiohttp.SocketTimeoutError("read"), httpx.ReadTimeout),
        (TimeoutError(), httpx.ReadTimeout),
        (aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError("cut"), httpx.RemoteProtocolError),
        (aiohttp.InvalidURL("x"), httpx.InvalidURL),
    ],
)
def test_failures_keep_their_meaning_for_the_retry_policy(
    raised: Exception, expected: type[Exception]
) -> None:
    # Only a failure before the connection was made may be retried (ConnectError,
    # ConnectTimeout); a timeout or a drop after it must stay an unknown outcome.
    assert type(_as_httpx(raised)) is expected


def test_sends_the_same_request_as_the_sync_path(sandbox: Sandbox, server: SandboxServer) -> None:
    values = {
        "bulkId": "B1",
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "M1"}], "text": "x"}],
    }
    [output] = _execute(values, _connection(server.url))
    component.execute("sendSms", values, _connection(server.url))
    first, second = sandbox.requests
    assert output["messages"][0]["messageId"] == "M1"
    assert first.body == second.body
    for name in ("Authorization", "Content-Type", "Accept", "User-Agent"):
        assert first.headers[name] == second.headers[name], name
    assert "cookie" not in first.headers


def test_a_redirect_is_never_followed(sandbox: Sandbox, server: SandboxServer) -> None:
    elsewhere = {"Location": "https://attacker.example/sms/2/text/advanced"}
    sandbox.script("POST", SMS, Fault(status=307, headers=elsewhere))
    [error] = _execute(VALUES, _connection(server.url))
    assert isinstance(error, RejectedError) and "not followed" in error.message
    assert len(sandbox.requests) == 1


def test_cookies_from_one_answer_never_ride_along(sandbox: Sandbox, server: SandboxServer) -> None:
    sandbox.script("POST", SMS, Fault(status=200, process=True, headers={"Set-Cookie": "s=1"}))
    _execute(VALUES, _connection(server.url), times=2)
    assert [r.headers.get("cookie") for r in sandbox.requests] == [None, None]


def test_a_tls_failure_keeps_its_own_words() -> None:
    key = aiohttp.client_reqrep.ConnectionKey("h", 443, True, True, None, None, None)
    cause = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] self-signed")
    raised = aiohttp.ClientConnectorCertificateError(key, cause)
    error = _as_httpx(raised)
    assert type(error) is httpx.ConnectError
    assert "CERTIFICATE_VERIFY_FAILED" in str(error) and "not permitted" not in str(error)


def test_unreachable_after_the_allowed_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("infobip_connector.transport.exchange._backoff", lambda attempt: 0.0)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [error] = _execute(VALUES, _connection(f"http://127.0.0.1:{port}"))
    assert isinstance(error, UnreachableError)
    assert error.details["attempts"] == 3 and error.details["messageIds"]
    # Worded as the synchronous path words it; no "ssl:default" for a plain http URL.
    assert "Connection refused" in str(error) and "ssl" not in str(error)


def test_a_dropped_answer_is_an_unknown_outcome_sent_once(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    sandbox.script("POST", SMS, Fault(status=200, process=True, drop="mid_body"))
    [error] = _execute(VALUES, _connection(server.url))
    assert isinstance(error, OutcomeUnknownError)
    assert len(sandbox.requests) == 1


def test_an_answer_that_came_with_its_head_is_taken_whole(
    sandbox: Sandbox, server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NotGathered(AnswerBody):
        def add(self, chunk: bytes) -> None:
            raise AssertionError("a small answer is taken whole, not gathered in chunks")

    monkeypatch.setattr(aiohttp_sender, "AnswerBody", NotGathered)
    [output] = _execute(VALUES, _connection(server.url), times=1)
    [sent] = sandbox.requests[0].body["messages"][0]["destinations"]
    assert output["messages"][0]["messageId"] == sent["messageId"]


def _exchanges_made(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref[Any]]:
    """Weak references to every exchange (the key, the body) the sends made from now on."""
    made: list[weakref.ref[Any]] = []
    original = exchange_module._Exchange.__init__

    def recorded(self: Any, *args: Any) -> None:
        original(self, *args)
        made.append(weakref.ref(self))

    monkeypatch.setattr(exchange_module._Exchange, "__init__", recorded)
    return made


def test_no_attempt_is_kept_whatever_its_end(
    sandbox: Sandbox, server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Looked at while the session and its pool of connections still live: nothing they keep
    # (a pooled connection, the connector) may hold an attempt's exchange (the key, the body).
    made = _exchanges_made(monkeypatch)
    connection = _connection(server.url)
    sandbox.script(
        "POST",
        SMS,
        Fault(status=200, process=True, drop="mid_body"),
        Fault(status=400, process=False),
        Fault(delay=0.01, process=True),
        Fault(delay=3.0, process=True),
    )

    async def ends() -> list[str]:
        said: list[str] = []
        for _ in range(3):
            try:
                sent = await component.execute_async("sendSms", VALUES, connection)
                said.append("sent" if sent["messages"] else "empty")
            except Exception as exc:
                said.append(type(exc).__name__)
        cancelled = asyncio.create_task(component.execute_async("sendSms", VALUES, connection))
        await asyncio.sleep(0.3)
        cancelled.cancel()
        await asyncio.wait([cancelled])
        said.append("cancelled" if cancelled.cancelled() else "not cancelled")
        # The cancelled send closed its connection: one more leaves one idle in the pool.
        sent = await component.execute_async("sendSms", VALUES, connection)
        said.append("sent" if sent["messages"] else "empty")
        return said

    async def run() -> tuple[list[str], int]:
        try:
            said = await ends()
            assert aiohttp_sender._session().connector is not None
            assert aiohttp_sender._session().connector._conns  # a connection idle in the pool
            gc.collect()
            return said, sum(ref() is not None for ref in made)
        finally:
            await aclose_pooled_clients()

    said, alive = asyncio.run(run())
    assert said == ["OutcomeUnknownError", "RejectedError", "sent", "cancelled", "sent"]
    assert len(made) == 5 and alive == 0


def test_a_compressed_answer_is_read() -> None:
    answer = {
        "bulkId": "B1",
        "messages": [
            {
                "messageId": "M1",
                "to": "41793026727",
                "status": {
                    "groupId": 1,
                    "groupName": "PENDING",
                    "id": 26,
                    "name": "PENDING_ACCEPTED",
                    "description": "Message sent to next instance",
                },
            }
        ],
    }

    async def handle(request: web.Request) -> web.Response:
        sent = await request.json()
        answer["bulkId"] = sent["bulkId"]
        answer["messages"][0]["messageId"] = sent["messages"][0]["destinations"][0]["messageId"]
        body = gzip.compress(json.dumps(answer).encode())
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
        return web.Response(body=body, headers=headers)

    async def run() -> Any:
        app = web.Application()
        app.router.add_post(SMS, handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            return await component.execute_async(
                "sendSms", VALUES, _connection(f"http://127.0.0.1:{port}")
            )
        finally:
            await aclose_pooled_clients()
            await runner.cleanup()

    output = asyncio.run(run())
    assert output == answer


def test_the_key_never_reaches_a_debug_log(
    sandbox: Sandbox, server: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.script("POST", SMS, Fault(status=200, process=True, drop="before_response"))
    with caplog.at_level(logging.DEBUG):
        [error] = _execute(VALUES, _connection(server.url))
    assert isinstance(error, OutcomeUnknownError)
    assert caplog.records, "expected DEBUG records from the client"
    assert CANARY not in caplog.text and CANARY not in repr(error)
    assert CANARY not in json.dumps(error.to_dict())


def test_a_loop_ended_without_closing_leaves_no_error_behind(
    server: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Engines that run ``asyncio.run`` per batch may never call aclose_pooled_clients().
    async def once() -> Any:
        return await component.execute_async("sendSms", VALUES, _connection(server.url))

    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            asyncio.run(once())
        gc.collect()
    assert not [r for r in caplog.records if "Unclosed" in r.getMessage()]
    # Finished loops and their sessions are let go, not kept for the life of the process.
    assert len(aiohttp_sender._sessions) == 1


def test_a_send_left_waiting_in_a_closed_loop_is_let_go(
    sandbox: Sandbox, server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An engine that closes its loop under a waiting send, without cancelling it: nothing of
    # the connector's keeps that attempt, and with it the exchange (key, body), once the
    # engine lets go of it.
    made = _exchanges_made(monkeypatch)
    sandbox.script("POST", SMS, Fault(delay=5.0))
    loop = asyncio.new_event_loop()
    pending = loop.create_task(component.execute_async("sendSms", VALUES, _connection(server.url)))
    loop.run_until_complete(asyncio.sleep(0.5))
    [exchange] = made
    loop.close()
    # The next loop's session lets go of the closed loop's, which held the task through its
    # connection.
    _execute(VALUES, _connection(server.url))
    coroutine = pending.get_coro()
    del pending, loop
    # Closed for good, the abandoned send says what it may have left at Infobip.
    with pytest.raises(OutcomeUnknownError):
        coroutine.close()
    del coroutine
    gc.collect()
    assert exchange() is None


def test_event_loops_in_several_threads_each_get_their_own_session(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    async def batch() -> int:
        try:
            sends = [
                component.execute_async("sendSms", VALUES, _connection(server.url))
                for _ in range(5)
            ]
            return len(await asyncio.gather(*sends))
        finally:
            await aclose_pooled_clients()

    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda _: asyncio.run(batch()), range(8)))
    assert done == [5] * 8
    assert len(sandbox.requests) == 40


def test_an_attempt_driven_outside_a_task_is_told_only_of_a_connection() -> None:
    # The notice rides on the attempt's timeout, not on a task: driven as a loop callback,
    # the attempt fails before any connection (aiohttp needs a task for its timers), so
    # nothing was written and nothing is told.
    class Exchange:
        told = 0

        def connected(self) -> None:
            self.told += 1

    exchange, raised = Exchange(), []

    def drive() -> None:  # a loop callback: the loop runs, but no task does
        attempt = aiohttp_sender.request(
            "POST",
            httpx.URL("http://127.0.0.1:9/x"),
            b"{}",
            {},
            httpx.Timeout(1.0),
            deadline=1.0,
            told=exchange,
        )
        try:
            attempt.send(None)
        except BaseException as exc:
            raised.append(exc)
        finally:
            attempt.close()

    async def run() -> None:
        asyncio.get_running_loop().call_soon(drive)
        await asyncio.sleep(0.05)
        await aclose_pooled_clients()

    asyncio.run(run())
    assert exchange.told == 0 and raised
