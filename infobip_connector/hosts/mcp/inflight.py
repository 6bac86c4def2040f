"""The tool calls an MCP server is running, so that no call's outcome goes nowhere.

A call whose send or pull has reached Infobip can lose its answer four ways: the client
cancels the request (``notifications/cancelled``: the protocol then forbids an answer),
it leaves (HTTP: its response is gone), the input ends (stdio), or a stop signal comes.
Each call runs as a task of its own that the request does not cut short: a send is never
cut off mid-flight by the client.

- A call whose request was cancelled, or (HTTP) whose client left before the response
  carrying its answer ended (``httpanswers.py``), runs to its end; its result (a send's
  is kept by key, ``runningkeys.py``, so the same call again gets it) is logged in one
  line: the tool, the request id, the IDs (bulkId, messageIds) and the execution key.
- :meth:`InFlight.stop` (end of input, SIGTERM, SIGINT, SIGHUP) takes no more calls (a new
  one is answered ``stopped``, nothing sent), gives those in flight ``grace`` seconds, then
  cancels them: a cancelled send that may have reached Infobip ends ``outcome_unknown`` with
  its IDs and key (``outcome.py``), which is answered while the transport is open. A
  second stop cancels at once.
- A call whose answer could not be written is logged in one line as well: over stdio the
  transport says so (:meth:`InFlight.undelivered`, or no :meth:`delivered` by the end),
  for every call; over HTTP the response's watch does (``httpanswers.py``), for each send
  or pull (a read is safe to ask for again): one whose response had not ended when the
  server stopped is logged then.

The lines are ``serve``'s (``serve/lost.py``), redacted (``get_logger``), and name IDs,
never message texts or numbers.
Not the SDK's: ``server.py`` hands calls here; asyncio tasks, as the server's loop is.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.lowlevel

from ... import outcome
from ...errors import ConnectorError
from ...redaction import get_logger
from ..serve.lost import LOST, lost_line
from .calls import CallResult, ToolRunner
from .httpanswers import AnswerWatch

log = get_logger("infobip_connector.mcp")

#: How long the end waits for the answers of the calls that ended while stopping to be
#: written (seconds): a write to a pipe or socket takes far less.
SETTLE_SECONDS = 2.0
#: The kinds whose result, once lost, may stand for something Infobip did (sent, handed out).
_ACCOUNTED = frozenset({"send", "consume"})


class Stopped(ConnectorError):
    """The server was stopping when this call came: nothing was sent; safe to call again."""

    type = "stopped"


STOPPED_MESSAGE = (
    "The server is stopping and took no new call: nothing was sent. Call again once it runs."
)

CUT_MESSAGE = (
    "The server stopped before this call had sent anything: nothing was sent. Call again "
    "once it runs."
)


@dataclass(eq=False)  # each call is itself, kept in a set
class _Call:
    request_id: Any
    tool: str
    task: asyncio.Task[CallResult]


class InFlight:
    """The calls of one server in flight; ``grace`` seconds for them once it stops."""

    def __init__(self, runner: ToolRunner, grace: float) -> None:
        self._runner = runner
        self._grace = grace
        self._calls: set[_Call] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False  # new calls are refused
        self._stop_started = False  # :meth:`stop` ran: another call of it cancels at once
        self._watching = False  # the transport tells which answers it wrote (stdio)
        # Results by request id until their answer is written: of the sends and pulls that
        # end while stopping, and (``watch``) of every call.
        self._unanswered: dict[str, tuple[Any, str, CallResult]] = {}  # id, tool, result
        self._answered = asyncio.Event()

    @property
    def grace(self) -> float:
        """Seconds the calls in flight get once the server stops (``--grace``)."""
        return self._grace

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called: new calls are refused."""
        return self._stopping

    async def call(
        self,
        request_id: Any,
        name: str,
        arguments: Mapping[str, Any] | None,
        watch: AnswerWatch | None = None,
    ) -> CallResult:
        """The result of tool ``name``; raises what the runner raises (an unknown tool).

        Awaited with the request's cancellation held off until the call has ended, so a
        cancelled request still sees its call finish and its outcome logged; the
        cancellation is then raised as the SDK expects. ``watch``: how the HTTP response
        that carries the answer ends (``httpanswers.py``); a send or pull whose response is
        gone is logged, and its key kept, as a cancelled one is.
        """
        if self._stopping:
            refused = self._runner.error_result(Stopped(STOPPED_MESSAGE))
            if self._watching:  # its answer too is accounted for, and logged if lost
                self._unanswered[_key(request_id)] = (request_id, name, refused)
            return refused
        entry = _Call(request_id, name, asyncio.ensure_future(self._runner.call(name, arguments)))
        self._calls.add(entry)
        self._idle.clear()
        try:
            with anyio.CancelScope(shield=True):  # the request's cancellation waits for the end
                result = await _ended(entry.task, self._runner)
        finally:
            self._calls.discard(entry)
            if not self._calls:
                self._idle.set()
        if self._watching or (self._stopping and self._accounted(name)):
            self._unanswered[_key(request_id)] = (request_id, name, result)
        try:
            await anyio.lowlevel.checkpoint()  # a cancellation held off meanwhile is raised here
        except anyio.get_cancelled_exc_class():
            self._unanswered.pop(_key(request_id), None)
            if self._accounted(name):
                why = "its request was cancelled, so the client never got this"
                self._lost(request_id, name, result, why)
            raise
        if watch is not None and self._accounted(name):
            watch.then(lambda gone: self._left(request_id, name, result, gone))
        return result

    def _left(self, request_id: Any, name: str, result: CallResult, gone: bool) -> None:
        """The HTTP response for ``result`` ended; ``gone``: its client left first (logged
        now), else it was written whole (nothing to log, even when it ended while stopping)."""
        found = self._unanswered.get(_key(request_id))
        if found is not None and found[2] is result:  # accounted for here, not at the end
            del self._unanswered[_key(request_id)]
            if not self._unanswered:
                self._answered.set()
        if gone:
            self._lost(request_id, name, result, "the client left before its HTTP response ended")

    def _accounted(self, name: str) -> bool:
        """Whether a lost answer of tool ``name`` may stand for something Infobip did (a
        send, items handed out once); a read's is safe to ask for again."""
        tool = self._runner.tools.get(name)
        return tool is not None and tool.kind in _ACCOUNTED

    def watch(self) -> None:
        """The transport will call :meth:`delivered` or :meth:`undelivered` for each answer:
        every call's result is kept until then, not only those that end while stopping."""
        self._watching = True

    def delivered(self, request_id: Any) -> None:
        """The transport wrote the answer to ``request_id`` (nothing to log for it)."""
        if self._unanswered.pop(_key(request_id), None) is not None and not self._unanswered:
            self._answered.set()

    def undelivered(self, request_id: Any, why: str) -> bool:
        """The transport could not write the answer to ``request_id``: logged now, when it
        answers a call of this server's (gives whether it did)."""
        found = self._unanswered.pop(_key(request_id), None)
        if found is not None:
            self._lost(*found, why)
        if not self._unanswered:
            self._answered.set()
        return found is not None

    async def stop(self) -> None:
        """Take no new calls; give those in flight ``grace`` seconds, then cancel them.

        Returns once none is in flight. Called again (a second signal) it cancels at once.
        """
        if self._stop_started:
            self.hurry()
            await self._idle.wait()
            return
        self._stop_started = self._stopping = True
        try:
            await asyncio.wait_for(self._idle.wait(), self._grace)
        except TimeoutError:
            self.hurry()
            await self._idle.wait()

    def refuse(self) -> None:
        """Refuse every call from now on (answered ``stopped``, nothing sent), before
        :meth:`stop` runs: the transport found nobody reads the answers."""
        self._stopping = True

    def hurry(self) -> None:
        """Cancel every call in flight now (each then ends ``outcome_unknown`` or stopped)."""
        for entry in list(self._calls):
            entry.task.cancel()

    async def settle(self, timeout: float = SETTLE_SECONDS) -> None:
        """Wait (at most ``timeout`` s) for the answers of calls that ended while stopping
        to be written (stdio) or their HTTP responses to end."""
        if self._unanswered:
            self._answered.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._answered.wait(), timeout)

    def report(self, why: str) -> None:
        """Log each call that ended while stopping and whose answer was not seen written."""
        for request_id, tool, result in self._unanswered.values():
            self._lost(request_id, tool, result, why)
        self._unanswered.clear()

    def _lost(self, request_id: Any, tool: str, result: CallResult, why: str) -> None:
        """Log a call whose answer the client may not have; the key the line names is kept
        (a send's key this server made included), so the same call with it is a replay."""
        self._runner.keep(result)
        _log(request_id, tool, result, why)


