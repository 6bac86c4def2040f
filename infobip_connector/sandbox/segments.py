"""How many SMS parts a text takes: GSM-7 when every character fits, UCS-2 otherwise."""

from __future__ import annotations

from collections.abc import Iterable

# The GSM 03.38 default alphabet, one septet each. The escape character (0x1B) is left out: it
# only ever introduces an extension character and is not something a sender can type.
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table characters: an escape septet plus the character itself.
_GSM7_EXTENSION = frozenset("\f^{}\\[]~|€")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67


def is_gsm7(text: str) -> bool:
    """Whether the whole text can be sent in the GSM-7 alphabet (basic or extension table)."""
    return all(ch in _GSM7_BASIC or ch in _GSM7_EXTENSION for ch in text)


def _gsm7_costs(text: str) -> list[int]:
    return [2 if ch in _GSM7_EXTENSION else 1 for ch in text]


def _ucs2_costs(text: str) -> list[int]:
    # Characters outside the Basic Multilingual Plane are a surrogate pair: two code units.
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _parts(costs: Iterable[int], single: int, per_part: int) -> int:
    costs = list(costs)
    if sum(costs) <= single:
        return 1
    # Greedy packing, so an escape pair or a surrogate pair is never split across two parts;
    # that is why a long text can need one part more than a plain division suggests.
    parts, used = 1, 0
    for cost in costs:
        if used + cost > per_part:
            parts += 1
            used = 0
        used += cost
    return parts


def sms_count(text: str) -> int:
    """Number of SMS parts ``text`` is split into (an empty text still costs one SMS)."""
    if is_gsm7(text):
        return _parts(_gsm7_costs(text), GSM7_SINGLE, GSM7_PART)
    return _parts(_ucs2_costs(text), UCS2_SINGLE, UCS2_PART)
