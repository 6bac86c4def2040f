"""The one place that talks HTTP to Infobip: auth, timeouts, retries, error mapping, redaction.

:func:`send` and :func:`send_async` run a request's attempts, over a pooled httpx transport
(``attempts.py``), aiohttp (``aiohttp_sender.py``) or a caller's transport; after each,
``exchange.py``'s :class:`~.exchange._Exchange` judges what comes next, by the retry policy
of the action's kind: a paid message is never sent twice, an item Infobip hands out once
never fetched twice (see ``exchange.py``). An interruption (Ctrl-C, a cancellation) while
the request may have arrived propagates with the IDs to check attached.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

import httpx

from ..outcome import mark_interrupted
from ..redaction import carrying
from ..request import InfobipRequest
from .answers import Answer
from .attempts import (
    aclose_pooled_clients,
    close_pooled_clients,
    pooled_transport,
    run_attempt,
    run_attempt_async,
)
from .connection import ConnectionSettings
from .exchange import _Exchange, _Failure, _Retry

# Re-exported: the package's public names (``infobip_connector.InfobipRequest``,
# ``close_pooled_clients``, ``aclose_pooled_clients``) are loaded lazily from here.
__all__ = [
    "InfobipRequest",
    "aclose_pooled_clients",
    "close_pooled_clients",
    "send",
    "send_async",
]


# ---------------------------------------------------------------- sending


def send(
    settings: ConnectionSettings,
    request: InfobipRequest,
    transport: httpx.BaseTransport | None = None,
) -> Any:
    """Send ``request`` and return Infobip's parsed JSON body, or raise a ConnectorError.

    Ends by ``settings.deadline``. A ``KeyboardInterrupt`` while the request may have
    arrived propagates with the IDs attached (see ``outcome.mark_interrupted``).
    """
    carrier = transport if transport is not None else pooled_transport()
    exchange = _Exchange(settings, request)
    exchange.answered_by(carrier)
    try:
        # Errors and log records made while sending mask the secrets the body carries.
        with carrying(exchange.carried):
            while True:
                try:
                    attempt = exchange.next_attempt()
                    outcome: Answer | _Failure = run_attempt(carrier, attempt, exchange.deadline)
                except Exception as exc:
                    outcome = _Failure.of(exc)
                step = exchange.judge(outcome)
                if not isinstance(step, _Retry):
                    return step
                time.sleep(step.delay)
    except BaseException as exc:
        _interrupted(exc, exchange)
        raise


async def send_async(
    settings: ConnectionSettings,
    request: InfobipRequest,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Any:
    """The async twin of :func:`send`; without a transport it sends over aiohttp.

    Cancellation propagates as usual, with the IDs attached when the request may have arrived.
    """
    exchange = _Exchange(settings, request)
    exchange.answered_by(transport)
    # Entered and left by hand: a ``with`` block would keep a bound ``__exit__`` alive across
    # the awaits of every send, one more object for the cycle collector to count (most
    # sends carry no secret; see docs/performance.md).
    carried = carrying(exchange.carried) if exchange.carried else None
    if carried is not None:
        carried.__enter__()
    try:
        while True:
            # Each attempt's arguments are handed on, not kept in this frame: the dict would
            # be one more object alive across the await.
            try:
                if transport is None:
                    outcome: Answer | _Failure = await _aiohttp_request()(
                        **exchange.next_attempt(tells_connected=True),
                        deadline=max(exchange.deadline.remaining(), 0.001),
                        told=exchange,
                    )
                else:
                    outcome = await run_attempt_async(
                        transport, exchange.next_attempt(), exchange.deadline
                    )
            except Exception as exc:
                outcome = _Failure.of(exc)
            step = exchange.judge(outcome)
            if not isinstance(step, _Retry):
                return step
            import asyncio  # here: a sync run (a CLI step) never loads the event loop

            await asyncio.sleep(step.delay)
    except BaseException as exc:
        _interrupted(exc, exchange)
        raise
    finally:
        if carried is not None:
            carried.__exit__(None, None, None)


@cache
def _aiohttp_request() -> Callable[..., Awaitable[Answer]]:
    """``aiohttp_sender.request``, imported on the first async send: aiohttp takes a while
    to import.

    Kept once its import statement has returned: the statement run on every send resolves
    the package and its from-list again (about 0.75 µs). Never taken from ``sys.modules``,
    where a module is listed while another thread is still running its import; the import
    statement waits for that import to finish. (So a later change to the module's
    ``request``, a test's patch or a reload, is not seen.) Typed loosely: mypy does not
    check the call's keywords against ``request`` (a Protocol would repeat its signature);
    every async send of the tests makes that call.
    """
    from .aiohttp_sender import request

    return request


def _interrupted(exc: BaseException, exchange: _Exchange) -> None:
    # Errors (Exception) are the connector's own by now; what is left is an interruption
    # (CancelledError, KeyboardInterrupt, SystemExit), which must keep propagating.
    if not isinstance(exc, Exception) and exchange.maybe_sent:
        mark_interrupted(exc, exchange.request.reference, exchange.request.kind)