async def _ended(task: asyncio.Task[CallResult], runner: ToolRunner) -> CallResult:
    """The result of ``task`` once it has ended.

    A task cancelled by :meth:`InFlight.hurry` ends with the ``outcome_unknown`` its
    cancellation carries (IDs and key), or ``stopped`` when nothing had left yet.
    """
    await asyncio.wait({task})
    try:
        return task.result()
    except asyncio.CancelledError as exc:
        unknown = getattr(exc, outcome.ATTRIBUTE, None)
        if isinstance(unknown, ConnectorError):
            return runner.error_result(unknown)
        return runner.error_result(Stopped(CUT_MESSAGE))


def _key(request_id: Any) -> str:
    return f"{type(request_id).__name__}:{request_id}"


def _log(request_id: Any, tool: str, result: CallResult, why: str) -> None:
    """Serve's line for a call whose answer the client may not have: tool, id, outcome, IDs,
    key (``serve/lost.py``)."""
    error = None
    if result.is_error:
        found = result.structured.get("error")
        error = str(found.get("type") if isinstance(found, Mapping) else None)
    line = lost_line(
        request_id,
        tool,
        error=error,
        ids=result_ids(result.structured),
        key=result.key,
        key_name="idempotency_key",
        why=why,
    )
    log.warning(LOST, line)


def result_ids(structured: Mapping[str, Any]) -> dict[str, Any]:
    """The IDs a result names: those of an error's details, or ``outcome.result_ids`` of an
    output; empty when it names none."""
    error = structured.get("error")
    if isinstance(error, Mapping):
        details = error.get("details")
        return dict(details) if isinstance(details, Mapping) else {}
    return outcome.result_ids(structured)
