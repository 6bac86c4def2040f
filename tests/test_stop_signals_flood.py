"""A flood of stop signals never makes the signal handler report a full wakeup pipe.

The loop learns of a signal through a byte its C handler writes to the loop's wakeup pipe.
When the signals come faster than the loop reads (a supervisor repeating SIGTERM while the
worker shuts down), the pipe fills; asyncio's loop asked CPython to report each byte that
did not fit, and the report is queued from inside the signal handler under a lock: a signal
that interrupts the holder of that lock waits on it for ever (``serve`` hung that way,
neither exiting nor dying). ``on_stop_signals`` turns the report off, as uvloop does.

The hang itself is a race of a few instructions; what is tested is the path into it: the
pipe filled while the loop reads nothing, and the report it would give.
"""

from __future__ import annotations

import asyncio
import importlib.util
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from infobip_connector.hosts import stopsignals
from infobip_connector.hosts.eventloop import LoopFactory, run

LOOPS: list[Any] = ["asyncio"]
if importlib.util.find_spec("uvloop") is not None:
    LOOPS.append("uvloop")
#: Many more signals than a socket pair's buffer takes (about 280 one-byte writes on Linux).
FLOOD = 3000


def _factory(name: str) -> LoopFactory | None:
    if name == "asyncio":
        return None
    import uvloop

    factory: LoopFactory = uvloop.new_event_loop
    return factory


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
@pytest.mark.parametrize("loop", LOOPS)
def test_a_flood_the_loop_does_not_read_is_not_reported_from_the_handler(
    loop: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", reports.append)
    stops: list[None] = []
    signals = [signal.SIGTERM, signal.SIGTERM, signal.SIGINT, signal.SIGHUP]

    async def flood() -> None:
        remove = stopsignals.on_stop_signals(lambda: stops.append(None))
        try:
            for sent in range(FLOOD):  # synchronous: the loop reads none of them meanwhile
                signal.raise_signal(signals[sent % len(signals)])
            for _ in range(3):
                await asyncio.sleep(0)  # now it does
        finally:
            remove()

    run(flood(), _factory(loop))
    assert [(report.exc_type, report.err_msg) for report in reports] == []
    # The loop still took the stop, and fewer times than sent: the socket did fill.
    assert 0 < len(stops) < FLOOD


# A thread started while the signals were released takes them with the action of the moment;
# the main thread holds them. Ignored from then on, a flood reaching that thread does nothing.
AFTER_THE_LAST_ANSWER = """
import os, signal, sys, threading, time
from infobip_connector.hosts import stopsignals
stopsignals.hold()
stopsignals.release()
threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
stopsignals.hold()
if sys.argv[1] == "ignore":
    stopsignals.ignore()
for _ in range(200):
    os.kill(os.getpid(), signal.SIGTERM)
    os.kill(os.getpid(), signal.SIGINT)
time.sleep(0.2)
print("alive")
"""


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
@pytest.mark.parametrize("then", ["ignore", "hold only"])
def test_signals_after_the_last_answer_reach_no_default_action_in_other_threads(
    then: str,
) -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", AFTER_THE_LAST_ANSWER, then],
        capture_output=True,
        timeout=60,
    )
    if then == "ignore":
        assert (done.returncode, done.stdout.strip()) == (0, b"alive")
    else:  # what ignore() is for: held in the main thread alone, another thread dies of it
        assert done.returncode == -signal.SIGTERM


HANDLING = """
import asyncio, signal, sys
from infobip_connector.hosts import stopsignals
async def main():
    if sys.argv[1] == "held":
        stopsignals.hold()
    with stopsignals.handling(lambda: None):
        await asyncio.sleep(0)
    # Before the loop closes: the handlers are gone, and with them the wakeup descriptor.
    return signal.getsignal(signal.SIGTERM).name, signal.set_wakeup_fd(-1)
print(*asyncio.run(main()))
"""


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
@pytest.mark.parametrize(("start", "after"), [("held", "SIG_IGN"), ("released", "SIG_DFL")])
def test_the_handling_block_ignores_the_signals_after_it_only_when_it_held_them(
    start: str, after: str
) -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", HANDLING, start], capture_output=True, timeout=60, check=True
    )
    assert done.stdout.split() == [after.encode(), b"-1"]


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
def test_the_threads_a_worker_starts_never_take_a_stop_signal() -> None:
    from infobip_connector.hosts.daemoncall import call_in_daemon_thread

    def mask() -> set[int]:
        return set(signal.pthread_sigmask(signal.SIG_BLOCK, []))

    async def in_its_thread() -> set[int]:
        return await call_in_daemon_thread(mask)

    here = mask()
    blocked = asyncio.run(in_its_thread())
    assert {signal.SIGTERM, signal.SIGINT, signal.SIGHUP} <= blocked
    assert mask() == here  # the starting thread's own mask is as it was


