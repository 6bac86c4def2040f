"""Masking keys in texts, JSON data and Infobip's answers, keeping the IDs the connector sent."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import orjson

from ..jsonwalk import map_leaves
from ..masking import held_of, mask_secret_in_data, mask_secrets, may_hold, may_hold_text
from .keys import MAX_SECRET_LENGTH, known_mask, known_secrets, mask_among

# Up to the next space, quote or angle bracket: a key may contain ',' or ';'.
_AUTH_VALUE = re.compile(r"\b(App|Bearer|Basic|IBSSO)(\s+)[^\s\"'<>]+", re.IGNORECASE)


def redact(text: str, keep: Collection[str] = ()) -> str:
    """``text`` with every registered key, every ``App …``-style value and the password of
    every URL (``https://user:***@host``) masked.

    Registered keys first: the pattern stops at a space or quote, and a key can contain
    characters the pattern would otherwise cut it at. A key spelled with JSON escapes
    (``\\"``, ``\\/``, ``\\u0041``: a quoted or truncated JSON body) is found too; the text
    is then returned with those escapes read, and the next level of escapes is read the same
    way, for up to ``MAX_ESCAPE_LEVELS`` levels; a text whose next level still spells one
    is not shown. So is a key in another letter case or percent-encoded
    (``masking.mask_secrets``). An occurrence of a key inside one of the ``keep`` strings
    (IDs the connector sent) is left as it is.
    """
    secrets = known_secrets()
    # One mask for every key and value masked here: one holding '*' gets another character.
    mask = mask_among(secrets)
    text = _without_keys(text, secrets, keep, mask)
    # The space after the scheme kept as written: one made of other spaces could spell a key.
    text = _AUTH_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}{mask}", text)
    if "://" in text:
        text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{mask}@", text)
    return text


def _without_keys(text: str, secrets: tuple[str, ...], keep: Collection[str], mask: str) -> str:
    """``text`` with ``secrets`` masked in every spelling ``redact`` reads (its escape levels
    included), by ``mask``; the Authorization and URL rules aside."""
    text = mask_secrets(text, secrets, keep, mask)
    levels = 0
    while "\\" in text:
        plain = _ESCAPE.sub(_unescape, text)
        if plain == text:
            break
        # Masked in any spelling the escapes read (a percent sign written \u0025 too). Where
        # that finds a key, the text is shown with those escapes read, so the next level
        # (a key escaped twice) must be read the same way.
        masked = mask_secrets(plain, secrets, keep, mask)
        if masked == plain:
            break
        if levels == MAX_ESCAPE_LEVELS:
            # Each level costs a pass over the text: a bound, not a loop. The words said in
            # its place are masked too: a carried secret may be any text, those words too.
            return mask_secrets(_TOO_DEEP, secrets, (), mask)
        text = masked
        levels += 1
    return text


# The password of a URL's user information (``https://user:pw@host``: a webhook's Basic
# credentials): masked wherever a URL is shown, the user name kept to say whose it was.
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:\"'<>]*):[^\s/?#@\"'<>]+@")


#: Levels of JSON escapes ``redact`` reads to find a key (a key escaped once, twice, ...).
MAX_ESCAPE_LEVELS = 8
_TOO_DEEP = f"(not shown: it spells a key through more than {MAX_ESCAPE_LEVELS} levels of escapes)"

#: '\\' and '%' as byte values: tested as ints, bytes are searched without the TypeError
#: that ``b"..." in data`` raises and clears inside each test (``masking._PERCENT_BYTE``).
_BACKSLASH, _PERCENT = ord("\\"), ord("%")
# The JSON escapes that can spell a visible ASCII character (the only ones a key has).
_ESCAPE = re.compile(r'\\(?:u00(2[0-9a-fA-F]|[3-6][0-9a-fA-F]|7[0-9a-eA-E])|(["\\/]))')


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code, 16)) if code else match.group(2)


def snippet(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, masked *before* it is cut.

    Cutting first could leave the start of a key that ``redact`` no longer recognises;
    masking a window a key longer than the cut keeps whatever key starts before the cut
    whole, without masking all of a long text.
    """
    # A key spelled with escapes takes up to 18 characters a character: percent-encoded,
    # then each of the three characters as a JSON escape (``\\u0025\\u0034\\u0031``). One
    # escaped deeper may reach past the window: only the part of it before the cut shows.
    masked = redact(text[: limit + 18 * MAX_SECRET_LENGTH])
    if len(masked) <= limit:
        return masked
    # The cut and the dots after it could spell a key with the text left (one ending in
    # '.', or a '%' or JSON escape they complete): the keys are masked again in every
    # spelling (not the Authorization rule, which would take the dots for a value), then
    # the text only cut (a cut spells nothing new) if a mask made it longer.
    secrets = known_secrets()
    shortened = masked[: max(limit - 3, 0)] + "..."
    return _without_keys(shortened, secrets, (), mask_among(secrets))[:limit]


def redact_data(value: Any, keep: Collection[str] = ()) -> Any:
    """``redact`` applied to every string value inside JSON-like data.

    Object keys are names the connector or Infobip chose, never a place for a key; they
    are left alone. Strings equal to one of ``keep`` (IDs the connector sent) too.
    """

    def texts(leaf: Any) -> Any:
        if isinstance(leaf, str):
            return leaf if leaf in keep else redact(leaf, keep)
        return leaf

    return map_leaves(value, texts)


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


def mask_key_in_data(value: Any, key: str, keep: Collection[str] = ()) -> Any:
    """``masking.mask_secret_in_data`` for a key the registry may not hold (yet), with the
    mask of every key it does hold (``known_mask``), as any other masking here uses."""
    return mask_secret_in_data(value, key, keep, known_mask(key))


def scrub_answer(body: Any, raw: bytes, secret: str, reference: Mapping[str, Any]) -> Any:
    """``body`` (parsed from ``raw``) with ``secret`` masked if the answer echoes it.

    Masked in every spelling the logs mask (``masking.mask_secrets``: as given, in any
    letter case, percent-encoded). Only this connection's own key is looked for: another
    tenant's key cannot be in its answer, and masking it there could only corrupt data.
    Values equal to the IDs the request sent (``sent_ids(reference)``) stay whole. Answers
    are large and an echo is rare, so the parsed data is only walked when the raw bytes may
    spell the key (``masking.may_hold``), or hold escapes (``\\u0041``, ``\\/``) that could;
    then a compact re-encoding, where nothing is escaped, is tested the same way. Numbers
    are never masked: no accepted key is one that a number can spell (``apikey.py``).
    """
    if not may_hold(raw, secret) and (
        _BACKSLASH not in raw or not _compact_spells(body, (secret,))
    ):
        return body
    # The mask of every key a text may be masked for in turn (the others this answer is
    # scrubbed for are carried by its request, so among the known ones).
    return _mask_one(body, secret, sent_ids(reference), known_mask(secret))


def _compact_spells(body: Any, secrets: Sequence[str]) -> list[str]:
    """Those of ``secrets`` that ``body``, re-encoded compactly (only the escapes JSON needs),
    may spell, in their order: every one when it cannot be re-encoded (integers past 64
    bits), so that its texts are walked.

    A key holding '"' or '\\' is looked for as JSON writes it. Partly percent-encoded (one
    '\\' written as JSON writes it, another as ``%5C``) such a key is spelled by no search
    of bytes: with a '%' in the texts, they are walked. The texts' '%' signs are all in the
    re-encoding (orjson never escapes one; the bytes read may have written it ``\\u0025``).
    """
    try:
        compact = orjson.dumps(body)
    except TypeError:
        return list(secrets)
    held = set(held_of(compact, secrets))
    percent = _PERCENT in compact
    for secret in secrets:
        escaped = orjson.dumps(secret)[1:-1].decode()
        if secret in held or escaped == secret:
            continue
        if percent or may_hold(compact, escaped):
            held.add(secret)
    return [secret for secret in secrets if secret in held]


def scrub_known_keys(body: Any, raw: bytes | None) -> Any:
    """``body`` (a body Infobip sent on its own, as a webhook's; ``raw``: its JSON bytes, or
    None when it was read from another form, as XML) with every key this process knows
    masked, as ``scrub_answer`` masks an answer's own key.

    A customer's message may hold a key; the events a trigger hands on are outputs like any
    other. Each key is looked for in the bytes first, so a body that spells none is returned
    as it is. An XML body is looked at as read, compacted to JSON: character references,
    CDATA sections and comments may split or spell a key in its raw bytes.
    """
    secrets = known_secrets()
    if not secrets:
        return body
    mask = mask_among(secrets)
    for secret in _spelled(body, raw, secrets):
        body = _mask_one(body, secret, (), mask)
    return body


def _spelled(body: Any, raw: bytes | None, secrets: tuple[str, ...]) -> list[str]:
    """Those of ``secrets`` that ``body`` (parsed from ``raw``, if given) may spell, in
    their order: each tested as ``scrub_answer`` tests its one key, with every text
    searched once for all of them (``masking.held_of``)."""
    held = set(held_of(raw, secrets)) if raw is not None else set()
    if len(held) < len(secrets) and (raw is None or _BACKSLASH in raw):
        held.update(_compact_spells(body, [s for s in secrets if s not in held]))
    return [secret for secret in secrets if secret in held]


def _mask_one(value: Any, secret: str, keep: Collection[str], mask: str) -> Any:
    def texts(leaf: Any) -> Any:
        if not isinstance(leaf, str) or leaf in keep or not may_hold_text(leaf, secret):
            return leaf
        return mask_secrets(leaf, (secret,), keep, mask)

    return map_leaves(value, texts)
