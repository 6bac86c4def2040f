"""Finding keys in text however they are spelled, and masking them (for ``redaction``).

A key is masked where it occurs as given, in any other letter case (an error text that
echoes it upper-cased) and percent-encoded (a URL or form body quoted back: ``%53%41...``).
An occurrence inside one of the ``keep`` strings (IDs the connector sent, which an operator
needs whole) is left there, whether the text holds that ID as written or percent-decoded
(``msg%2DKEY`` for ``msg-KEY``). Every other occurrence is masked, one overlapping a kept
one too (its mask then cuts into the kept ID: the key comes first). API keys are printable
ASCII (the connection refuses anything else), so a case-insensitive match of one is never
a different text; a webhook's password or signing secret may be any text, and is found in
any letter case too. The mask is ``***``, or another character where a secret holds ``*``
(``mask_for``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from itertools import accumulate
from typing import Any, NamedTuple

from .jsonwalk import map_leaves
from .maskchars import MASK as MASK
from .maskchars import mask_for as mask_for

# Shorter values would mask IDs, numbers and words in data; the connection refuses keys
# this short. Infobip's keys are 32 hex digits, a dash and a UUID.
MIN_SECRET_LENGTH = 16
# A percent escape of a visible ASCII character (``!`` to ``~``): the only ones a key is made
# of. Control characters stay escaped, so decoding a text never adds a line break to a log.
_PERCENT = re.compile(r"%(2[1-9A-Fa-f]|[3-6][0-9A-Fa-f]|7[0-9A-Ea-e])")


_PERCENT_BYTES = re.compile(_PERCENT.pattern.encode())
#: '%' as a byte value. Bytes are searched with ``find`` or for an int: ``b"..." in data``
#: first tries its operand as an int, raising and clearing a TypeError inside each test
#: (about 80 ns, four times in every send's answer).
_PERCENT_BYTE = ord("%")


def _unpercent(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def _unpercent_bytes(match: re.Match[bytes]) -> bytes:
    return bytes((int(match.group(1), 16),))


def may_hold(data: bytes, secret: str) -> bool:
    """Whether ``data`` (UTF-8 text) may spell ``secret`` in a way ``mask_secrets`` masks.

    A quick test before walking parsed data: the key in any letter case, or percent-encoded
    (decoded once, as ``mask_secrets`` decodes). Keys are ASCII, so ASCII case folding of the
    bytes is enough; a secret that is not (a webhook's password) may be there in a letter
    case bytes do not fold, so the data is walked.
    """
    if not secret.isascii():
        return True
    needle = secret.lower().encode()
    if data.lower().find(needle) != -1 if len(data) <= _PIECE else _holds_lowered(data, needle):
        return True
    return (
        _PERCENT_BYTE in data
        and _PERCENT_BYTES.sub(_unpercent_bytes, data).lower().find(needle) != -1
    )


# Large texts are lower-cased a piece at a time: a lower-cased copy of a whole 100,000-message
# answer (some 17 MB) costs fresh pages from the system, about twice the work of the search.
_PIECE = 64 * 1024


def _holds_lowered(data: bytes, needle: bytes) -> bool:
    """Whether ``data`` lower-cased holds ``needle`` (lower-case), looked for in pieces of
    ``_PIECE`` bytes that overlap by one byte less than ``needle``, so none is missed."""
    overlap = len(needle) - 1
    return any(
        data[start : start + _PIECE + overlap].lower().find(needle) != -1
        for start in range(0, len(data), _PIECE)
    )


def held_of(data: bytes, secrets: Sequence[str]) -> list[str]:
    """Those of ``secrets`` that ``data`` may spell, in their order: ``may_hold`` for each,
    with ``data`` lower-cased (and percent-decoded) once for all of them, not once a key.

    A webhook body is searched for every key the process knows (up to a few hundred).
    """
    left = {secret: secret.lower().encode() for secret in secrets if secret.isascii()}
    if left:
        overlap = max(map(len, left.values())) - 1
        for start in range(0, len(data), _PIECE):
            piece = data[start : start + _PIECE + overlap].lower()
            for secret in [s for s, needle in left.items() if piece.find(needle) != -1]:
                del left[secret]
            if not left:
                break
    if left and _PERCENT_BYTE in data:
        plain = _PERCENT_BYTES.sub(_unpercent_bytes, data).lower()
        for secret in [s for s, needle in left.items() if plain.find(needle) != -1]:
            del left[secret]
    return [secret for secret in secrets if secret not in left]


def may_hold_text(text: str, secret: str) -> bool:
    """``may_hold`` for a ``str``: the key in any letter case, or a ``%`` that may encode it."""
    return _in_any_case(secret, text, text.casefold()) or "%" in text


def _in_any_case(secret: str, text: str, folded: str) -> bool:
    """Whether ``text`` (``folded``: its ``casefold()``) holds ``secret`` in any letter case.

    An ASCII secret is looked for folded. One beyond ASCII is looked for with the match
    that masks it: folding is not one to one there (a dotless i, U+0131, upper-cased is
    ``I``, which folds to ``i``)."""
    if secret.isascii():
        return secret.casefold() in folded
    return _any_case(secret).search(text) is not None


def mask_secrets(
    text: str, secrets: tuple[str, ...], keep: Collection[str] = (), mask: str | None = None
) -> str:
    """``text`` with each of ``secrets`` (longest first) masked in every spelling above.

    A percent-encoded key is found in the text decoded once; only the characters that
    spell it are masked, and the rest of the text is returned as written. ``mask``: what
    replaces each, by default ``mask_for(secrets)``; a caller masking a text for several
    secrets in turn gives the mask of all of them (``mask_for``), the same for each turn.
    """
    if not secrets:
        return text
    for secret in secrets:
        if secret in text:
            mask = mask or mask_for(secrets)
            text = _mask(text, secret, keep, mask)
    folded = text.casefold()
    for secret in secrets:
        if _in_any_case(secret, text, folded):
            mask = mask or mask_for(secrets)
            text = _mask_any_case(text, secret, keep, mask)
            folded = text.casefold()
    if "%" in text:
        text = _mask_percent_encoded(text, secrets, keep, mask or mask_for(secrets))
    return text


def _mask_percent_encoded(
    text: str, secrets: tuple[str, ...], keep: Collection[str], mask: str
) -> str:
    """``text`` with each stretch whose percent-decoding (once) spells a key, in any letter
    case, masked; every other character of ``text`` is kept as written, escapes included.

    Where the decoded text holds a key, each match is mapped back to the characters that
    spell it (one character, or three for an escape), so data around a key (``a%2Fb``) is
    not changed. A text whose decoding holds no key costs one decoding, as before.
    """
    plain = _PERCENT.sub(_unpercent, text)
    folded = plain.casefold()
    found = [secret for secret in secrets if _in_any_case(secret, plain, folded)]
    if not found:
        return text
    # Where each escape starts in ``text``, and where the character it became is in ``plain``:
    # any other character keeps its distance from the escape before it.
    escapes = [match.start() for match in _PERCENT.finditer(text)]
    decoded_at = [at - 2 * index for index, at in enumerate(escapes)]

    def written(position: int) -> int:
        """Where the character at ``position`` of ``plain`` (or its end) is in ``text``."""
        before = bisect_right(decoded_at, position) - 1
        if before < 0:
            return position
        distance = position - decoded_at[before]
        return escapes[before] + (0 if distance == 0 else distance + 2)

    spans: list[tuple[int, int]] = []
    for secret in found:
        pattern = _any_case(secret)
        holders = _holders(pattern, keep)
        kept = _kept_in(plain, pattern, holders) if holders else None
        spans.extend((written(start), written(end)) for start, end in _unkept(plain, pattern, kept))
    # Two keys' spans may overlap (one key inside another): masked together.
    return _masked(text, sorted(spans), mask)


# A test of whether ``start:end`` of a text lies inside a kept ID there.
_Kept = Callable[[int, int], bool]


class _Holders(NamedTuple):
    """The kept IDs holding a key, by the text before their first match of it (prefix), to
    look for them around the key's occurrences in a text."""

    # By prefix length, longest first: each prefix of that length, with the lengths of the
    # text after the key (suffix) in the IDs that have that prefix, longest first, and as
    # a set.
    prefixes: list[tuple[int, dict[str, tuple[list[int], set[int]]]]]
    # By length, longest first: the suffixes of that length.
    suffixes: list[tuple[int, set[str]]]
    # The IDs, to confirm one that a prefix and a suffix length make around an occurrence.
    ids: set[str]


def _holders(pattern: re.Pattern[str], keep: Collection[str]) -> _Holders | None:
    """Those of ``keep`` that hold a match of ``pattern`` (a key) without being one; None if
    none does."""
    prefixes: dict[int, dict[str, set[int]]] = {}
    suffixes: dict[int, set[str]] = {}
    ids: set[str] = set()
    for held in keep:
        match = pattern.search(held)
        if match and not pattern.fullmatch(held):
            start, end = match.span()
            prefixes.setdefault(start, {}).setdefault(held[:start], set()).add(len(held) - end)
            suffixes.setdefault(len(held) - end, set()).add(held[end:])
            ids.add(held)
    if not ids:
        return None
    ordered = [
        (length, {prefix: (sorted(tails, reverse=True), tails) for prefix, tails in by.items()})
        for length, by in sorted(prefixes.items(), reverse=True)
    ]
    return _Holders(ordered, sorted(suffixes.items(), reverse=True), ids)


def _kept_in(text: str, pattern: re.Pattern[str], holders: _Holders) -> _Kept:
    """``kept(start, end)``: whether ``text[start:end]`` lies inside one occurrence there of
    one of ``holders`` (``_holders`` of ``pattern``), in O(log n) a question.

    Every occurrence of a kept ID holds the key where the ID's first match starts, so the
    IDs are looked for only around the key's occurrences (overlapping ones too), not each
    in the whole text: thousands of IDs in a text listing them cost no more than one.

    At an occurrence, the text before it is looked up once for each length of the IDs'
    prefixes, and (once a prefix is found) the text after it once for each length of their
    suffixes: at most the longest kept ID's length each, however many IDs there are. A
    prefix found then tries only the suffix lengths that the IDs with that very prefix have
    and that were found after the occurrence, each confirmed by one lookup of the whole
    ID's text, longest first. The first confirmed ends the search for that prefix, and none
    is tried that an ID found starting earlier covers (``kept`` only asks whether one covers
    a match). So IDs nested in each other (``xKEYy`` in ``xxKEYyy``) cost one lookup a
    prefix, and a try that confirms nothing stands for an ID whose prefix and whose suffix
    length were both found: at most one a kept ID, and at most the square of the longest
    ID's length, whichever is fewer.
    """
    spans: list[tuple[int, int]] = []
    size = len(text)
    match = pattern.search(text)
    while match:
        found, end = match.span()
        furthest = -1
        after: list[int] | None = None
        after_set: set[int] = set()
        # Longest prefix first: the IDs starting earliest, which may cover later ones.
        for length, by_prefix in holders.prefixes:
            entry = by_prefix.get(text[found - length : found]) if length <= found else None
            if entry is None:
                continue
            tails, tails_set = entry
            if after is None:
                # The suffix lengths of any kept ID found after this occurrence, longest
                # first: worked out once, so a prefix tries only the lengths both have.
                after = [
                    tail
                    for tail, suffixes in holders.suffixes
                    if end + tail <= size and text[end : end + tail] in suffixes
                ]
                after_set = set(after)
            # The shorter of the two lists is walked, the other asked (a set) at each step.
            walked, asked = (tails, after_set) if len(tails) <= len(after) else (after, tails_set)
            for tail in walked:
                stop = end + tail
                if stop <= furthest:
                    break
                if tail in asked and text[found - length : stop] in holders.ids:
                    spans.append((found - length, stop))
                    furthest = stop
                    break
        match = pattern.search(text, found + 1)
    ordered = sorted(spans)
    starts = [start for start, _ in ordered]
    # The furthest any span starting at or before each one reaches: one lookup a question.
    reach = list(accumulate((end for _, end in ordered), max))

    def kept(start: int, end: int) -> bool:
        before = bisect_right(starts, start)
        return before > 0 and reach[before - 1] >= end

    return kept


def _kept_as_written_or_read(
    text: str, pattern: re.Pattern[str], keep: Collection[str]
) -> _Kept | None:
    """``_kept_in`` for a match of ``pattern`` (a key) where ``text`` is written, that also
    keeps one inside a kept ID as ``text`` reads percent-decoded once (``msg%2DKEY`` for
    ``msg-KEY``); None when no kept ID holds the key.

    Only a match that no escape touches reads the same decoded: one that an escape cuts
    into spells no key once decoded, and is kept only inside a kept ID as written.
    """
    holders = _holders(pattern, keep)
    if not holders:
        return None
    as_written = _kept_in(text, pattern, holders)
    escapes = [match.start() for match in _PERCENT.finditer(text)]
    if not escapes:
        return as_written
    as_read = _kept_in(_PERCENT.sub(_unpercent, text), pattern, holders)

    def kept(start: int, end: int) -> bool:
        if as_written(start, end):
            return True
        before = bisect_left(escapes, end)
        if before and escapes[before - 1] + 3 > start:
            return False
        # Each escape before the match is two characters longer than what it decodes to.
        return as_read(start - 2 * before, end - 2 * before)

    return kept


def _unkept(text: str, pattern: re.Pattern[str], kept: _Kept | None) -> list[tuple[int, int]]:
    """The spans of ``text`` to mask for ``pattern`` (a key): those of its matches that are
    not ``kept``, in order and none overlapping another.

    Matches are tried from left to right. After a kept one the next is looked for one
    character on, so a match overlapping it (``abcabc...`` holds the key every 3 characters)
    is tested too. After a masked one it is looked for past its end: a match overlapping it
    is partly masked with it, so no whole key is left. Without kept IDs this is what
    ``str.replace``, ``re.sub`` and ``re.finditer`` find, so a text gets the same masks
    with or without them.
    """
    if kept is None:
        return [match.span() for match in pattern.finditer(text)]
    spans: list[tuple[int, int]] = []
    match = pattern.search(text)
    while match:
        start, end = match.span()
        if kept(start, end):
            match = pattern.search(text, start + 1)
        else:
            spans.append((start, end))
            match = pattern.search(text, end)
    return spans


def _masked(text: str, spans: list[tuple[int, int]], mask: str) -> str:
    """``text`` with each of ``spans`` (sorted by start) replaced by ``mask``; spans that
    overlap share one, spans that only touch get one each (``******`` for two keys)."""
    out: list[str] = []
    at = 0
    for start, end in spans:
        if start >= at:
            out += (text[at:start], mask)
        at = max(at, end)
    return "".join(out) + text[at:]


def _mask(text: str, secret: str, keep: Collection[str], mask: str) -> str:
    pattern = _exact(secret)
    kept = _kept_as_written_or_read(text, pattern, keep)
    if kept is None:
        # Every occurrence is masked. One that ``replace`` skips overlaps one it masked, so
        # the mask cuts into it: no whole key is left (``_unkept`` skips the same).
        return text.replace(secret, mask)
    return _masked(text, _unkept(text, pattern, kept), mask)


@lru_cache(maxsize=512)
def _exact(secret: str) -> re.Pattern[str]:
    return re.compile(re.escape(secret))


@lru_cache(maxsize=512)
def _any_case(secret: str) -> re.Pattern[str]:
    return re.compile(re.escape(secret), re.IGNORECASE)


def _mask_any_case(text: str, secret: str, keep: Collection[str], mask: str) -> str:
    pattern = _any_case(secret)
    kept = _kept_as_written_or_read(text, pattern, keep)
    if kept is None:
        # Every match is masked. One that ``sub`` skips overlaps one it masked, so the
        # mask cuts into it: no whole key is left (``_unkept`` skips the same).
        return pattern.sub(mask, text)  # no mask holds a backslash
    return _masked(text, _unkept(text, pattern, kept), mask)


def mask_secret_in_data(
    value: Any, secret: str, keep: Collection[str] = (), mask: str | None = None
) -> Any:
    """JSON-like ``value`` with one key a caller holds masked in every string value.

    For a key not registered (yet) with ``redaction``: the connection's token while its
    values are refused, the token the editor page sends. Only something that could be a
    key is looked for (``MIN_SECRET_LENGTH``, the rule ``redaction.register_secret``
    applies): a one-letter "token" must not garble every word of an answer. Object names
    are never changed, nor are the ``keep`` strings (IDs the connector sent) or a key
    inside one of them, as ``redaction.redact_data`` keeps them. ``mask``: as for
    ``mask_secrets`` (``redaction.known_mask(secret)`` where other keys are known).
    """
    if len(secret) < MIN_SECRET_LENGTH:
        return value
    return _in_data(value, secret, keep, mask or mask_for((secret,)))


def _in_data(value: Any, secret: str, keep: Collection[str], mask: str) -> Any:
    def texts(leaf: Any) -> Any:
        if not isinstance(leaf, str) or leaf in keep:
            return leaf
        return mask_secrets(leaf, (secret,), keep, mask)

    return map_leaves(value, texts)
