"""The worker's loop: lines in, calls run concurrently within a bound, answers out.

One dispatcher reads lines and starts a task per call once one of ``max_in_flight``
slots is free (so a client that sends faster than Infobip answers waits in the pipe);
a group of lines read while the dispatcher waits for input, with a free slot for each of
its calls, is started by the reader itself (:meth:`Worker.take_now`), a turn of the loop
sooner, which a client sending one request at a time waits through on every request;
each task writes its own answer when it is done, so answers come back in the order they
finish. The answers finished in one turn of the event loop go out in one write at the
end of that turn (each still a line of its own): with many requests in flight, a write
per answer was a system call and a wake-up of the reader per request, the largest cost
of ``serve`` over the in-process path. A batch's answer is the array of its calls'
answers, written when the last is done. The write never blocks the loop (``hosts/lineout.py``):
while too many answers wait for a slow client, no slot is free and no new call starts.

Stopping (end of input, SIGTERM, or stdout closed by the client): the dispatcher stops
reading, and the calls it had read but not started are answered ``stopped`` (nothing
sent), as are those of the lines already waiting in the pipe when it stops (``ready``): a
line the client wrote before the stop is answered, never dropped. A stop that comes
before the worker serves (a signal during start-up) takes effect as it starts. Before it
runs the lines of a read, the worker checks that stdout still has a reader
(``output_closed``): once the client closed it, nothing more is run. The calls in flight
run on; after SIGTERM they get ``grace`` seconds (a second signal: none), then are
cancelled, and a cancelled request that may have reached Infobip is answered
``outcome_unknown`` with the IDs to check (``outcome.py`` attaches them), otherwise
``stopped``. Only then, and once the answers waiting for the client are written (or
stdout failed, or ``grace`` seconds passed: each answer given up is logged, as for a
closed stdout), does the worker return.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from ... import outcome
from ...errors import ConnectorError, InternalError
from ...redaction import get_logger
from ..lineout import BlockingOutput, Output, not_read
from .lines import Item, TooLong
from .lost import LOST, NOT_RUN_NOTIFICATION, Summary
from .methods import EXECUTION_KEY, NEEDS_ID, Methods
from .protocol import (
    INTERNAL_ERROR,
    NOT_RUN,
    Call,
    Line,
    RpcError,
    code_of,
    error_answer,
    read_line,
    result_answer,
    too_long,
)
from .replies import Lone, Reply

log = get_logger("infobip_connector.serve")

Answer = dict[str, Any]


class Stopped(ConnectorError):
    """The worker stopped before this request could send anything; safe to send again."""

    type = "stopped"


def _stopped(call: Call) -> Answer:
    """The answer to a call the worker stopped before it could change anything."""
    error = Stopped(
        "The worker stopped before this request sent anything that changes what Infobip does; "
        "send it again to a running worker."
    )
    return error_answer(call.id, NOT_RUN, error)


class Worker:
    """Runs the calls of the lines it is given; ``write`` sends whole encoded answer lines.

    ``write`` is an :class:`~..lineout.Output` (a pipe written without blocking, whose
    congestion holds back new calls) or a function that writes each line at once.
    """

    def __init__(
        self,
        methods: Methods,
        write: Callable[[bytes], None] | Output[Summary],
        *,
        max_in_flight: int,
        grace: float,
        output_closed: Callable[[], bool] = lambda: False,
    ) -> None:
        self._methods = methods
        self._output: Output[Summary] = BlockingOutput(write) if callable(write) else write
        self._output.attach(self._lost_queued, self._wake_dispatcher)
        self._lone = Lone(self.send)
        self._free = max_in_flight  # slots: calls that may start now
        self._slot_freed: asyncio.Future[None] | None = None  # the dispatcher waits on it
        self._grace = grace
        self._output_gone = output_closed
        self._early_stops = 0  # stop() called before serve(): applied as it starts
        self._tasks: set[asyncio.Task[None]] = set()
        self._dispatcher: asyncio.Task[None] | None = None
        self._serving = False
        self._stopping = False  # no new call starts; read by the dispatcher per call
        self._output_closed = False
        self._reading = False  # the dispatcher is waiting for input
        # Answers waiting for the end of this turn of the loop: (line, log lines if lost).
        self._outbox: list[tuple[bytes, list[Summary]]] = []

    async def serve(
        self,
        next_group: Callable[[], Awaitable[list[Item]]],
        ready: Callable[[], list[Item]] = list,
    ) -> None:
        """Run every call read from ``next_group`` until it gives ``[]`` or :meth:`stop`.

        ``ready`` gives, without waiting, the lines already read or waiting in the input
        when the worker stops, and again once its calls in flight have ended: they are
        answered ``stopped``.
        """
        self._serving = True
        for _ in range(min(self._early_stops, 2)):
            self.stop()
        self._dispatcher = asyncio.create_task(self._dispatch(next_group))
        try:
            try:
                await self._dispatcher
            except asyncio.CancelledError:
                if not self._stopping:
                    raise  # cancelled from outside, not by stop()
            if self._stopping:
                self._refuse(ready())
            while self._tasks:
                await asyncio.wait(set(self._tasks))
            if self._stopping:  # the lines written while those ended: the caller then
                self._refuse(ready())  # closes the input (``LineReader.close``)
            self._flush()
            await self._drained()
        finally:
            self._flush()  # the last turn's answers

    async def _drained(self) -> None:
        """Wait for the client to read the answers still queued, ``grace`` seconds at most:
        one that neither reads nor closes its end must not keep the worker for ever. Those
        it did not take by then are logged, as when stdout is closed."""
        given_up = await self._output.drained(self._grace)
        if given_up:
            self._output_closed = True  # whatever comes later is logged, not written
            log.warning(
                "%s: %d answer(s) given up, each logged here", not_read(self._grace), len(given_up)
            )
            _log_lost(given_up)

    def stop(self) -> None:
        """Take no more calls; those in flight get ``grace`` seconds (none when called again).

        Lines read meanwhile are answered ``stopped``; the worker ends once nothing is in
        flight.
        """
        if not self._serving:
            self._early_stops += 1  # not serving yet
            return
        if self._stopping:
            self._cancel_in_flight()
            return
        self._stopping = True
        self._wake_dispatcher()
        asyncio.get_running_loop().call_later(self._grace, self._cancel_in_flight)
        self._end_if_idle()

    def _cancel_in_flight(self) -> None:
        for task in self._tasks:
            task.cancel()

    def _end_if_idle(self) -> None:
        # Only while it waits for input: a line in hand is always answered.
        if self._stopping and not self._tasks and self._reading and self._dispatcher:
            self._dispatcher.cancel()

    def _finished(self, call: Call, reply: Reply | Lone, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            # Cancelled before its first step (a second stop right after the line was read):
            # nothing of it ran, not even _run's own answer, so it is answered here.
            self._free += 1
            self._wake_dispatcher()
            self._refuse_call(call, reply)
        self._end_if_idle()

    async def _dispatch(self, next_group: Callable[[], Awaitable[list[Item]]]) -> None:
        while not (self._stopping and not self._tasks):
            self._reading = True
            try:
                group = await next_group()
            finally:
                self._reading = False
            if not group:
                return
            if not self._output_closed and self._output_gone():
                self._output_lost("its reader is gone")
            for item in group:
                line, reply = self._opened(item)
                for call in line.calls:
                    if self._free and not self._stopping and not self._output.congested():
                        self._free -= 1  # the usual case: a slot is free, nothing to wait for
                    elif not await self._slot():
                        self._refuse_call(call, reply)
                        continue
                    self._start(call, reply)

    def take_now(self, group: list[Item]) -> bool:
        """Start the calls of ``group`` at once, from the reader's callback; false: not taken.

        A group is taken only when nothing could make one of its calls wait or be refused:
        the dispatcher waits for input (so no line read before is still being dispatched),
        the worker is not stopping, stdout has its reader and room, and a slot is free for
        every call. A group not taken goes the usual way, through the dispatcher; what it
        does with it is what this does. Starting here saves the turn of the event loop that
        waking the dispatcher takes, which a client sending one request at a time waits
        through on every request.
        """
        if (
            not self._reading
            or self._stopping
            or self._output_closed
            or len(group) > self._free  # a bound before parsing: most lines hold one call
            or self._output.congested()
        ):
            return False
        lines = [_parsed(item) for item in group]
        if sum(len(line.calls) for line in lines) > self._free or self._output_gone():
            return False  # a batch larger than the free slots, or stdout lost its reader
        for line in lines:
            reply = self._reply(line)
            for call in line.calls:
                self._free -= 1
                self._start(call, reply)
        return True

    def _start(self, call: Call, reply: Reply | Lone) -> None:
        """Run ``call`` in a task of its own; its slot is already taken.

        A notification of a method whose answer is its only record (``NEEDS_ID``) is not
        run: nobody could ever be told what it sent or handed out. One line on stderr says
        so, and its slot is given back.
        """
        if not call.answered and call.method in NEEDS_ID:
            log.warning(NOT_RUN_NOTIFICATION, call.method)
            self._free += 1
            reply.add(None, call.method)  # a batch still counts it as done
            return
        task = asyncio.get_running_loop().create_task(self._run(call, reply))
        self._tasks.add(task)
        task.add_done_callback(partial(self._finished, call, reply))

    def _opened(self, item: Item) -> tuple[Line, Reply | Lone]:
        """The line ``item`` holds and where its answers go, its immediate errors given."""
        line = _parsed(item)
        return line, self._reply(line)

    def _reply(self, line: Line) -> Reply | Lone:
        """Where the answers of ``line`` go, its immediate errors given."""
        reply = Reply(self.send, line) if line.batch else self._lone
        for answer in line.answers:
            reply.add(answer)
        return reply

    def _refuse_call(self, call: Call, reply: Reply | Lone) -> None:
        reply.add(_stopped(call) if call.answered else None, self._method_of(call))

    def _refuse(self, items: list[Item]) -> None:
        """Answer the lines ``items`` as a stopped worker does: nothing of them is run."""
        for item in items:
            line, reply = self._opened(item)
            for call in line.calls:
                self._refuse_call(call, reply)

    async def _slot(self) -> bool:
        """Take a slot once one is free; false (none taken) once the worker is stopping.

        A slot is free while fewer than ``max_in_flight`` calls run and the output is not
        congested (a client that does not read gets no more answers to queue). Only the
        dispatcher takes slots, so one waiter at most: a counter and a future, not a
        semaphore, which cost a coroutine per call even when a slot was free.
        """
        while not self._stopping:
            if self._free and not self._output.congested():
                self._free -= 1
                return True
            self._slot_freed = asyncio.get_running_loop().create_future()
            await self._slot_freed
            self._slot_freed = None
        return False

    def _wake_dispatcher(self) -> None:
        """A slot was freed, the output has room, or the worker is stopping: look again."""
        waiter = self._slot_freed
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _run(self, call: Call, reply: Reply | Lone) -> None:
        try:
            answer = result_answer(call.id, await self._methods.call(call.method, call.params))
        except RpcError as exc:
            answer = error_answer(call.id, exc.code, exc.error)
        except ConnectorError as exc:
            answer = error_answer(call.id, code_of(exc), exc)
        except asyncio.CancelledError as exc:
            # Cancelled by stop() after the grace period: report it rather than drop it.
            unknown = getattr(exc, outcome.ATTRIBUTE, None)
            if isinstance(unknown, ConnectorError):
                answer = error_answer(call.id, code_of(unknown), unknown)
            else:
                answer = _stopped(call)
        except Exception as exc:
            # A bug: its text could quote the request, so only the class is named.
            log.exception("internal error in %s", call.method)
            error = InternalError(f"internal error: {type(exc).__name__}")
            answer = error_answer(call.id, INTERNAL_ERROR, error)
        finally:
            self._free += 1
            if self._slot_freed is not None:
                self._wake_dispatcher()
        key = EXECUTION_KEY.get()  # set by this task's execute, if it was a send
        reply.add(answer if call.answered else None, self._method_of(call), key)

    def _method_of(self, call: Call) -> str | None:
        # A name the client made up may be anything (a phone number): not logged.
        return call.method if self._methods.knows(call.method) else None

    def send(self, data: bytes, summaries: list[Summary]) -> None:
        """Queue one line of answer; it is written with the others of this turn of the loop,
        or at once when no other call runs.

        ``summaries`` has one per answer in ``data`` (a batch's array has several), each
        making the line of :func:`lost.lost_summary` when called: what the log says if
        stdout is closed, never the answer itself, which may hold message texts and phone
        numbers.
        """
        if self._output_closed:
            _log_lost(summaries)
            return
        self._outbox.append((data, summaries))
        if len(self._outbox) == 1:
            if len(self._tasks) > 1:
                asyncio.get_running_loop().call_soon(self._flush)
            else:
                # No other call runs, so no other answer can join this one's write: it goes
                # now, not a turn of the loop later (a client sending one request at a time
                # waits on it).
                self._flush()

    def _flush(self) -> None:
        """Write the queued lines at once; once stdout is closed, log what could not be told."""
        queued, self._outbox = self._outbox, []
        if not queued:
            return
        if not self._output_closed:  # a write that fails tells ``_lost_queued``
            if len(queued) == 1:
                self._output.write(*queued[0])
            else:
                data = b"".join([data for data, _ in queued])
                self._output.write(data, [one for _, some in queued for one in some])
            return
        for _, summaries in queued:
            _log_lost(summaries)

    def _lost_queued(self, why: str, summaries: list[Summary]) -> None:
        """A write failed (at once, or of queued answers): those not delivered are logged."""
        if not self._output_closed:
            self._output_lost(why)
        _log_lost(summaries)

    def _output_lost(self, why: str) -> None:
        """Nobody reads the answers: take no more calls, finish those in flight, log."""
        self._output_closed = True
        log.warning("stdout is closed (%s): stopping; answers go to this log", why)
        if self._serving and not self._stopping:
            self._stopping = True
            self._wake_dispatcher()
            self._end_if_idle()


def _parsed(item: Item) -> Line:
    """The calls and immediate errors of the line ``item``."""
    return too_long(item.limit) if isinstance(item, TooLong) else read_line(item)


def _log_lost(summaries: list[Summary]) -> None:
    for summary in summaries:
        log.warning(LOST, summary())
