"""A pipe or socket written without blocking, for a host's protocol stdout.

A client that stops reading fills the pipe; a blocking write would then hold the host's
whole event loop. ``serve`` and the MCP server make their stdout non-blocking while they
run, when it is a pipe or a socket, and wait on the loop for room instead.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def nonblocking(fd: int) -> Iterator[bool]:
    """``fd`` non-blocking meanwhile when it is a pipe or socket, as it was afterwards.

    Gives whether ``fd`` is now a non-blocking pipe or socket (made so here, or already).
    Only those can stall on a reader; a regular file never does, and a terminal is left as
    it is (its flags are the shell's too). The flag belongs to the open file, which other
    processes may share, hence put back.
    """
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        yield False
        return
    if not os.get_blocking(fd):
        yield True
        return
    os.set_blocking(fd, False)
    try:
        yield True
    finally:
        os.set_blocking(fd, True)
