"""Keeping the API key out of every text the connector produces.

Known keys are registered when a connection is checked; ``redact`` replaces them
(and anything shaped like an ``Authorization: App …`` value) in free text. The
logging filter applies it to every record of the ``infobip_connector`` loggers.

Masking must never corrupt data. Three rules keep it to places where the key really is:

- keys shorter than ``MIN_SECRET_LENGTH`` are refused by the connection (Infobip's keys
  are about 70 characters), so no registered key is a word, a number or a phone number
  (E.164 numbers have at most 15 digits) likely to appear in data;
- in JSON data only values are masked, never object keys (``bulkId`` stays ``bulkId``);
- the IDs the connector itself sent (``bulkId``, ``messageId``s) are never masked: they
  come from the caller's own input, and an operator needs them intact to reconcile.
  A key occurring inside such an ID is left there; everywhere else it is masked.

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
from collections.abc import Collection, Mapping
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from functools import partial
from typing import Any

import orjson

# Re-exported: the rest of the package asks redaction for the shortest key and the mask.
from .masking import MASK as MASK
from .masking import MIN_SECRET_LENGTH as MIN_SECRET_LENGTH
from .masking import mask_secrets, may_hold, may_hold_text

# Up to the next space, quote or angle bracket: a key may contain ',' or ';'.
_AUTH_VALUE = re.compile(r"\b(App|Bearer|Basic|IBSSO)\s+[^\s\"'<>]+", re.IGNORECASE)

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


# Secrets a request carries in its body (a webhook's Basic password or HMAC secret, as
# ``HiddenStr``), masked in everything made while that request is being sent: errors,
# log records, the answer. Per context, not registered: they belong to one request, and
# any length is masked (a short password echoed back must not show either).
_carried: ContextVar[tuple[str, ...]] = ContextVar("carried_secrets", default=())


class _Carrying:
    """The block of ``carrying`` for secrets that are there: set on entry, reset on exit."""

    __slots__ = ("_added", "_token")

    def __init__(self, added: tuple[str, ...]) -> None:
        self._added = added

    def __enter__(self) -> None:
        merged = {*_carried.get(), *self._added}
        self._token = _carried.set(tuple(sorted(merged, key=len, reverse=True)))

    def __exit__(self, *exc_info: object) -> None:
        _carried.reset(self._token)


# Nearly every request carries no secret: its block is this shared one, which does nothing
# (a generator-based context manager per send cost as much as encoding a small body).
_CARRYING_NOTHING = nullcontext()


def carrying(secrets: Collection[str]) -> AbstractContextManager[None]:
    """Mask ``secrets`` (any length) in ``redact`` for the duration of the ``with`` block."""
    added = tuple(s for s in secrets if s) if secrets else ()
    return _Carrying(added) if added else _CARRYING_NOTHING


def encode_carrying(value: Any) -> tuple[bytes, tuple[str, ...]]:
    """``orjson.dumps(value)`` and every ``HiddenStr`` inside it: the secrets a body carries.

    One pass, in orjson's C code: plain JSON types are encoded natively, and with
    ``OPT_PASSTHROUGH_SUBCLASS`` every subclass of ``str``, ``int``, ``dict`` and ``list``
    (a ``HiddenStr`` among them) is handed to ``_plain``, which notes it and returns the
    plain value orjson would have written. So the bytes are ``orjson.dumps(value)``'s, and a
    100,000-recipient body is not walked a second time in Python to find the secrets.
    Raises ``orjson.JSONEncodeError`` (a ``TypeError``) for what ``orjson.dumps`` refuses.
    """
    found: list[str] = []

    def plain(item: Any) -> Any:
        if isinstance(item, str):
            text = str.__str__(item)
            if isinstance(item, HiddenStr):
                found.append(text)
            return text
        if isinstance(item, int):
            return int(item)
        if isinstance(item, dict):
            return dict(item)
        if isinstance(item, list):
            return list(item)
        raise TypeError(f"Type is not JSON serializable: {type(item).__name__}")

    encoded = orjson.dumps(value, default=plain, option=orjson.OPT_PASSTHROUGH_SUBCLASS)
    return encoded, tuple(found)


def _secrets() -> tuple[str, ...]:
    # Not blocking: a collector run inside a locked section may log; a snapshot one
    # dead key stale only masks more.
    if _released and _lock.acquire(blocking=False):
        try:
            _drain_released()
            _refresh_snapshot()
        finally:
            _lock.release()
    carried = _carried.get()
    if carried:
        return tuple(sorted({*_snapshot, *carried}, key=len, reverse=True))
    return _snapshot


def redact(text: str, keep: Collection[str] = ()) -> str:
    """``text`` with every registered key, every ``App …``-style value and the password of
    every URL (``https://user:***@host``) masked.

    Registered keys first: the pattern stops at a space or quote, and a key can contain
    characters the pattern would otherwise cut it at. A key spelled with JSON escapes
    (``\\"``, ``\\/``, ``\\u0041``: a quoted or truncated JSON body) is found too; the text
    is then returned with those escapes read. So is a key in another letter case or
    percent-encoded (``masking.mask_secrets``). An occurrence of a key inside one of the
    ``keep`` strings (IDs the connector sent) is left as it is.
    """
    secrets = _secrets()
    text = mask_secrets(text, secrets, keep)
    if "\\" in text:
        plain = _ESCAPE.sub(_unescape, text)
        if plain != text and any(secret.lower() in plain.lower() for secret in secrets):
            text = mask_secrets(plain, secrets, keep)
    text = _AUTH_VALUE.sub(lambda m: f"{m.group(1)} {MASK}", text)
    if "://" in text:
        text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{MASK}@", text)
    return text


# The password of a URL's user information (``https://user:pw@host``: a webhook's Basic
# credentials): masked wherever a URL is shown, the user name kept to say whose it was.
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:\"'<>]*):[^\s/?#@\"'<>]+@")


# The JSON escapes that can spell a visible ASCII character (the only ones a key has).
_ESCAPE = re.compile(r'\\(?:u00([2-7][0-9a-fA-F])|(["\\/]))')


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code, 16)) if code else match.group(2)


def snippet(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, masked *before* it is cut.

    Cutting first could leave the start of a key that ``redact`` no longer recognises;
    masking a window a key longer than the cut keeps whatever key starts before the cut
    whole, without masking all of a long text.
    """
    # A key spelled with escapes (``\\u0041``) takes up to six characters a character.
    masked = redact(text[: limit + 7 * MAX_SECRET_LENGTH])
    return masked if len(masked) <= limit else masked[: max(limit - 3, 0)] + "..."


def redact_data(value: Any, keep: Collection[str] = ()) -> Any:
    """``redact`` applied to every string value inside JSON-like data.

    Object keys are names the connector or Infobip chose, never a place for a key; they
    are left alone. Strings equal to one of ``keep`` (IDs the connector sent) too.
    """
    if isinstance(value, str):
        return value if value in keep else redact(value, keep)
    if isinstance(value, dict):
        return {k: redact_data(v, keep) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_data(v, keep) for v in value]
    return value


def sent_ids(details: Mapping[str, Any]) -> frozenset[str]:
    """The IDs the connector sent, as error details and references name them.

    ``bulkId``, ``messageId`` and ``messageIds``: chosen by the caller (or generated),
    already sent to Infobip, and what an operator reconciles with, so never masked.
    """
    ids: set[str] = set()
    for name in ("bulkId", "messageId", "messageIds"):
        value = details.get(name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                ids.add(item)
    return frozenset(ids)


def named_ids(values: Any) -> frozenset[str]:
    """The IDs ``values`` (an action's inputs, however deep) names for the connector to send.

    Every string under a ``bulkId``, ``messageId`` or ``messageIds`` member: the caller's
    own IDs, which a host masking an answer itself keeps whole (``sent_ids`` for the IDs
    an error's details name).
    """
    ids: set[str] = set()
    stack = [values]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ids |= sent_ids(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return frozenset(ids)


def scrub_answer(body: Any, raw: bytes, secret: str, reference: Mapping[str, Any]) -> Any:
    """``body`` (parsed from ``raw``) with ``secret`` masked if the answer echoes it.

    Masked in every spelling the logs mask (``masking.mask_secrets``: as given, in any
    letter case, percent-encoded). Only this connection's own key is looked for: another
    tenant's key cannot be in its answer, and masking it there could only corrupt data.
    Values equal to the IDs the request sent (``sent_ids(reference)``) stay whole. Answers
    are large and an echo is rare, so the parsed data is only walked when the raw bytes may
    spell the key (``masking.may_hold``), or hold escapes (``\\u0041``, ``\\/``) that could;
    then a compact re-encoding, where nothing is escaped, is tested the same way.
    """
    if not may_hold(raw, secret):
        if b"\\" not in raw:
            return body
        try:
            compact = orjson.dumps(body)
            escaped = orjson.dumps(secret)[1:-1].decode()  # a key holding '"' or '\\'
            if not may_hold(compact, secret) and not may_hold(compact, escaped):
                return body
        except TypeError:  # integers past 64 bits: walk instead
            pass
    return _mask_one(body, secret, sent_ids(reference))


def _mask_one(value: Any, secret: str, keep: Collection[str]) -> Any:
    if isinstance(value, str):
        if value in keep or not may_hold_text(value, secret):
            return value
        return mask_secrets(value, (secret,), keep)
    if isinstance(value, dict):
        return {k: _mask_one(v, secret, keep) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_one(v, secret, keep) for v in value]
    return value


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
    # The servers' own loggers (the sandbox, editor, listen and MCP hosts): a failed
    # request is logged with its line, which may hold a URL with a password or a key.
    "aiohttp.server",
    "aiohttp.web",
    "aiohttp.access",
    "uvicorn.error",
    "uvicorn.access",
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
