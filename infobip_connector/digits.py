"""A send's answer, read again keeping every digit, only when its output check or its
accounting asks.

orjson reads a whole number of 2^64 or more (or below -2^63) as a float, which loses digits
(``12345678901234567890123`` -> ``1.2345678901234568e+22``); the standard library keeps them
but reads a 100,000-message answer several times slower, and even a scan of the bytes for a
long number costs a bulk send's answer tens of milliseconds. So a send's answer is read by
orjson alone, and the transport holds a way to read it again with every digit
(:func:`hold`); the action's output check, which walks the output anyway, asks for it
(:func:`again`) only when it meets a number that may have lost digits: a float where text is
declared, or one of 2^63 or more where a number is. orjson also reads a number too small
for a double (``1e-400``) as 0.0, which the output rule would turn into 0: a send declares
whole numbers and text only, so such a number stands either as a float the accounting meets
where a whole number is declared, or where the output check fails; both ask for the second
read, in which it is kept as its literal text and told. Searching every answer for one cost a
100,000-message answer about 13 ms. Only one in ``confirmedByDuplicateRejection`` (which only
the connector fills: it is left out), in a status a duplicate's confirmation replaces, or under
a key given twice (the last of which wins) does not have the answer read again; it is told
only when another number does. Every other answer (reads, consumes, options, error bodies,
webhooks) keeps every digit from the start (``safejson``).

The held reader is kept per thread, as ``gcpause`` keeps its answer scopes (a dict by thread
ident: a ``ContextVar`` or ``threading.local`` costs several times as much to set, on every
send). From the answer's arrival to the check of its output there is no wait on the network
or on another task (an async send returns its body and the output is shaped in the same step
of its task), so no other send of the thread can come between; the reader is dropped once
the output is checked (a webhook's registration, a send that makes no output, drops it when
answered), so an answer is not kept past its execution. What the common path
pays is two stores in a dict, whatever the size of the answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

#: Per thread ident: ``(body, read, data)`` of the last send's answer, ``read(data)`` being
#: the body read again with every digit. The body itself is held, not its ``id``: a freed
#: answer's id may be a later one's.
_held: dict[int, tuple[Any, Callable[[bytes], Any], bytes]] = {}
_ident = threading.get_ident


def hold(body: Any, read: Callable[[bytes], Any], data: bytes) -> None:
    """Remember that ``body`` (a send's answer as orjson read it from ``data``) reads again
    with every digit as ``read(data)`` (which raises what the first read would have)."""
    _held[_ident()] = (body, read, data)


def again(body: Any) -> Any | None:
    """``body`` read again with every digit, or None when no reader is held for it (an
    answer from elsewhere, or one already read with digits). Forgets the held reader."""
    held = _held.pop(_ident(), None)
    if held is None or held[0] is not body:
        return None
    return held[1](held[2])


def forget() -> None:
    """Drop the held reader (and the answer it keeps), if any."""
    _held.pop(_ident(), None)
