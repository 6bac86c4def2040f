"""``serve`` answers what it read whenever a stop comes, and exits 0 however many come.

A stop signal during start-up (before the event loop runs) waits for the worker's handler
instead of killing the process; the lines already in the pipe when the worker stops are
answered ``stopped``; signals during the shutdown do not turn the exit into a death by
signal; a client that closed stdout gets nothing more run.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from infobip_connector.hosts.serve.worker import Worker
from infobip_connector.sandbox import Sandbox

from .serve_support import KEY, Feed, answers_of, methods_for, request, send_sms, spawn

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pipes")


def blocked_signals(pid: int) -> int:
    """The mask of signals process ``pid`` blocks (Linux: ``/proc/PID/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigBlk:"):
            return int(line.split()[1], 16)
    return 0


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_a_stop_signal_during_start_up_is_answered_not_fatal() -> None:
    worker = spawn("--sandbox")
    assert worker.stdin is not None
    worker.stdin.write(send_sms(1) + b"\n")
    worker.stdin.flush()
    # The moment the process first holds SIGTERM: long before the worker's loop runs (a
    # process that never holds it gets the signal once it is well into its start-up).
    term = 1 << (signal.SIGTERM - 1)
    for _ in range(3000):
        if worker.poll() is not None or blocked_signals(worker.pid) & term:
            break
        time.sleep(0.001)
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err.decode()
    [answer] = answers_of(out)
    assert answer["id"] == 1
    # The signal came while held (start-up takes far longer than the wait above): the line
    # already in the pipe is not run.
    assert answer["error"]["data"]["error"]["type"] == "stopped", answer


@posix_only
def test_stop_signals_during_the_shutdown_still_end_in_exit_0() -> None:
    worker = spawn("--sandbox")
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write(request(1, "definition") + b"\n")
    worker.stdin.flush()
    first = worker.stdout.readline()  # the worker runs
    assert orjson.loads(first)["id"] == 1
    signals = [signal.SIGTERM, signal.SIGTERM, signal.SIGINT, signal.SIGHUP]
    sent = 0
    while worker.poll() is None and sent < 20_000:
        try:
            worker.send_signal(signals[sent % len(signals)])
        except ProcessLookupError:
            break
        sent += 1
    _, err = worker.communicate(timeout=120)
    assert worker.returncode == 0
    # A full wakeup pipe reported from the signal handler: the path by which a flood hung it.
    assert b"signal wakeup fd" not in err


@posix_only
def test_a_line_written_after_stdout_was_closed_is_not_run() -> None:
    worker = spawn("--sandbox", "-v")
    assert worker.stdin is not None and worker.stdout is not None and worker.stderr is not None
    worker.stdin.write(request(1, "definition") + b"\n")
    worker.stdin.flush()
    worker.stdout.readline()  # the worker runs
    worker.stdout.close()  # the client stops reading
    worker.stdin.write(send_sms(4) + b"\n")
    worker.stdin.close()
    err = worker.stderr.read().decode()
    worker.wait(timeout=120)
    assert "request 4 (execute): error -32000 stopped" in err
    assert "it succeeded" not in err
    assert "POST" not in err  # nothing was sent


def run_stopped(*, early: bool, pipe: list[bytes], output_closed: bool = False) -> list[Any]:
    """The answers of a worker stopped before it serves (``early``) or while it waits for
    input, with ``pipe`` the lines waiting unread at that moment."""
    account = Sandbox(KEY, deliver_reports=False)
    answers: list[Any] = []

    def write(data: bytes) -> None:
        answers.extend(orjson.loads(line) for line in data.splitlines())

    async def scenario() -> None:
        feed = Feed([], stay_open=True)
        worker = Worker(
            methods_for(account.transport()),
            write,
            max_in_flight=4,
            grace=5.0,
            output_closed=lambda: output_closed,
        )
        if early:
            worker.stop()
        waiting = [] if output_closed else list(pipe)
        serving = asyncio.create_task(worker.serve(feed, lambda: waiting))
        if output_closed:
            feed.push(*pipe)
            feed.close()
        elif not early:
            for _ in range(50):
                await asyncio.sleep(0)
            worker.stop()
        await serving

    asyncio.run(scenario())
    assert account.requests == []
    return answers


@pytest.mark.parametrize("early", [True, False])
def test_lines_waiting_in_the_pipe_at_a_stop_are_answered_stopped(early: bool) -> None:
    pipe = [send_sms(1), b"[" + send_sms(2) + b"," + request(3, "definition") + b"]", b"{"]
    answers = run_stopped(early=early, pipe=pipe)
    assert answers[0]["id"] == 1 and answers[0]["error"]["code"] == -32000
    assert [a["error"]["code"] for a in answers[1]] == [-32000, -32000]
    assert answers[2]["error"]["code"] == -32700


def test_lines_read_once_stdout_has_no_reader_are_not_run(caplog: Any) -> None:
    with caplog.at_level("WARNING"):
        answers = run_stopped(early=False, pipe=[send_sms(7)], output_closed=True)
    assert answers == []  # nobody reads them: they go to the log
    assert "stdout is closed" in caplog.text
    assert "request 7 (execute): error -32000 stopped" in caplog.text


def test_a_call_cancelled_before_its_first_step_is_answered_stopped() -> None:
    # Two stops right after a line was read (SIGTERM, then SIGINT, during start-up) cancel
    # its task before it ever ran: it is still answered, and its slot given back.
    account = Sandbox(KEY, deliver_reports=False)
    answers: list[Any] = []

    def write(data: bytes) -> None:
        answers.extend(orjson.loads(line) for line in data.splitlines())

    async def scenario() -> int:
        worker = Worker(methods_for(account.transport()), write, max_in_flight=4, grace=5.0)
        start = worker._start

        def start_then_stop_twice(call: Any, reply: Any) -> None:
            start(call, reply)  # the task exists, its first step not yet taken
            worker.stop()
            worker.stop()

        worker._start = start_then_stop_twice  # type: ignore[method-assign]
        await worker.serve(Feed([[send_sms(5)]]))
        return worker._free

    free = asyncio.run(scenario())
    assert [(a["id"], a["error"]["code"]) for a in answers] == [(5, -32000)]
    assert account.requests == []
    assert free == 4
