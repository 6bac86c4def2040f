"""Infobip's ``transliteration`` for SMS: letters outside GSM-7 replaced by ones inside it.

Infobip transliterates a text before encoding it, so a text that would need UCS-2 (70
characters a part) can go as GSM-7 (160). Characters already in the GSM-7 alphabet are never
changed (``é``, ``ñ``, ``ü`` stay). The live service's tables are not published; these follow
its documented intent per value and its published preview of a Greek text (lower case to the
Greek capitals GSM-7 has, and Latin look-alikes for the rest: ``Ως Μεγαρικό`` becomes
``ΩΣ MEΓAPIKO``).
"""

from __future__ import annotations

# ruff: noqa: RUF001 (look-alike letters are this module's subject)
import unicodedata

_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[]~|€"
)
# Greek capitals that look like Latin ones; the others (Γ Δ Θ Λ Ξ Π Σ Φ Ψ Ω) are in GSM-7.
_GREEK_AS_LATIN = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True))
_RUSSIAN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
         "r", "s", "t", "u", "f", "h", "ts", "ch", "sh", "sch", '"', "y", "'", "e", "yu", "ya"],
        strict=True,
    )
)  # fmt: skip
_SERBIAN = {**_RUSSIAN, "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz",
            "ц": "c", "ч": "c", "ш": "s", "ж": "z", "х": "h"}  # fmt: skip
_BULGARIAN = {**_RUSSIAN, "щ": "sht", "ъ": "a", "ь": "y"}
# Latin letters each value replaces by their base letter (diacritics dropped).
_LATIN = {
    "TURKISH": "çğışİĞŞâîûÂÎÛ",
    "CENTRAL_EUROPEAN": "čćžšđČĆŽŠĐłŁńŃőŐűŰřŘěĚůŮťŤďĎňŇĺĹľĽŕŔáÁíÍóÓúÚýÝąĄęĘśŚźŹżŻăĂâÂîÎșȘşŞțȚţŢ",
    "BALTIC": "āĀčČēĒģĢīĪķĶļĻņŅšŠūŪžŽąĄęĘėĖįĮųŲõÕ",
    "PORTUGUESE": "áÁâÂãÃçêÊíÍóÓôÔõÕúÚÀ",
    "COLOMBIAN": "áÁíÍóÓúÚ",
}
# Letters without a canonical decomposition.
_BASE = {"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"}
_PUNCTUATION = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "–": "-", "—": "-", "…": "...", "\u00a0": " ",
}  # fmt: skip


def _base_letter(ch: str) -> str:
    if ch in _BASE:
        return _BASE[ch]
    return unicodedata.normalize("NFD", ch)[0]


def _greek(ch: str) -> str | None:
    if not ("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff"):
        return None
    capital = unicodedata.normalize("NFD", ch)[0].upper()
    capital = "Σ" if capital == "ς" else capital
    return _GREEK_AS_LATIN.get(capital, capital)


def _cyrillic(table: dict[str, str], ch: str) -> str | None:
    replacement = table.get(ch.lower())
    if replacement is None:
        return None
    return replacement.capitalize() if ch.isupper() else replacement


def _non_unicode(ch: str) -> str | None:
    if ch in _PUNCTUATION:
        return _PUNCTUATION[ch]
    base = _base_letter(ch)
    return base if base.isascii() and base.isalpha() else None


def _replace(ch: str, value: str) -> str | None:
    if value == "GREEK":
        return _greek(ch)
    if value == "CYRILLIC":
        return _cyrillic(_RUSSIAN, ch)
    if value == "SERBIAN_CYRILLIC":
        return _cyrillic(_SERBIAN, ch)
    if value == "BULGARIAN_CYRILLIC":
        return _cyrillic(_BULGARIAN, ch)
    if value == "NON_UNICODE":
        return _non_unicode(ch)
    if value == "ALL":
        for each in ("GREEK", "CYRILLIC", "NON_UNICODE"):
            found = _replace(ch, each)
            if found is not None:
                return found
        return None
    letters = _LATIN.get(value, "")
    return _base_letter(ch) if ch in letters else None


def transliterate(text: str, value: str) -> str:
    """``text`` as Infobip's ``transliteration: value`` sends it (``NONE``: unchanged)."""
    if value == "NONE":
        return text
    out = []
    for ch in text:
        replacement = None if ch in _GSM7 else _replace(ch, value)
        out.append(ch if replacement is None else replacement)
    return "".join(out)
