"""How many SMS parts a text takes: GSM-7 (with national language tables) or UCS-2.

The alphabets are those of 3GPP TS 23.038: the default alphabet and its extension table, and
the national locking-shift and single-shift tables for the languages Infobip's
``language.languageCode`` names (TR, ES, PT; ``AUTODETECT`` tries each). A locking-shift table
replaces the alphabet (one septet per character); a single-shift table replaces the extension
table (an escape septet plus the character). Each national table in use costs a 3-octet
information element in the user data header, so a part holds fewer septets:

| tables announced | single part | each part of a long text |
|---|---:|---:|
| none | 160 | 153 |
| one | 155 | 149 |
| two | 152 | 146 |

The combination that needs the fewest parts wins, as on the live service: its preview of a
98-character Turkish text with ``languageCode: TR`` is one part with 57 characters left
(155 - 98), the Turkish locking-shift table alone. ``transliteration`` is applied first.
"""

from __future__ import annotations

from collections.abc import Iterable

from .transliteration import transliterate

# The GSM 03.38 default alphabet, one septet each. The escape character (0x1B) is left out: it
# only ever introduces an extension character and is not something a sender can type.
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table characters: an escape septet plus the character itself.
_GSM7_EXTENSION = frozenset("\f^{}\\[]~|€")

_DIGITS_AND_ASCII = (
    " !\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)
# National locking-shift tables (TS 23.038 A.3); Spanish has none.
_LOCKING: dict[str, frozenset[str]] = {
    "TR": frozenset("@£$¥€éùıòÇ\nĞğ\rÅåΔ_ΦΓΛΩΠΨΣΘΞŞşßÉ¤İÄÖÑÜ§çäöñüà" + _DIGITS_AND_ASCII),
    "PT": frozenset("@£$¥êéúíóç\nÔô\rÁáΔ_ªÇÀ∞^\\€Ó|ÂâÊÉºÍÃÕÚÜ§~ãõ`üà" + _DIGITS_AND_ASCII),
}
# National single-shift tables (TS 23.038 A.2).
_SINGLE: dict[str, frozenset[str]] = {
    "TR": frozenset("\f^{}\\[~]|ĞİŞç€ğış"),
    "ES": frozenset("ç\f^{}\\[~]|ÁÍÓÚá€íóú"),
    "PT": frozenset("êç\fÔôÁáΦΓ^ΩΠΨΣΘÊ{}\\[~]|ÀÍÓÚÃÕÂ€íóúãõâ"),
}
LANGUAGES = ("TR", "ES", "PT")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67
# Septets taken from a part by the information elements of 0, 1 or 2 national tables.
_SINGLE_BY_TABLES = (160, 155, 152)
_PART_BY_TABLES = (153, 149, 146)


def is_gsm7(text: str) -> bool:
    """Whether the whole text can be sent in the GSM-7 alphabet (basic or extension table)."""
    return all(ch in _GSM7_BASIC or ch in _GSM7_EXTENSION for ch in text)


def _septet_costs(
    text: str, alphabet: frozenset[str], extension: frozenset[str]
) -> list[int] | None:
    costs = []
    for ch in text:
        if ch in alphabet:
            costs.append(1)
        elif ch in extension:
            costs.append(2)
        else:
            return None
    return costs


def _ucs2_costs(text: str) -> list[int]:
    # Characters outside the Basic Multilingual Plane are a surrogate pair: two code units.
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _parts(costs: Iterable[int], single: int, per_part: int) -> tuple[int, int]:
    """(parts, units left in the last part) for characters costing ``costs`` units each."""
    costs = list(costs)
    total = sum(costs)
    if total <= single:
        return 1, single - total
    # Greedy packing, so an escape pair or a surrogate pair is never split across two parts;
    # that is why a long text can need one part more than a plain division suggests.
    parts, used = 1, 0
    for cost in costs:
        if used + cost > per_part:
            parts += 1
            used = 0
        used += cost
    return parts, per_part - used


def _table_choices(language: str) -> list[tuple[frozenset[str], frozenset[str], int]]:
    """(alphabet, extension, national tables announced) combinations for one language."""
    choices = []
    locking = _LOCKING.get(language)
    single = _SINGLE[language]
    choices.append((_GSM7_BASIC, single, 1))
    if locking is not None:
        choices.append((locking, _GSM7_EXTENSION, 1))
        choices.append((locking, single, 2))
    return choices


def sms_count(
    text: str, language_code: str | None = None, transliteration: str | None = None
) -> int:
    """Number of SMS parts ``text`` is split into (an empty text still costs one SMS).

    ``language_code`` is Infobip's ``language.languageCode`` (``TR``, ``ES``, ``PT``,
    ``AUTODETECT`` or ``NONE``); ``transliteration`` is Infobip's ``transliteration`` value.
    """
    return sms_preview(text, language_code, transliteration)[0]


def sms_preview(
    text: str, language_code: str | None = None, transliteration: str | None = None
) -> tuple[int, int]:
    """``(parts, characters remaining in the last part)`` as ``POST /sms/1/preview`` reports
    them; the remainder is in septets for GSM-7 and in UTF-16 code units for UCS-2."""
    if transliteration:
        text = transliterate(text, transliteration)
    choices = [(_GSM7_BASIC, _GSM7_EXTENSION, 0)]
    if language_code == "AUTODETECT":
        languages: tuple[str, ...] = LANGUAGES
    else:
        languages = (language_code,) if language_code in LANGUAGES else ()
    for language in languages:
        choices += _table_choices(language)
    best: tuple[int, int] | None = None
    for alphabet, extension, tables in choices:
        costs = _septet_costs(text, alphabet, extension)
        if costs is not None:
            found = _parts(costs, _SINGLE_BY_TABLES[tables], _PART_BY_TABLES[tables])
            # Fewest parts first, then the most room left.
            if best is None or (found[0], -found[1]) < (best[0], -best[1]):
                best = found
    if best is not None:
        return best
    return _parts(_ucs2_costs(text), UCS2_SINGLE, UCS2_PART)
