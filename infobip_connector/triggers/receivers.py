"""The component's default repeat windows: one per trigger AND per receiver's settings.

A window protects one webhook. Two workflows (or tenants) receiving the same trigger with
their own subscriptions get the same events; with one shared window the second would never
see them, and anyone holding one receiver's secret could pre-post an event key to hide it
from every other receiver. So the default window is chosen by the trigger and a digest of
the whole ``WebhookSettings`` (credentials, headers, size limit): settings that differ in
anything never share one. Hosts that want other scoping pass their own ``seen``.

The digest is keyed with random bytes drawn per process, so the registry never holds a
secret nor anything an offline guess could be checked against. At most ``MAX_RECEIVERS``
windows are kept (least recently used dropped first; a dropped receiver starts afresh, so a
retry older than that may be returned again), which bounds memory (README, "Triggers").
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict

from .recent import RecentKeys
from .webhook import WebhookSettings

#: How many receivers' windows the component keeps (each at most ~15 MB when full).
MAX_RECEIVERS = 256
_KEY = os.urandom(32)


def receiver_id(trigger: str, settings: WebhookSettings) -> str:
    """A digest naming ``trigger`` with these settings; equal only for equal settings."""
    parts: list[str] = [trigger, repr(settings.allow_unauthenticated is True)]
    if settings.basic_auth is not None:
        username, password = settings.basic_auth
        parts += ["basic", username, password.get_secret_value()]
    if settings.hmac_secret is not None:
        parts += ["hmac", settings.hmac_secret.get_secret_value()]
    parts += ["headers", *settings.hmac_headers, "size", str(settings.max_body_bytes)]
    parts += ["age", repr(float(settings.max_event_age))]
    # Length-prefixed, so no two different part lists run together into the same bytes.
    data = b"".join(
        len(b := part.encode("utf-8", "surrogatepass")).to_bytes(4, "big") + b for part in parts
    )
    return hashlib.blake2b(data, key=_KEY, digest_size=16).hexdigest()


class ReceiverWindows:
    """The default windows by receiver (thread-safe), least recently used dropped first."""

    def __init__(self, max_receivers: int = MAX_RECEIVERS) -> None:
        self._max = max_receivers
        self._windows: OrderedDict[str, RecentKeys] = OrderedDict()
        self._lock = threading.Lock()

    def window(self, trigger: str, settings: WebhookSettings) -> RecentKeys:
        """The window of ``trigger`` received with ``settings`` (made on first use)."""
        name = receiver_id(trigger, settings)
        with self._lock:
            found = self._windows.get(name)
            if found is None:
                # Remembered as long as events are accepted, so no replay is let through.
                found = self._windows[name] = RecentKeys(max_age=settings.max_event_age)
                while len(self._windows) > self._max:
                    self._windows.popitem(last=False)
            else:
                self._windows.move_to_end(name)
            return found
