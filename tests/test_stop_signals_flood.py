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
    assert [report.err_msg for report in reports] == []
    assert stops  # the loop still took the stop
