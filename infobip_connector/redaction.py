"""Keeping the API key out of every text the connector produces.

Known keys are registered when a connection is checked; ``redact`` replaces them
(and anything shaped like an ``Authorization: App …`` value) in free text. The
logging filter applies it to every record of the ``infobip_connector`` loggers.

A key stays registered for as long as a settings object holding it is alive (each
owner is tracked through a weak reference), so no number of other tenants can push a
key in use out of the list; only keys no longer held by anything are forgotten, oldest
first, past ``MAX_FORGOTTEN_KEYS``.
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from collections import OrderedDict, deque
from functools import partial
from typing import Any

import orjson

MASK = "***"
# Up to the next space, quote or angle bracket: a key may contain ',' or ';'.
_AUTH_VALUE = re.compile(r"\b(App|Bearer|Basic|IBSSO)\s+[^\s\"'<>]+", re.IGNORECASE)

# Shorter values would mask ordinary words; the connection refuses keys this short.
MIN_SECRET_LENGTH = 4
#: The connection refuses longer keys; ``snippet`` reads this far past its cut.
MAX_SECRET_LENGTH = 512
#: Keys no live settings object holds any more are still masked, up to this many.
MAX_FORGOTTEN_KEYS = 256

_lock = threading.Lock()
_live: dict[str, int] = {}  # key → number of live owners
_owners: dict[int, tuple[weakref.ref[Any], str]] = {}  # id(owner) → (its weak ref, its key)
_dead: OrderedDict[str, None] = OrderedDict()  # keys without owners, oldest first
# Owners that died, queued by their weak-reference callback: that callback may run in
# the middle of any code (even code holding ``_lock``), so it only appends here.
_released: deque[int] = deque()
# What ``redact`` reads without the lock: every key, longest first, so that a key that
# contains another key is masked whole.
_snapshot: tuple[str, ...] = ()


def register_secret(value: str, owner: object | None = None) -> None:
    """Mask ``value`` wherever it appears, for as long as ``owner`` is alive.

    Without an owner (or with one that cannot be weakly referenced) the key is kept
    among the forgotten ones: masked until ``MAX_FORGOTTEN_KEYS`` newer ones push it out.
    """
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        _drain_released()
        known = _owners.get(id(owner)) if owner is not None else None
        if known is not None and known[0]() is owner and known[1] == value:
            return  # the usual case: a connection sending again
        if owner is None or not _add_owner(value, owner):
            _forget(value)
        _refresh_snapshot()


def _add_owner(value: str, owner: object) -> bool:
    """Count ``owner`` as holding ``value``; False when it cannot be weakly referenced."""
    ident = id(owner)
    if ident in _owners:
        # A dead owner whose callback has not been drained yet, its id already reused
        # (or, for an owner that is not frozen, an old key): release before replacing.
        _release(ident)
    try:
        ref = weakref.ref(owner, partial(_queue_release, ident))
    except TypeError:
        return False
    _owners[ident] = (ref, value)
    _live[value] = _live.get(value, 0) + 1
    _dead.pop(value, None)
    return True


def _queue_release(ident: int, _ref: object) -> None:
    _released.append(ident)


def _drain_released() -> None:
    while _released:
        ident = _released.popleft()
        entry = _owners.get(ident)
        if entry is not None and entry[0]() is None:
            _release(ident)


def _release(ident: int) -> None:
    _ref, value = _owners.pop(ident)
    left = _live[value] - 1
    if left:
        _live[value] = left
    else:
        del _live[value]
        _forget(value)


def _forget(value: str) -> None:
    """Keep ``value`` masked among the keys nothing holds, dropping the oldest past the bound."""
    if value in _live:
        return
    _dead[value] = None
    _dead.move_to_end(value)
    while len(_dead) > MAX_FORGOTTEN_KEYS:
        _dead.popitem(last=False)


def _refresh_snapshot() -> None:
    global _snapshot
    _snapshot = tuple(sorted({*_live, *_dead}, key=len, reverse=True))


def _secrets() -> tuple[str, ...]:
    # Not blocking: a collector run inside a locked section may log; a snapshot one
    # dead key stale only masks more.
    if _released and _lock.acquire(blocking=False):
        try:
            _drain_released()
            _refresh_snapshot()
        finally:
            _lock.release()
    return _snapshot


def redact(text: str) -> str:
    """``text`` with every registered key and every ``App …``-style value masked.

    Registered keys first: the pattern stops at a space or quote, and a key can contain
    characters the pattern would otherwise cut it at.
    """
    for secret in _secrets():
        if secret in text:
            text = text.replace(secret, MASK)
    return _AUTH_VALUE.sub(lambda m: f"{m.group(1)} {MASK}", text)


def snippet(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, masked *before* it is cut.

    Cutting first could leave the start of a key that ``redact`` no longer recognises;
    masking a window a key longer than the cut keeps whatever key starts before the cut
    whole, without masking all of a long text.
    """
    masked = redact(text[: limit + 2 * MAX_SECRET_LENGTH])
    return masked if len(masked) <= limit else masked[: max(limit - 3, 0)] + "..."


def redact_data(value: Any) -> Any:
    """``redact`` applied to every string inside JSON-like data."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact(str(k)): redact_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_data(v) for v in value]
    return value


def scrub_answer(body: Any, raw: bytes, secret: str) -> Any:
    """``body`` (parsed from ``raw``) with ``secret`` masked if the answer echoes it.

    Answers are large and an echo is rare, so the parsed data is only walked when the
    raw bytes hold the key, or hold escapes (``\\u0041``, ``\\/``) that could spell it;
    then the key is looked for in a compact re-encoding, where nothing is escaped.
    """
    needle = secret.encode()
    if needle not in raw:
        if b"\\" not in raw:
            return body
        try:
            if orjson.dumps(secret)[1:-1] not in orjson.dumps(body):
                return body
        except TypeError:  # integers past 64 bits: walk instead
            pass
    return redact_data(body)


class HiddenStr(str):
    """A header value whose ``repr`` is masked.

    Tracebacks rendered with ``capture_locals=True`` show every frame's locals by
    ``repr``; the Authorization value passes through such frames on its way to the socket.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MASK)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with secrets masked, before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are rendered later from exc_info; render now, masked, instead.
            cleaned += "\n" + redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = cleaned, None
        return True


# A logger's filters only see records created on that very logger, not its children's,
# so each logger that may carry a request detail gets its own filter.
_TRANSPORT_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "aiohttp.client",
    "aiohttp.internal",
)


def get_logger(name: str) -> logging.Logger:
    """A logger whose records are redacted before any handler sees them."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
    return logger


def install_log_redaction() -> None:
    for name in ("infobip_connector", *_TRANSPORT_LOGGERS):
        get_logger(name)
