"""The idempotency key's errors in ``serve`` and MCP, in words both share.

A finished send's result dropped past the byte bound (``runningkeys.py``) leaves only the
IDs it named: a repeat of that send is refused, saying which IDs to check before sending
again, or, when it named none, that there are none and where to look instead.
"""

from __future__ import annotations

from ..outcome import NO_IDS


def check_by(ids: str) -> str:
    """How a caller checks a send whose result is no longer kept, given ``ids``, the IDs
    that result named (``outcome.ids_text``; :data:`outcome.NO_IDS` when it named none)."""
    if ids == NO_IDS:
        return (
            "its result named no IDs (no bulkId or messageId), so there are none to check it "
            "by: look its messages up in Infobip's logs or delivery reports by the time it was "
            "sent, before sending them again under a key of their own"
        )
    return f"check by its IDs: {ids}"
