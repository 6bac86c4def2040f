"""Helpers for the ``serve`` tests: a worker run in-process on given lines, a transport that
holds requests until a test lets them go, and the worker as a child process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from typing import Any

import httpx
import orjson

from infobip_connector import component
from infobip_connector.hosts.serve.connections import Connections
from infobip_connector.hosts.serve.lines import Item, Splitter
from infobip_connector.hosts.serve.methods import Methods
from infobip_connector.hosts.serve.worker import Worker
from infobip_connector.sandbox import Sandbox

KEY = "serve-key-6b1e-2f3a4c5d"
SMS = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": "Hello"}]}


def request(request_id: Any, method: str, **params: Any) -> bytes:
    return orjson.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})


def send_sms(request_id: Any, text: str = "Hello") -> bytes:
    values = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": text}]}
    return request(request_id, "execute", action="sendSms", input=values)


def methods_for(transport: Any, *, sandbox: bool = True) -> Methods:
    """The methods of a worker whose default connection goes through ``transport``."""
    connections = Connections({"token": KEY}, transport, None, sandbox=sandbox)
    return Methods(component, connections)


def sandbox_methods() -> Methods:
    return methods_for(Sandbox(KEY, deliver_reports=False).transport())


def groups_of(data: bytes, limit: int = 1 << 20) -> list[list[Item]]:
    """``data`` cut into lines as the worker's reader cuts stdin: one group, then the end."""
    splitter = Splitter(limit)
    return [splitter.feed(data) + splitter.finish(), []]


class Feed:
    """Line groups handed to a worker one by one; ``[]`` (the end) once they are used up,
    or never while ``open`` is set (a client that keeps stdin open)."""

    def __init__(self, groups: Iterable[list[Item]], *, stay_open: bool = False) -> None:
        self._groups = [group for group in groups if group]
        self._more: asyncio.Queue[list[Item]] = asyncio.Queue()
        self._stay_open = stay_open

    def push(self, *lines: bytes) -> None:
        self._more.put_nowait(list(lines))

    def close(self) -> None:
        self._more.put_nowait([])

    async def __call__(self) -> list[Item]:
        if self._groups:
            return self._groups.pop(0)
        if self._stay_open:
            return await self._more.get()
        return []


def run_worker(
    methods: Methods, data: bytes, *, max_in_flight: int = 8, limit: int = 1 << 20
) -> list[Any]:
    """The answers (decoded) a worker writes for ``data`` read as stdin, in order written."""
    written: list[bytes] = []
    worker = Worker(methods, written.append, max_in_flight=max_in_flight, grace=5.0)
    asyncio.run(worker.serve(Feed(groups_of(data, limit))))
    # A write holds whole lines, one answer each: those that finished in one turn of the loop.
    assert all(data.endswith(b"\n") for data in written)
    return [orjson.loads(line) for data in written for line in data.splitlines()]


class Gate(httpx.AsyncBaseTransport):
    """Passes requests on to ``inner`` once the test opens their gate; counts them in flight.

    ``hold(text)`` says which requests wait: a Send SMS whose text is ``text`` waits until
    ``release(text)``; others pass at once.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner
        self._gates: dict[str, asyncio.Event] = {}
        self.active = 0
        self.peak = 0
        self.arrived: list[str] = []

    def hold(self, *texts: str) -> None:
        for text in texts:
            self._gates[text] = asyncio.Event()

    def release(self, *texts: str) -> None:
        for text in texts:
            self._gates[text].set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        body = orjson.loads(request.content) if request.content else {}
        texts = [m.get("text", "") for m in body.get("messages", [])]
        self.active += 1
        self.peak = max(self.peak, self.active)
        self.arrived.extend(texts)
        try:
            for text in texts:
                gate = self._gates.get(text)
                if gate is not None:
                    await gate.wait()
            return await self._inner.handle_async_request(request)
        finally:
            self.active -= 1


async def until(condition: Callable[[], bool]) -> None:
    """Let the loop run until ``condition`` holds (each step lets every ready task run)."""
    for _ in range(10_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


def spawn(
    *options: str, env: dict[str, str] | None = None, stdin: Any = subprocess.PIPE
) -> subprocess.Popen[bytes]:
    """``infobip-connector serve`` as a child process with pipes, without ``INFOBIP_*``."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("INFOBIP_")}
    environ.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "infobip_connector", "serve", *options],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ,
    )


def answers_of(stdout: bytes) -> list[Any]:
    return [orjson.loads(line) for line in stdout.splitlines()]


def by_id(answers: list[Any]) -> dict[Any, Any]:
    return {answer["id"]: answer for answer in answers}
