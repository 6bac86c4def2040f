"""A client that stops reading the worker's stdout never holds up its event loop.

The worker is run in process on a thread, its stdout the write end of a pipe that nobody
reads for a while: answers far larger than the pipe wait on the loop for room while other
tasks run on, the worker starts no new call once too much waits, and once the client
reads, every answer arrives whole. A client that closes its end instead gets the answers
still waiting logged as not delivered (a summary each). A test fails, never hangs, when a
write blocks the loop.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from infobip_connector.hosts import lineout
from infobip_connector.hosts.lineout import PipeOutput
from infobip_connector.hosts.serve import command
from infobip_connector.hosts.serve.methods import Methods
from infobip_connector.hosts.serve.worker import Worker

from .serve_support import Feed, request, sandbox_methods

LOOPS = ["asyncio"] + (["uvloop"] if importlib.util.find_spec("uvloop") else [])


def _new_loop(name: str) -> asyncio.AbstractEventLoop:
    if name == "uvloop":
        import uvloop

        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def _definitions(count: int) -> list[bytes]:
    """Requests whose answers (the definition, about 100 KB each) outgrow a pipe quickly."""
    return [request(number, "definition") for number in range(count)]


def _read_lines(fd: int, count: int) -> list[Any]:
    data = b""
    while data.count(b"\n") < count:
        chunk = os.read(fd, 1 << 16)
        assert chunk, "stdout ended early"
        data += chunk
    return [orjson.loads(line) for line in data.splitlines()]


def _wait_for(done: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


@pytest.mark.parametrize("loop_name", LOOPS)
def test_a_client_that_stops_reading_leaves_the_loop_running(
    loop_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Signal handlers belong to the main thread (uvloop refuses them elsewhere).
    monkeypatch.setattr(command.stopsignals, "on_stop_signals", lambda handler: lambda: None)
    count = 40  # about 4.7 MB of answers; a pipe holds 64 KiB
    out_read, out_write = os.pipe()
    in_read, in_write = os.pipe()
    os.write(in_write, b"\n".join(_definitions(count)) + b"\n")
    os.close(in_write)  # the end of input: the worker ends once every answer is out
    ticks: list[float] = []
    failures: list[BaseException] = []
    args = argparse.Namespace(max_in_flight=8, grace=5.0, max_line_bytes=1 << 20)

    async def main() -> None:
        serving = asyncio.ensure_future(command._serve(sandbox_methods(), out_write, args))
        while not serving.done():  # runs only while the loop is not held by a write
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)
        await serving

    def thread() -> None:
        loop = _new_loop(loop_name)
        try:
            loop.run_until_complete(main())
        except BaseException as exc:
            failures.append(exc)
        finally:
            loop.close()

    stdin = sys.stdin
    sys.stdin = os.fdopen(in_read, "rb", closefd=False)
    runner = threading.Thread(target=thread, daemon=True)
    try:
        runner.start()
        _wait_for(lambda: len(ticks) > 5 or bool(failures))
        time.sleep(0.3)  # the pipe fills: nobody reads
        before = len(ticks)
        time.sleep(0.3)
        running = len(ticks) > before
        answers = _read_lines(out_read, count)
        runner.join(30)
    finally:
        sys.stdin = stdin
        os.close(in_read)
    os.close(out_read)
    blocking = os.get_blocking(out_write)
    os.close(out_write)
    if failures:
        raise failures[0]
    assert running, "a write to a stalled stdout held the event loop"
    assert not runner.is_alive()
    assert sorted(answer["id"] for answer in answers) == list(range(count))
    assert all("result" in answer for answer in answers)
    assert blocking  # put back as it was


class Counting(Methods):
    """The sandbox's methods, counting the calls started."""

    def __init__(self) -> None:
        self.__dict__.update(sandbox_methods().__dict__)
        self.started = 0

    async def call(self, method: str, params: Any) -> Any:
        self.started += 1
        return await super().call(method, params)


def _stalled_worker(
    scenario: Callable[[Counting, int], None], caplog: pytest.LogCaptureFixture | None = None
) -> list[BaseException]:
    """Run a worker on 100 definition requests, its stdout a non-blocking pipe nobody reads
    yet, on a thread; ``scenario(methods, read_end)`` plays the client meanwhile."""
    out_read, out_write = os.pipe()
    os.set_blocking(out_write, False)
    methods = Counting()
    failures: list[BaseException] = []

    async def main() -> None:
        output = PipeOutput(out_write, asyncio.get_running_loop())
        worker = Worker(methods, output, max_in_flight=4, grace=5.0)
        await worker.serve(Feed([_definitions(100)]))

    def thread() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:
            failures.append(exc)

    runner = threading.Thread(target=thread, daemon=True)
    runner.start()
    try:
        scenario(methods, out_read)
        runner.join(30)
        assert not runner.is_alive(), "the worker did not end"
    finally:
        os.close(out_write)
    return failures


def test_a_congested_output_holds_back_new_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lineout, "HIGH_WATER", 300_000)  # about three answers

    def client(methods: Counting, fd: int) -> None:
        _wait_for(lambda: methods.started > 0)
        time.sleep(0.5)  # nobody reads
        held_back = methods.started
        answers = _read_lines(fd, 100)
        os.close(fd)
        # Three queued, four in flight, one that took the pipe and a slot's worth of slack.
        assert held_back <= 12, f"{held_back} calls started with nobody reading"
        assert sorted(answer["id"] for answer in answers) == list(range(100))

    failures = _stalled_worker(client)
    if failures:
        raise failures[0]


def test_answers_waiting_when_the_client_closes_are_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(lineout, "HIGH_WATER", 300_000)

    def client(methods: Counting, fd: int) -> None:
        _wait_for(lambda: methods.started > 0)
        time.sleep(0.3)
        os.close(fd)  # gone without reading

    with caplog.at_level(logging.WARNING, logger="infobip_connector.serve"):
        failures = _stalled_worker(client)
    if failures:
        raise failures[0]
    text = caplog.text
    assert "stdout is closed" in text
    lost = text.count("answer not delivered: request ")
    # All but what the pipe took whole (it holds less than one answer on Linux).
    assert lost >= 99, f"{lost} of 100 answers logged as not delivered"
