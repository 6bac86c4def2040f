"""The event loop the long-lived hosts run on: uvloop when it is installed, else asyncio's.

uvloop (https://github.com/MagicStack/uvloop) is asyncio's event loop rebuilt on libuv, a
drop-in loop for the same API; the optional extra ``uvloop`` installs it. ``serve`` and the
stdio MCP server pick it up by themselves. The environment variable
``INFOBIP_CONNECTOR_LOOP`` chooses: ``auto`` (the default: uvloop when importable),
``asyncio`` (the standard loop, uvloop or not) or ``uvloop`` (required: a usage error when
it is not installed, rather than a quiet fallback).

The connector's async path (``component.execute_async``, its pooled aiohttp session) runs
on whichever loop its caller runs; nothing in it depends on the loop's kind.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar

from ..errors import UsageError

#: The environment variable that chooses the loop.
ENV = "INFOBIP_CONNECTOR_LOOP"
CHOICES = ("auto", "asyncio", "uvloop")
INSTALL = 'pip install "infobip-connector[uvloop]"'

LoopFactory = Callable[[], asyncio.AbstractEventLoop]
T = TypeVar("T")


def loop_factory(environ: Mapping[str, str] | None = None) -> LoopFactory | None:
    """uvloop's loop factory, or None for asyncio's default loop.

    ``environ`` defaults to the process's environment. Raises UsageError naming
    ``INFOBIP_CONNECTOR_LOOP`` when its value is not one of :data:`CHOICES`, or is
    ``uvloop`` while uvloop is not installed.
    """
    given = (os.environ if environ is None else environ).get(ENV, "")
    choice = given.strip().lower() or "auto"
    if choice not in CHOICES:
        shown = given if len(given) <= 32 else given[:32] + "…"
        raise UsageError([{"path": ENV, "message": f"{shown!r}: one of {', '.join(CHOICES)}"}])
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        if choice == "uvloop":
            message = f"uvloop is not installed ({INSTALL}); or set it to auto or asyncio"
            raise UsageError([{"path": ENV, "message": message}]) from None
        return None
    factory: LoopFactory = uvloop.new_event_loop
    return factory


def loop_name(factory: LoopFactory | None) -> str:
    """``uvloop`` or ``asyncio``: what a host reports about the loop it runs."""
    return "asyncio" if factory is None else "uvloop"


def run(main: Coroutine[Any, Any, T], factory: LoopFactory | None) -> T:
    """``asyncio.run(main)`` on a loop made by ``factory`` (None: asyncio's own)."""
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(main)
