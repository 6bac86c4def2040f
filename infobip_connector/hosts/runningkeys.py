"""The execution keys of a long-running host (``serve``, MCP): those running, those finished.

Two sends with one ``idempotency_key`` carry the same IDs. Run at the same time, both are
sent unless the account has idempotent sending, and with it the second is refused as a
duplicate while the first's outcome is still open. So a host refuses a send whose key is
in use, in its own words (``refusal``), before anything is sent.

A send that ENDED with its outcome known is remembered too (:class:`Finished`): its result
and the fingerprint of what it sent (:func:`fingerprint`: the action, the values as the
connector reads them, ``sendprint.py``, and the connection). A repeat of that key is then
answered from memory, nothing sent: the same fingerprint gets the stored result back (a
replay, which the host marks as such), another one an error in the host's words (``reused``:
the key names another message). Without this, a repeat of a finished send would send the
messages a second time on an account without idempotent sending (the default). A send that
ended without a result (an error, ``outcome_unknown``, a cancellation) is not remembered:
its key stays usable, for a fresh send after a definite error or a retry with ``repeated``
after an unknown outcome, as before.

Memory is bounded: the last :data:`KEEP_KEYS` finished keys, each for :data:`KEEP_SECONDS`
at most, oldest forgotten first. The results are bounded too: past :data:`KEEP_BYTES` of
fingerprinted values (a result grows with the messages sent, roughly as the values do),
the oldest results are dropped, but never their keys: a dropped key keeps its digest and
the IDs its result named (:func:`outcome.ids_text`, a few hundred bytes at most), so a
repeat of the same send gets ``dropped(ids)``, an error saying nothing was sent and which
IDs to check, never a second send; other input still gets ``reused()``. A day covers an
engine's or an agent's retries of one step (and matches Infobip's default idempotency
window); the bounds keep a server that runs for months flat. Only for the life of the
process: a restarted host has forgotten every key. Thread-safe, for a host that runs
sends on threads (``serve`` and MCP run theirs on one event loop).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..outcome import ids_text, result_ids

#: How many finished keys are remembered at most (the oldest are forgotten first).
KEEP_KEYS = 10_000
#: How long a finished key is remembered, in seconds (a day).
KEEP_SECONDS = 24 * 3600.0
#: How many bytes of fingerprinted values (canonical JSON) the kept results may stand for;
#: past it the oldest results are dropped (their keys, digests and IDs kept).
KEEP_BYTES = 64 * 1024 * 1024


#: The errors of a finished key given again: another send (``reused``), or the same send
#: whose result is no longer kept (``dropped``, given the IDs it named).
_Errors = tuple[Callable[[], Exception], Callable[[str], Exception]]


@dataclass(frozen=True)
class Print:
    """What a send sent: ``digest`` (SHA-256, hex) and ``size`` (bytes of canonical JSON)."""

    digest: str
    size: int


@dataclass(frozen=True)
class Finished:
    """A send whose key ended with a result: what it sent, its result, when (monotonic s).

    ``ids``: None while ``result`` is kept; once it is dropped (the byte bound), ``result``
    is None and ``ids`` the IDs it named, as a log line writes them (``ids_text``).
    """

    sent: Print
    result: Any
    at: float
    ids: str | None = None


class Claim:
    """What :meth:`RunningKeys.held` gives the block it guards.

    ``replay``: the stored :class:`Finished` of an earlier send of the same message with the
    same key (the block sends nothing and answers its result), or None (the block runs and
    calls :meth:`finish` with its result once the outcome is known).
    """

    def __init__(self, replay: Finished | None = None) -> None:
        self.replay = replay
        self.result: Any = None
        self.done = False

    def finish(self, result: Any) -> None:
        """The send ended with ``result`` (its outcome known): remember it for repeats."""
        self.result = result
        self.done = True


def fingerprint(action: str, values: Any, scope: Mapping[str, Any] | None = None) -> Print | None:
    """The fingerprint of sending ``values`` through ``action`` with connection ``scope``.

    Canonical JSON (keys sorted, no spaces) of the three, hashed: the same arguments give the
    same digest whatever the order of their members. ``scope`` may hold the API key: only
    its hash is kept. None when the values are not JSON data (no key is remembered then).
    """
    try:
        text = json.dumps(
            [action, values, scope], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    except (TypeError, ValueError):
        return None
    data = text.encode("utf-8", "surrogatepass")
    return Print(hashlib.sha256(data).hexdigest(), len(data))


class RunningKeys:
    """The keys in use (claimed for the length of a ``with`` block) and the finished ones."""

    def __init__(
        self,
        *,
        keep_keys: int = KEEP_KEYS,
        keep_seconds: float = KEEP_SECONDS,
        keep_bytes: int = KEEP_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys: set[str] = set()
        self._finished: OrderedDict[str, Finished] = OrderedDict()
        # The keys whose result is still kept, oldest first, with the bytes each stands for.
        self._kept: OrderedDict[str, int] = OrderedDict()
        self._bytes = 0
        self._keep = (keep_keys, keep_seconds, keep_bytes)
        self._clock = clock
        self._lock = threading.Lock()

    def held(
        self,
        key: str | None,
        refusal: Callable[[], Exception],
        *,
        sent: Print | None,
        reused: Callable[[], Exception],
        dropped: Callable[[str], Exception],
    ) -> _Hold:
        """Hold ``key`` (None: nothing to hold) for a ``with`` block, given a :class:`Claim`.

        Raises ``refusal()`` on entering when a block holding the key is still running.
        With ``sent`` (the block's :func:`fingerprint`) a finished key is looked up first:
        the same fingerprint gives a claim to replay (the key is not held), or raises
        ``dropped(ids)`` when that result is no longer kept (``ids``: the IDs it named),
        another fingerprint raises ``reused()``; ``sent`` None (a key the host made) is
        neither looked up nor remembered here (:meth:`keep` remembers it once the host
        hands it out). A result given to :meth:`Claim.finish` is remembered when the block
        ends, whether or not it ends with an exception (the caller may be cancelled after
        the outcome is known). A plain object, not a generator: ``serve`` enters one per request.
        """
        return _Hold(self, key, refusal, sent, (reused, dropped))

    def _claim(
        self,
        key: str,
        refusal: Callable[[], Exception],
        sent: Print | None,
        errors: _Errors,
    ) -> Claim:
        """The claim of a block about to run with ``key``; the key held unless replayed."""
        with self._lock:
            if key in self._keys:
                raise refusal()
            earlier = self._earlier(key) if self._finished else None
            if earlier is not None and sent is not None:
                if earlier.sent.digest != sent.digest:
                    raise errors[0]()
                if earlier.ids is not None:
                    raise errors[1](earlier.ids)
                return Claim(earlier)
            self._keys.add(key)
        return Claim()

    def _release(self, key: str, claim: Claim, sent: Print | None) -> None:
        """The block holding ``key`` ended: free the key, remember a finished send."""
        with self._lock:
            self._keys.discard(key)
            if claim.done and sent is not None:
                self._remember(key, Finished(sent, claim.result, self._clock()))

    def keep(self, key: str, sent: Print, result: Any) -> None:
        """Remember ``key`` (one the host made, not looked up so far) as a finished send of
        ``sent`` that ended with ``result``: the host now hands the key to its caller as the
        way to get that result again, so a repeat with it must be a replay, never a send."""
        with self._lock:
            if key not in self._finished:
                self._remember(key, Finished(sent, result, self._clock()))

    def _earlier(self, key: str) -> Finished | None:
        """The finished send of ``key`` still remembered (older ones forgotten first)."""
        _, keep_seconds, _ = self._keep
        now = self._clock()
        while self._finished:
            oldest_key, oldest = next(iter(self._finished.items()))
            if now - oldest.at <= keep_seconds:
                break
            self._forget(oldest_key)
        return self._finished.get(key)

    def _remember(self, key: str, finished: Finished) -> None:
        keep_keys, _, keep_bytes = self._keep
        if key in self._finished:
            self._forget(key)
        self._finished[key] = finished
        self._kept[key] = finished.sent.size
        self._bytes += finished.sent.size
        while len(self._finished) > keep_keys:
            self._forget(next(iter(self._finished)))
        while self._bytes > keep_bytes and self._kept:
            # The result goes, the key stays (in its place by age): a repeat must still be
            # told that it was sent, or it would be sent again.
            oldest, size = self._kept.popitem(last=False)
            self._bytes -= size
            kept = self._finished[oldest]
            self._finished[oldest] = replace(
                kept, result=None, ids=ids_text(result_ids(kept.result))
            )

    def _forget(self, key: str) -> None:
        del self._finished[key]
        self._bytes -= self._kept.pop(key, 0)


class _Hold:
    """The ``with`` block of :meth:`RunningKeys.held`: claims on entry, releases on exit."""

    __slots__ = ("_claim", "_errors", "_key", "_keys", "_refusal", "_sent")

    def __init__(
        self,
        keys: RunningKeys,
        key: str | None,
        refusal: Callable[[], Exception],
        sent: Print | None,
        errors: _Errors,
    ) -> None:
        self._keys = keys
        self._key = key
        self._refusal = refusal
        self._sent = sent
        self._errors = errors
        self._claim: Claim | None = None

    def __enter__(self) -> Claim:
        if self._key is None:
            return Claim()
        claim = self._keys._claim(self._key, self._refusal, self._sent, self._errors)
        if claim.replay is None:
            self._claim = claim  # held: released on exit
        return claim

    def __exit__(self, *exc_info: object) -> None:
        if self._claim is not None and self._key is not None:
            self._keys._release(self._key, self._claim, self._sent)
