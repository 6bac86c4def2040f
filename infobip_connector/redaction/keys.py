"""The keys ``redact`` masks: registered ones (for as long as their owner lives) and the
secrets a request carries (``HiddenStr`` values in its body, for as long as it is sent).

A key stays registered for as long as a settings object holding it is alive (each
owner is tracked through a weak reference), so no number of other tenants can push a
key in use out of the list; only keys no longer held by anything are forgotten, oldest
first, past ``MAX_FORGOTTEN_KEYS``.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict, deque
from collections.abc import Collection
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from functools import partial
from typing import Any

import orjson

from ..maskchars import MASK, mask_for
from ..masking import MIN_SECRET_LENGTH

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
# The snapshot with its ``maskchars.mask_for``, set together (one assignment, read without the
# lock): the registry changes far more rarely than a text is masked.
_snapshot_and_mask: tuple[tuple[str, ...], str] = ((), MASK)


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


def _longest_first(secrets: set[str]) -> tuple[str, ...]:
    """``secrets``, longest first (a key holding another is masked whole), then in text
    order: two of one length that overlap in a text are masked alike in every process."""
    return tuple(sorted(secrets, key=lambda secret: (-len(secret), secret)))


def _refresh_snapshot() -> None:
    global _snapshot, _snapshot_and_mask
    _snapshot = _longest_first({*_live, *_dead})
    _snapshot_and_mask = (_snapshot, mask_for(_snapshot))


# Secrets a request carries in its body (a webhook's Basic password or HMAC secret, as
# ``HiddenStr``), masked in everything made while that request is being sent: errors,
# log records, the answer. Per context, not registered: they belong to one request, and
# any length is masked (a short password echoed back must not show either).
class _Carried:
    """The secrets carried in a context, and what they make with the registered keys."""

    __slots__ = ("_known", "secrets")

    def __init__(self, secrets: tuple[str, ...]) -> None:
        self.secrets = secrets
        # (the registry's snapshot, it with these secrets longest first, their mask): made
        # once a snapshot, not for each text masked while the request is sent.
        self._known: tuple[tuple[str, ...], tuple[str, ...], str] | None = None

    def known(self, snapshot: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
        """``snapshot`` with these secrets, longest first, and ``mask_for`` of them all."""
        made = self._known
        if made is None or made[0] is not snapshot:
            merged = _longest_first({*snapshot, *self.secrets})
            made = self._known = (snapshot, merged, mask_for(merged))
        return made[1], made[2]


_carried: ContextVar[_Carried | None] = ContextVar("carried_secrets", default=None)


class _Carrying:
    """The block of ``carrying`` for secrets that are there: set on entry, reset on exit."""

    __slots__ = ("_added", "_token")

    def __init__(self, added: tuple[str, ...]) -> None:
        self._added = added

    def __enter__(self) -> None:
        outer = _carried.get()
        merged = {*(outer.secrets if outer is not None else ()), *self._added}
        self._token = _carried.set(_Carried(_longest_first(merged)))

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


def known_secrets() -> tuple[str, ...]:
    # Not blocking: a collector run inside a locked section may log; a snapshot one
    # dead key stale only masks more.
    if _released and _lock.acquire(blocking=False):
        try:
            _drain_released()
            _refresh_snapshot()
        finally:
            _lock.release()
    carried = _carried.get()
    if carried is not None:
        return carried.known(_snapshot)[0]
    return _snapshot


def mask_among(secrets: tuple[str, ...]) -> str:
    """``maskchars.mask_for(secrets)``: the one mask of a text masked for ``secrets`` (which
    hold every key ``known_secrets`` gives, as a text may be masked for any of them in
    turn); made once for what ``known_secrets`` gives, not for each text."""
    snapshot, mask = _snapshot_and_mask
    if secrets is snapshot:
        return mask
    carried = _carried.get()
    if carried is not None:
        known, mask = carried.known(_snapshot)
        if secrets is known:
            return mask
    return mask_for(secrets)


def known_mask(*secrets: str) -> str:
    """The mask of a text masked for ``secrets`` and for any key ``known_secrets`` gives:
    ``***`` unless one of them holds ``*`` (``maskchars.mask_for``)."""
    known = known_secrets()
    others = tuple(secret for secret in secrets if secret not in known)
    return mask_among(known) if not others else mask_for((*known, *others))


class HiddenStr(str):
    """A header value whose ``repr`` is masked.

    Tracebacks rendered with ``capture_locals=True`` show every frame's locals by
    ``repr``; the Authorization value passes through such frames on its way to the socket.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MASK)
