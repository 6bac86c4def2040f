"""A group of lines starts from the reader's callback only when nothing could make it wait.

``Worker.take_now`` saves the turn of the event loop that waking the dispatcher costs; every
group it declines goes through the dispatcher as before. What is asserted is which groups it
takes and that every request is answered once, in the order the dispatcher would give.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import orjson

from infobip_connector.hosts.lineout import BlockingOutput
from infobip_connector.hosts.serve.lines import Item, LineReader
from infobip_connector.hosts.serve.worker import Worker
from infobip_connector.sandbox import Sandbox

from .serve_support import KEY, Gate, methods_for, request, send_sms, until
from .test_serve_concurrency import Run


def test_a_line_read_while_the_dispatcher_waits_is_started_at_once() -> None:
    async def scenario() -> None:
        run = Run()
        await until(lambda: run.worker._reading)
        assert run.worker.take_now([send_sms(1), request(2, "definition")])
        assert len(run.worker._tasks) == 2  # started, not queued for the dispatcher
        await until(lambda: len(run.answers) == 2)
        assert sorted(run.ids()) == [1, 2]
        run.feed.close()
        await run.serving

    asyncio.run(scenario())


def test_a_group_is_declined_while_a_call_would_have_to_wait_for_a_slot() -> None:
    async def scenario() -> None:
        run = Run(max_in_flight=2)
        await until(lambda: run.worker._reading)
        batch = b"[" + b",".join(send_sms(n) for n in range(3)) + b"]"
        assert not run.worker.take_now([batch])  # three calls, two slots
        assert not run.worker.take_now([send_sms(4), send_sms(5), send_sms(6)])
        assert not run.worker._tasks and not run.answers  # nothing of them started
        await run.one_held()  # one slot left
        await until(lambda: run.worker._reading)
        assert not run.worker.take_now([b"[" + send_sms(7) + b"," + send_sms(8) + b"]"])
        assert run.worker.take_now([send_sms(9)])
        run.gate.release("slow")
        await until(lambda: len(run.answers) == 2)
        assert sorted(run.ids()) == [1, 9]
        run.feed.close()
        await run.serving

    asyncio.run(scenario())


def test_a_group_is_declined_once_the_worker_stops_or_its_output_is_congested() -> None:
    async def scenario() -> None:
        run = Run()
        await until(lambda: run.worker._reading)
        congested = BlockingOutput(run._write)
        congested.congested = lambda: True  # type: ignore[method-assign]
        real, run.worker._output = run.worker._output, congested
        assert not run.worker.take_now([send_sms(1)])
        run.worker._output = real
        run.worker.stop()
        assert not run.worker.take_now([send_sms(2)])
        await run.serving
        assert run.answers == []  # the declined lines were never handed to the dispatcher

    asyncio.run(scenario())


def test_a_group_is_declined_when_stdout_lost_its_reader_and_the_dispatcher_stops() -> None:
    async def scenario() -> None:
        run = Run()
        await until(lambda: run.worker._reading)
        run.worker._output_gone = lambda: True
        assert not run.worker.take_now([send_sms(1)])
        assert not run.worker._tasks  # not run: nobody would read its answer
        run.feed.push(send_sms(1))  # the reader hands a declined group on, as here
        await run.serving
        assert run.gate.arrived == []

    asyncio.run(scenario())


def test_lines_from_a_pipe_are_answered_in_order_whether_taken_at_once_or_queued() -> None:
    """A group is taken at once only while the dispatcher waits for input and none is
    queued, so a later line never overtakes an earlier one."""

    async def scenario() -> None:
        sandbox = Sandbox(KEY, deliver_reports=False)
        gate = Gate(sandbox.transport())
        answers: list[Any] = []
        worker = Worker(
            methods_for(gate),
            lambda data: answers.extend(orjson.loads(x) for x in data.splitlines()),
            max_in_flight=1,
            grace=5.0,
        )
        offered: list[bool] = []

        def take_now(group: list[Item]) -> bool:
            offered.append(worker.take_now(group))
            return offered[-1]

        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        reader = LineReader(read_end, 1 << 20, asyncio.get_running_loop(), take_now)
        reader.start()
        serving = asyncio.create_task(worker.serve(reader.next, reader.ready))
        gate.hold("slow")
        await until(lambda: worker._reading)
        os.write(write_end, send_sms(1, "slow") + b"\n")
        await until(lambda: gate.active == 1)
        os.write(write_end, send_sms(2) + b"\n")  # the one slot is taken: queued
        await until(lambda: len(offered) == 2)
        os.write(write_end, send_sms(3) + b"\n")  # the dispatcher waits for the slot
        await until(lambda: len(offered) == 3)
        assert offered == [True, False, False]
        gate.release("slow")
        await until(lambda: len(answers) == 3)
        assert [answer["id"] for answer in answers] == [1, 2, 3]
        os.close(write_end)
        await serving
        reader.close()
        os.close(read_end)

    asyncio.run(scenario())


def test_a_batch_taken_at_once_is_answered_as_one_array() -> None:
    async def scenario() -> None:
        run = Run()
        await until(lambda: run.worker._reading)
        batch = b"[" + send_sms(1) + b"," + request(2, "definition") + b"]"
        assert run.worker.take_now([batch])
        await until(lambda: len(run.answers) == 1)
        [array] = run.answers
        assert sorted(answer["id"] for answer in array) == [1, 2]
        assert orjson.dumps(array)
        run.feed.close()
        await run.serving

    asyncio.run(scenario())
