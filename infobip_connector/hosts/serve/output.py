"""Whether the client closed the worker's stdout, asked without writing to it.

A worker learns that nobody reads its answers when a write fails (EPIPE); but between two
answers it would go on reading lines and running them, and a send made then has an answer
nobody gets. So before it runs the lines it read, the worker asks the descriptor: a pipe
whose reading end is closed reports POLLERR (a terminal that hung up, POLLHUP) to a
``poll`` with no wait. Where ``select.poll`` is missing (Windows), only the failed write
tells.
"""

from __future__ import annotations

import select
from collections.abc import Callable


def output_closed(fd: int) -> Callable[[], bool]:
    """A check, without waiting, of whether ``fd`` (the answers' pipe) lost its reader."""
    if not hasattr(select, "poll"):
        return lambda: False
    poller = select.poll()
    poller.register(fd, 0)  # no events asked for: POLLERR, POLLHUP and POLLNVAL still come
    gone = select.POLLERR | select.POLLHUP | select.POLLNVAL

    def closed() -> bool:
        return any(events & gone for _, events in poller.poll(0))

    return closed
