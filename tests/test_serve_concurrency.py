"""``serve`` runs requests at once within its bound, answers as they finish, and stops cleanly.

The requests are held by a transport that lets each go when the test says (``Gate``), so
what is asserted is the order of events, never a time.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from infobip_connector.hosts.lineout import BlockingOutput
from infobip_connector.hosts.serve.worker import Worker
from infobip_connector.sandbox import Sandbox

from .serve_support import KEY, Feed, Gate, methods_for, request, send_sms, until


class Run:
    """A worker in this loop over a gated sandbox; answers decoded as they are written."""

    def __init__(self, *, max_in_flight: int = 8, grace: float = 5.0) -> None:
        self.sandbox = Sandbox(KEY, deliver_reports=False)
        self.gate = Gate(self.sandbox.transport())
        self.answers: list[Any] = []
        self.writes = 0
        self.feed = Feed([], stay_open=True)
        self.worker = Worker(
            methods_for(self.gate), self._write, max_in_flight=max_in_flight, grace=grace
        )
        self.serving: asyncio.Task[None] = asyncio.create_task(self.worker.serve(self.feed))

    def _write(self, data: bytes) -> None:
        assert data.endswith(b"\n")
        self.writes += 1
        self.answers.extend(orjson.loads(line) for line in data.splitlines())

    def ids(self) -> list[Any]:
        return [a["id"] for a in self.answers if isinstance(a, dict)]

    async def one_held(self) -> None:
        """Send one SMS (id 1) and return once it waits at Infobip's side."""
        self.gate.hold("slow")
        self.feed.push(send_sms(1, "slow"))
        await until(lambda: self.gate.active == 1)

    async def still_serving(self) -> None:
        for _ in range(100):
            await asyncio.sleep(0)
        assert not self.serving.done()


def test_answers_come_back_in_the_order_requests_finish() -> None:
    async def scenario() -> None:
        run = Run()
        run.gate.hold("slow")
        run.feed.push(send_sms(1, "slow"), send_sms(2, "fast"), request(3, "definition"))
        await until(lambda: len(run.answers) == 2)
        assert sorted(run.ids()) == [2, 3]  # 1 is still at Infobip
        run.gate.release("slow")
        await until(lambda: len(run.answers) == 3)
        assert run.ids()[-1] == 1 and "result" in run.answers[-1]
        run.feed.close()
        await run.serving

    asyncio.run(scenario())


def test_no_more_than_max_in_flight_run_at_once() -> None:
    async def scenario() -> None:
        run = Run(max_in_flight=2)
        texts = [f"held {n}" for n in range(6)]
        run.gate.hold(*texts)
        run.feed.push(*(send_sms(n, text) for n, text in enumerate(texts)))
        await until(lambda: run.gate.active == 2)
        for _ in range(200):  # give a third request every chance to start
            await asyncio.sleep(0)
        assert run.gate.arrived == texts[:2]
        run.gate.release(*texts)
        await until(lambda: len(run.answers) == 6)
        assert run.gate.peak == 2
        assert sorted(run.ids()) == list(range(6))
        assert all("result" in a for a in run.answers)
        run.feed.close()
        await run.serving

    asyncio.run(scenario())


def test_answers_finished_in_one_turn_of_the_loop_leave_in_one_write() -> None:
    # Many requests in flight: one write (a system call, a wake-up of the reader) per turn
    # of the loop rather than per answer; each answer is still a line of its own.
    async def scenario() -> None:
        run = Run(max_in_flight=50)
        run.feed.push(*(request(n, "nope") for n in range(20)))
        await until(lambda: len(run.answers) == 20)
        assert sorted(run.ids()) == list(range(20))
        assert all(a["error"]["code"] == -32601 for a in run.answers)
        assert run.writes == 1
        run.feed.push(request("last", "nope"))
        run.feed.close()
        await run.serving  # the end of input writes what is still queued
        assert run.ids()[-1] == "last" and run.writes == 2

    asyncio.run(scenario())


def test_a_batch_runs_its_calls_at_once_and_answers_when_the_last_is_done() -> None:
    async def scenario() -> None:
        run = Run()
        run.gate.hold("a", "b")
        batch = b"[" + b",".join([send_sms("a", "a"), send_sms("b", "b")]) + b"]"
        run.feed.push(batch, request("after", "definition"))
        await until(lambda: run.gate.active == 2)
        await until(lambda: len(run.answers) == 1)
        assert run.ids() == ["after"]  # the later line is not held up by the batch
        run.gate.release("b")
        for _ in range(100):
            await asyncio.sleep(0)
        assert len(run.answers) == 1  # the batch's array waits for its last call
        run.gate.release("a")
        await until(lambda: len(run.answers) == 2)
        assert sorted(a["id"] for a in run.answers[-1]) == ["a", "b"]
        run.feed.close()
        await run.serving

    asyncio.run(scenario())


def test_end_of_input_waits_for_every_request_in_flight() -> None:
    async def scenario() -> None:
        run = Run()
        await run.one_held()
        run.feed.close()
        await run.still_serving()
        run.gate.release("slow")
        await run.serving
        assert run.ids() == [1] and "result" in run.answers[0]

    asyncio.run(scenario())


def test_stop_reports_requests_in_flight_with_their_ids_and_refuses_the_rest() -> None:
    async def scenario() -> None:
        run = Run(max_in_flight=1, grace=0.0)
        run.gate.hold("at infobip", "queued")
        run.feed.push(send_sms(1, "at infobip"), send_sms(2, "queued"))
        await until(lambda: run.gate.active == 1)
        run.worker.stop()
        run.feed.push(send_sms(3, "read after the stop"))
        await run.serving
        answers = {a["id"]: a["error"] for a in run.answers}
        assert answers[1]["code"] == -32004
        details = answers[1]["data"]["error"]["details"]
        sent = run.gate.arrived
        assert details["bulkId"] and len(details["messageIds"]) == 1 and sent == ["at infobip"]
        for later in (2, 3):
            assert answers[later]["code"] == -32000
            assert answers[later]["data"]["error"]["type"] == "stopped"
        assert run.sandbox.requests == []  # nothing got past the gate

    asyncio.run(scenario())


def test_stop_lets_requests_in_flight_finish_within_the_grace_period() -> None:
    async def scenario() -> None:
        run = Run(grace=60.0)
        await run.one_held()
        run.worker.stop()
        await run.still_serving()
        run.gate.release("slow")
        await run.serving
        assert "result" in run.answers[0]

    asyncio.run(scenario())


def test_a_second_stop_cuts_the_grace_period_short() -> None:
    async def scenario() -> None:
        run = Run(grace=3600.0)
        await run.one_held()
        run.worker.stop()
        run.worker.stop()
        await run.serving
        assert run.answers[0]["error"]["code"] == -32004

    asyncio.run(scenario())


def test_a_closed_stdout_stops_reading_and_logs_what_it_could_not_tell(caplog: Any) -> None:
    async def scenario() -> None:
        run = Run()

        def closed(data: bytes) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        run.worker._output = BlockingOutput(closed)
        run.worker._output.attach(run.worker._lost_queued, run.worker._wake_dispatcher)
        await run.one_held()
        run.feed.push(request(2, "nope"))
        await until(lambda: len(caplog.records) >= 2)
        run.gate.release("slow")
        await run.serving  # ends although the input stays open

    asyncio.run(scenario())
    text = caplog.text
    assert "stdout is closed" in text
    assert "answer not delivered: request 1 (execute): it succeeded" in text
    assert "answer not delivered: request 2: error -32601 input" in text
