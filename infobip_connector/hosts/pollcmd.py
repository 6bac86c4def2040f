"""``infobip-connector poll``: one poll of a trigger, its state kept in a file between runs.

The state file holds what ``component.poll`` returned last (small JSON). A missing file is a
first poll; a file that cannot be read or is not a poll's state is a usage error naming the
file, never silently reset (a reset would hand out again every item the window remembers).
The new state is written to a temporary file beside it first, the events printed, and only
then is the temporary file renamed over the state (atomic on POSIX and Windows): a run that
fails or is interrupted leaves the previous state whole. A poll whose answer was lost leaves
the state as it was (``component.poll`` raises; exit 4). Items handed out that could not be
read (the poll's ``refused``) are written to stderr, one ``{"refused": item}`` JSON line each,
so they are not lost with the batch's other items, which are printed as usual.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from typing import TYPE_CHECKING, Any, TextIO

from .. import safejson
from ..errors import InputError, UsageError
from . import jsonout

if TYPE_CHECKING:
    from ..component import Component

#: A poll's state is a few kilobytes at most; anything far larger is not one.
MAX_STATE_BYTES = 1024 * 1024


def _bad_state(path: str, message: str, done: str = "nothing was polled") -> UsageError:
    return UsageError(
        [{"path": "--state", "message": f"{path} {message}; fix or remove it ({done})"}]
    )


def read_state(path: str, limit: int = MAX_STATE_BYTES, done: str = "nothing was polled") -> Any:
    """The state saved in ``path``, or None when there is no such file (a first poll).

    Raises UsageError at ``--state`` naming the file when it cannot be read, is larger than
    ``limit`` bytes or is not JSON (its message ends saying ``done``).
    """
    try:
        with open(path, "rb") as file:
            raw = file.read(limit + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _bad_state(path, f"cannot be read ({exc.strerror})", done) from None
    if len(raw) > limit:
        raise _bad_state(path, "is too large to be a trigger's state", done)
    try:
        return safejson.loads(raw)
    except safejson.JsonError as exc:
        raise _bad_state(path, f"is not a trigger's state: {exc}", done) from None


def write_state(path: str, state: dict[str, Any]) -> None:
    """``state`` saved in ``path`` atomically (a temporary file renamed over it); UsageError
    at ``--state`` when it cannot be."""
    name = _temporary(path, state)
    try:
        os.replace(name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise _bad_state(path, f"cannot be replaced ({exc.strerror})") from None


def _temporary(path: str, state: dict[str, Any]) -> str:
    """``state`` written and synced to a new file beside ``path``; returns its name."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, name = tempfile.mkstemp(prefix=".poll-state-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _bad_state(path, f"cannot be written beside ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(jsonout.encode(state, pretty=False))
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return name


def poll_once(
    component: Component,
    trigger: str,
    state_path: str,
    connection: dict[str, Any],
    transport: Any,
    out: TextIO,
    err: TextIO | None = None,
) -> int:
    """Poll ``trigger`` once: print its new events as JSON lines on ``out``, save the state.

    Returns the number of events printed. Raises UsageError for an unusable state file and
    whatever ``component.poll`` raises (the state file is then left untouched).
    """
    state = read_state(state_path)
    try:
        result = component.poll(trigger, connection, state, transport=transport)
    except InputError as exc:
        if exc.errors and all(str(e.get("path", "")).startswith("state") for e in exc.errors):
            first = exc.errors[0]
            raise _bad_state(
                state_path, f"is not a poll's state ({first.get('path')}: {first.get('message')})"
            ) from None
        raise
    events, new_state = result
    name = _temporary(state_path, new_state)
    try:
        for event in events:
            jsonout.write(event, pretty=False, out=out)
        for item in result.refused:
            jsonout.write({"refused": item}, pretty=False, out=err or sys.stderr)
        try:
            os.replace(name, state_path)
        except OSError as exc:
            raise _bad_state(state_path, f"cannot be replaced ({exc.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return len(events)