def _after_keeping_loop_threads(body: str, run: str) -> bytes:
    """The output of a fresh process whose ``main`` holds the stop signals, keeps the loop's
    threads from them (``keep_from_loop_threads``), releases them and runs ``body`` (its
    lines, indented as in ``main``); ``run`` starts ``main`` (``asyncio.run``, ``uvloop.run``)."""
    import subprocess

    probe = (
        "import asyncio, os, signal\n"
        + ("import uvloop\n" if run.startswith("uvloop") else "")
        + "from infobip_connector.hosts import stopsignals\n"
        "async def main():\n"
        "    stopsignals.hold()\n"
        "    await stopsignals.keep_from_loop_threads()\n"
        "    stopsignals.release()\n" + body + f"{run}(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, timeout=60, check=True
    )
    return done.stdout


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_uvloops_thread_pool_is_made_with_the_stop_signals_blocked() -> None:
    pytest.importorskip("uvloop")
    out = _after_keeping_loop_threads(
        "    await asyncio.get_running_loop().getaddrinfo('localhost', None)\n"
        "    for tid in os.listdir('/proc/self/task'):\n"
        "        name = open(f'/proc/self/task/{tid}/comm').read().strip()\n"
        "        status = open(f'/proc/self/task/{tid}/status').read().split('SigBlk:')[1]\n"
        "        print(name, int(status.split()[0], 16) & (1 << (signal.SIGTERM - 1)) != 0)\n",
        "uvloop.run",
    )
    pool = [line.split()[1] for line in out.decode().splitlines() if "libuv" in line]
    assert pool and set(pool) == {"True"}, out


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
def test_the_default_executors_threads_never_take_a_stop_signal() -> None:
    out = _after_keeping_loop_threads(
        "    mask = lambda: signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, [])\n"
        "    print(mask(), await asyncio.get_running_loop().run_in_executor(None, mask))\n",
        "asyncio.run",
    )
    # The main thread takes them again; the executor's thread, made after, does not.
    assert out.split() == [b"False", b"True"]


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_the_stdin_thread_of_a_regular_file_never_takes_a_stop_signal(tmp_path: Path) -> None:
    import threading

    from infobip_connector.hosts.serve.lines import CHUNK, READ_AHEAD, LineReader

    requests = tmp_path / "requests.jsonl"
    # More chunks than the thread reads ahead: it then waits for room, alive to be looked at.
    requests.write_bytes(b"{}\n" * (CHUNK // 3 * (READ_AHEAD + 2)))
    term = 1 << (signal.SIGTERM - 1)

    async def main() -> tuple[bool, bool, int]:
        with requests.open("rb") as file:
            # epoll refuses a regular file: the reader reads it in a thread of its own.
            reader = LineReader(file.fileno(), 1 << 20, asyncio.get_running_loop())
            reader.start()
            [thread] = [t for t in threading.enumerate() if t.name == "serve-stdin"]
            status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
            blocked = int(status.split("SigBlk:")[1].split()[0], 16)
            lines = 0
            while group := await reader.next():  # to the end: the thread then ends
                lines += len(group)
            thread.join(10)
            return bool(blocked & term), thread.is_alive(), lines

    here = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    assert signal.SIGTERM not in here  # else the thread would inherit it anyway
    thread_blocks, still_running, lines = asyncio.run(main())
    assert thread_blocks
    assert not still_running
    assert lines == CHUNK // 3 * (READ_AHEAD + 2)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == here
