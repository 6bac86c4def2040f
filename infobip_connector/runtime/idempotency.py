"""Execution keys: the same key gives a send the same bulkId and messageIds, byte for byte.

An engine that runs a step again (a retried task, a redelivered Celery message) passes the
same key, so the repeat carries the IDs of the first run; with Infobip's idempotent
sending enabled for the account, a messageId seen within the grace period is then
rejected (``REJECTED_DUPLICATE_MESSAGE_ID``) instead of being sent and paid twice.

Each ID the connector would otherwise draw at random is a name-based UUID (version 5,
RFC 9562) of the action, the key and the place of the ID in the input
(``messages[0].destinations[2].messageId``). IDs the user gave are kept as given. Only
actions of kind ``send`` assign IDs; for the others a key is checked and has no effect.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence

from ..definition.model import format_path
from ..errors import InputError
from .problems import Parts

#: The namespace of every derived ID. Never change it: every ID derived from a key would
#: change with it, and a step run again across an upgrade would send again.
NAMESPACE = uuid.UUID("6f1c2a9e-4b7d-5e38-9a61-0c3f5d8b2e47")

#: The longest key accepted, in characters: far above ``dag/task/run/try`` style keys,
#: low enough that a key is never a payload.
MAX_KEY_LENGTH = 256


def checked_key(value: object, where: str) -> str:
    """``value`` if it is a usable key; else InputError naming ``where`` (nothing is sent).

    A key is text of 1 to ``MAX_KEY_LENGTH`` printable characters (``str.isprintable``:
    no control, line-breaking, format or unassigned code point), not only spaces.
    """
    if type(value) is not str:
        problem = f"must be text, not {type(value).__name__}"
    elif not value.strip():
        problem = "must not be empty or blank"
    elif len(value) > MAX_KEY_LENGTH:
        problem = f"must be at most {MAX_KEY_LENGTH} characters long (got {len(value)})"
    elif not value.isprintable():
        bad = next(c for c in value if not c.isprintable())
        problem = (
            f"may only hold printable characters: found U+{ord(bad):04X} at position "
            f"{value.index(bad) + 1}"
        )
    else:
        return value
    raise InputError([{"path": where, "message": problem}])


def derived_ids(key: str, action: str, places: Sequence[Parts]) -> list[str]:
    """One ID per place: ``uuid5(NAMESPACE, f"{action}\\n{key}\\n{path}")`` as text.

    The fields are joined by line feeds, which a checked key and a path never contain, so
    two different (action, key, place) triples never give the same name. Computed with
    hashlib rather than ``uuid.uuid5`` per ID (the same value, a third of the time): a bulk
    may have 100,000 recipients.
    """
    prefix = f"{action}\n{key}\n".encode()
    ns = NAMESPACE.bytes
    out: list[str] = []
    for parts in places:
        digest = bytearray(hashlib.sha1(ns + prefix + format_path(parts).encode()).digest()[:16])
        digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 / 9562 variant
        h = digest.hex()
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out
