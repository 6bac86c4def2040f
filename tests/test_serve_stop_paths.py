"""Every method ``serve`` cuts off at a stop is answered as its request stands.

``stopped`` says nothing was sent and the request may simply be sent again; a request that
may have reached Infobip (a poll that took items, a read in a thread, a send) is answered
``outcome_unknown`` instead, with what the caller needs to act on it. The requests are held
by transports the test opens, so what is asserted is the order of events, never a time.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

import httpx
import orjson

from infobip_connector.hosts.serve.worker import Worker
from infobip_connector.sandbox import Sandbox

from .serve_support import KEY, Feed, methods_for, request, send_sms


class Held(httpx.AsyncBaseTransport, httpx.BaseTransport):
    """Passes every request on to the sandbox, then holds its answer until ``release``.

    Infobip has then done what the request asked (a consume has handed its items out)
    while the worker still waits. Synchronous requests (a thread's) wait on a thread event.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox.transport()
        self.arrived = 0
        self._async_gate = asyncio.Event()
        self._thread_gate = threading.Event()

    def release(self) -> None:
        self._async_gate.set()
        self._thread_gate.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        answer = await self._sandbox.handle_async_request(request)
        await answer.aread()
        self.arrived += 1
        await self._async_gate.wait()
        return answer

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        answer = self._sandbox.handle_request(request)
        answer.read()
        self.arrived += 1
        self._thread_gate.wait()
        return answer


def cut_off(sandbox: Sandbox, *lines: bytes) -> dict[Any, Any]:
    """The answers to ``lines`` when the worker is stopped (no grace) once all wait."""
    held = Held(sandbox)
    answers: list[Any] = []

    def write(data: bytes) -> None:
        answers.extend(orjson.loads(line) for line in data.splitlines())

    async def scenario() -> None:
        feed = Feed([], stay_open=True)
        worker = Worker(methods_for(held), write, max_in_flight=8, grace=3600.0)
        serving = asyncio.create_task(worker.serve(feed))
        feed.push(*lines)
        try:
            for _ in range(3000):  # threads take real time to get there
                if held.arrived >= len(lines):
                    break
                await asyncio.sleep(0.01)
            assert held.arrived >= len(lines), held.arrived
            worker.stop()
            worker.stop()  # a second signal: no grace left
            await serving
        finally:
            held.release()  # the threads the worker gave up on may end now

    asyncio.run(scenario())
    return {answer["id"]: answer for answer in answers}


def test_a_poll_cut_off_after_it_took_items_is_outcome_unknown_naming_the_trigger() -> None:
    account = Sandbox(KEY, deliver_reports=False)
    account.receive_sms("385916242493", "385921004026", "taken by the poll")
    answer = cut_off(account, request(1, "poll", trigger="newInboundSms"))[1]
    error = answer["error"]
    assert error["code"] == -32004
    assert error["data"]["error"]["type"] == "outcome_unknown"
    assert error["data"]["error"]["details"]["trigger"] == "newInboundSms"
    assert "hands each item out once" in error["message"]
    # The items really are gone: a poll now returns none of them.
    again = cut_off_free_poll(account)
    assert again["result"]["events"] == []


def cut_off_free_poll(account: Sandbox) -> Any:
    answers: list[Any] = []

    async def scenario() -> None:
        worker = Worker(
            methods_for(account.transport()),
            lambda data: answers.extend(orjson.loads(x) for x in data.splitlines()),
            max_in_flight=1,
            grace=5.0,
        )
        await worker.serve(Feed([[request(2, "poll", trigger="newInboundSms")]]))

    asyncio.run(scenario())
    return answers[0]


def test_reads_run_in_threads_are_never_answered_stopped_when_cut_off() -> None:
    answers = cut_off(
        Sandbox(KEY, deliver_reports=False),
        request(1, "testConnection"),
        request(
            2,
            "options",
            action="sendWhatsappTemplateMessage",
            property="messages[0].content.templateName",
            input={"messages": [{"from": "441134960000"}]},
        ),
    )
    for request_id in (1, 2):
        error = answers[request_id]["error"]
        assert error["code"] == -32004, answers[request_id]
        assert "safe to repeat" in error["message"]


def test_a_keyless_send_cut_off_names_the_key_the_worker_gave_it() -> None:
    answers = cut_off(Sandbox(KEY, deliver_reports=False), send_sms(1), send_sms(2, "other"))
    keys = set()
    for request_id in (1, 2):
        details = answers[request_id]["error"]["data"]["error"]["details"]
        assert details["bulkId"] and details["messageIds"]
        assert details["idempotencyKey"].startswith("serve-")
        minted = uuid.UUID(details["idempotencyKey"][len("serve-") :])
        assert minted.version == 4 and minted.variant == uuid.RFC_4122  # a random UUID
        assert details["idempotencyKey"] == f"serve-{minted}"
        assert "idempotencyKey" in answers[request_id]["error"]["message"]
        keys.add(details["idempotencyKey"])
    assert len(keys) == 2  # one key per send: never a repeat of another request
