"""A blocking call run on a daemon thread of its own, awaited from the event loop.

``asyncio.to_thread`` runs on the loop's default executor, whose threads the loop's
shutdown and then the interpreter's exit both wait for: a read cut off by a stop (its
answer already given) kept a stopping host alive until the read's own timeout, half a
minute or more, past any supervisor's patience. A daemon thread is left behind at exit
instead; what it was doing is already answered as cut off.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from . import stopsignals

T = TypeVar("T")


async def call_in_daemon_thread(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` on a new daemon thread, in a copy of this context.

    Returns its result or raises its exception. Cancelling the await does not stop the
    thread (nothing can); its result is then dropped, and the process may exit without
    waiting for it.
    """
    loop = asyncio.get_running_loop()
    settled: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def settle(result: T | None, error: BaseException | None) -> None:
        if settled.done():  # cancelled meanwhile
            return
        if error is not None:
            settled.set_exception(error)
        else:
            settled.set_result(result)  # type: ignore[arg-type]

    def work() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = context.run(function, *args, **kwargs)
        except BaseException as exc:  # handed to the awaiting task, which raises it
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop is closed: the host has stopped
            loop.call_soon_threadsafe(settle, result, error)

    with stopsignals.kept_from_new_threads():
        threading.Thread(target=work, name="read", daemon=True).start()
    return await settled
