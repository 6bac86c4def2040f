"""The account setting "idempotent message sending", as Infobip applies it to messageIds.

Off (Infobip's default): a messageId seen before is taken as a new message and sent again.
On (Infobip enables it per account and channel on request): a messageId accepted within the
grace period is rejected with ``REJECTED_DUPLICATE_MESSAGE_ID`` (group 5 REJECTED, id 23)
and not sent again; once the grace period has passed it is a new message again. Infobip's
grace period is configured per account; the sandbox defaults to 24 hours.
"""

from __future__ import annotations

import math
from collections.abc import Callable

#: The sandbox's grace period unless told otherwise, in seconds.
DEFAULT_GRACE_PERIOD = 24 * 3600.0


class MessageIds:
    """The messageIds accepted so far, when, and whether a repeat of one is refused.

    ``clock`` gives epoch seconds (the sandbox's clock, which tests move). Not thread-safe on
    its own: the sandbox calls it under its lock.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._accepted: dict[str, float] = {}
        self.idempotent = False
        self.grace_period = DEFAULT_GRACE_PERIOD

    def configure(self, idempotent: bool, grace_period: float = DEFAULT_GRACE_PERIOD) -> None:
        """Turn idempotent sending on or off; ``grace_period`` in seconds, above zero.

        Raises ``TypeError`` / ``ValueError`` for anything else.
        """
        if not isinstance(idempotent, bool):
            raise TypeError("idempotent_sending must be True or False")
        if (
            isinstance(grace_period, bool)
            or not isinstance(grace_period, int | float)
            or not math.isfinite(grace_period)
            or grace_period <= 0
        ):
            raise ValueError("grace_period must be a number of seconds above 0")
        self.idempotent = idempotent
        self.grace_period = float(grace_period)

    def is_duplicate(self, message_id: str) -> bool:
        """Whether ``message_id`` is refused: on, and accepted within the grace period."""
        if not self.idempotent:
            return False
        accepted_at = self._accepted.get(message_id)
        return accepted_at is not None and self._clock() - accepted_at < self.grace_period

    def accept(self, message_id: str) -> None:
        """Record that ``message_id`` was accepted (and will be sent) now."""
        self._accepted[message_id] = self._clock()

    def ids(self) -> set[str]:
        return set(self._accepted)

    def __len__(self) -> int:
        return len(self._accepted)

    def clear(self) -> None:
        self._accepted.clear()
