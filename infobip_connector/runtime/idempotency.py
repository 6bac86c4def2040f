"""Execution keys: the same key and the same message give the same ID, byte for byte.

An engine that runs a step again (a retried task, a redelivered Celery message) passes the
same key and the same input, so the repeat carries the IDs of the first run; with Infobip's
idempotent sending enabled for the account, a messageId seen within the grace period is then
rejected (``REJECTED_DUPLICATE_MESSAGE_ID``) instead of being sent and paid twice.

Each ID the connector would otherwise draw at random is a name-based UUID (version 5,
RFC 9562) of the action, the key and a digest of what the ID names (see ``content_digest``):
for a messageId, the one message it is sent with (the recipient, the text, the sender and
every other member that applies to it), not its place in the input. So a message that
changed gets a new ID, and a duplicate rejection can never stand for a message that was
never sent; a recipient moved to another place keeps its ID. IDs the user gave are kept as
given. Only actions of kind ``send`` assign IDs; for the others a key is checked and has no
effect.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from typing import Any

import orjson

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


def derived_ids(key: str, action: str, values: Any, places: Sequence[Parts]) -> list[str]:
    """One ID per place of ``values`` (an ID left out there), as text.

    ``uuid5(NAMESPACE, f"{action}\\n{key}\\n{digest}\\n{n}")`` where ``digest`` is the hex
    ``content_digest`` of the place and ``n`` counts the places before it with the same
    digest (0 for the first): a message sent twice to one recipient in one request gets two
    IDs. ``values`` are the checked input as sent (phone numbers normalised), with every
    place in ``places`` still empty. The fields are joined by line feeds, which a checked key
    never contains, so two different (action, key, content, n) never give the same name.
    Computed with hashlib rather than ``uuid.uuid5`` per ID (the same value, a third of the
    time): a bulk may have 100,000 recipients.
    """
    prefix = f"{action}\n{key}\n".encode()
    ns = NAMESPACE.bytes
    above: dict[Parts, tuple[bytes, Any]] = {}
    seen: dict[bytes, int] = {}
    out: list[str] = []
    for parts in places:
        digest = content_digest(values, parts, above)
        n = seen.get(digest, 0)
        seen[digest] = n + 1
        name = b"%s%s\n%d" % (prefix, digest.hex().encode(), n)
        raw = bytearray(hashlib.sha1(ns + name).digest()[:16])
        raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
        raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 / 9562 variant
        h = raw.hex()
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


def content_digest(
    values: Any, parts: Parts, above: dict[Parts, tuple[bytes, Any]] | None = None
) -> bytes:
    """SHA-256 (32 bytes) of what the ID at ``parts`` names: everything sent with it.

    Walking from the top of ``values`` to the ID, each object on the way adds its members
    (canonical JSON: keys sorted, no spaces) but the one the walk goes on into, then that
    member's name; a list on the way adds nothing, so the item's place in it does not count
    and its siblings are left out. For ``messages[0].destinations[2].messageId`` that is the
    request's top-level members but ``messages``, the message's members but
    ``destinations``, and the recipient but its messageId; for a ``bulkId``, the whole
    request. Each step hashes the digest of the steps above it with what it adds.
    ``above`` caches, per path, the digest there and the value it leads to, for calls over
    the same ``values``.
    """
    cache: dict[Parts, tuple[bytes, Any]] = {} if above is None else above
    owner, name = parts[:-1], parts[-1]
    index = None
    if owner and type(owner[-1]) is int:
        owner, index = owner[:-1], owner[-1]
    found = cache.get(owner)
    if found is None:
        found = _step(values, owner, cache)
    digest, container = found
    item = container if index is None else container[index]
    return _hash(digest, _without(item, name), name)


def _step(values: Any, parts: Parts, cache: dict[Parts, tuple[bytes, Any]]) -> tuple[bytes, Any]:
    """The digest of everything above the value at ``parts`` (an object or a list), and it."""
    if not parts:
        found = (hashlib.sha256(_TAG).digest(), values)
    else:
        owner, member = parts[:-1], parts[-1]
        if type(member) is int:
            digest, container = cache.get(owner) or _step(values, owner, cache)
            found = (digest, container[member])  # a list adds nothing: items are placed alike
        else:
            digest, container = cache.get(owner) or _step(values, owner, cache)
            child = container[member]
            # The member's name, and whether it is a list, so a list and an object differ.
            label = f"{member}[]" if type(child) is list else str(member)
            found = (_hash(digest, _without(container, member), label), child)
    cache[parts] = found
    return found


#: Hashed first: a version of the digest, so a later one can never collide with it.
_TAG = b"infobip-connector message content v1"


def _hash(above: bytes, frame: Any, label: str | int) -> bytes:
    # Each part is prefixed by its length: no two (frame, label) pairs feed the same bytes.
    body = _canonical(frame)
    tail = str(label).encode()
    return hashlib.sha256(b"%s%d:%s%d:%s" % (above, len(body), body, len(tail), tail)).digest()


def _without(value: Any, member: str | int) -> Any:
    if type(value) is dict and member in value:
        return {k: v for k, v in value.items() if k != member}
    return value


def _canonical(value: Any) -> bytes:
    """Canonical JSON of a checked value: keys sorted, no spaces, UTF-8."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        # Beyond what orjson encodes (an integer past 64 bits); the same value always
        # takes this way, so its digest is as stable as any other.
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode()
