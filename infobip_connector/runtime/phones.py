"""Phone numbers and SMS senders, normalised to the digits Infobip expects.

Every way of writing a number goes through one normalisation: Unicode digits become
ASCII digits, separators are dropped, and libphonenumber (Google's metadata) parses the
result as an international number, strips a national trunk prefix written after the
country code (``+61 (0)4…`` → ``614…``) and checks it. ``check`` is ``"valid"`` (the
number matches a number range of its country; the default) or ``"possible"`` (its
length fits the country: for number ranges newer than the library's data).

A bulk cannot afford a parse per recipient (several microseconds each), so digits
already in Infobip's form are checked by one compiled regular expression per country
code and length, built from the same metadata and equivalent to the parse: a number
the expression accepts is exactly what the parse would return; any other goes through
the parse itself (see ``_fast_pattern``). A bulk's numbers are matched by the same
expressions all at once (phone_lines.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata

from ..definition.model import PHONE_CHECKS, PhoneCheck
from ..definition.texts import strip_invisible

_SEPARATORS = re.compile(r"[\s\-./()]")
# Minus signs that are not dashes (Pd) but are typed or pasted between digit groups.
_MINUS_SIGNS = "\u02d7\u2043\u2212\u2796"
_CODES = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
# The number types libphonenumber's validity test tries (_number_type_helper); any match
# makes a number valid, so the ones recipients' numbers are come first.
_TYPES = (
    "mobile",
    "fixed_line",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "premium_rate",
    "toll_free",
    "shared_cost",
)

Matcher = Callable[[str], object]


def _never(_: str) -> object:
    return None


# (first three characters, length) → a test that is true when the number is already
# normalised and passes the check. Only keys of three ASCII digits are stored, so each
# table holds at most 64,000 entries (1,000 heads, lengths up to 64).
_SHAPES: dict[PhoneCheck, dict[tuple[str, int], Matcher]] = {c: {} for c in PHONE_CHECKS}


def shapes(check: PhoneCheck) -> dict[tuple[str, int], Matcher]:
    """The shape table for ``check``, for callers that inline the fast path (a bulk's walk)."""
    return _SHAPES[check]


def normalize_phone(raw: str, check: PhoneCheck = "valid") -> str:
    """``+41 79 302 67 27``, ``0041793026727`` or ``41793026727`` → ``41793026727``.

    Raises ValueError with a message for the person who wrote the number. A number with
    separators but no country code is refused rather than guessed: ``(415) 555-2671``
    could be dialled from anywhere.
    """
    key = (raw[:3], len(raw))
    table = _SHAPES[check]
    match = table.get(key)
    if match is None:
        match = _learn(key, check)
    if match(raw):
        return raw
    return _normalize(raw, check)


def _learn(key: tuple[str, int], check: PhoneCheck) -> Matcher:
    head, length = key
    code = calling_code(head)
    match = _fast_pattern(code, length - len(str(code)), check) if code is not None else _never
    _SHAPES[check][key] = match
    return match


#: Where a number ends in a fast pattern: the end of the text, or of a line (see phone_lines.py).
END = r"\Z"
LINE_END = r"(?=\n)"


@lru_cache(maxsize=2048)
def _fast_pattern(code: int, length: int, check: PhoneCheck) -> Matcher:
    """A test equivalent to the full parse for ``code`` followed by ``length`` digits.

    It accepts exactly the digit strings that ``phonenumbers.parse("+" + digits)`` leaves
    unchanged and that pass ``check``: the national prefix for parsing must not match
    (parse would try to strip it: such numbers take the slow path), and for ``valid`` the
    rest must satisfy ``is_valid_number``, which this mirrors branch for branch (the
    regions of the code in order; a region with ``leading_digits`` claims a number by
    prefix, one without by validating it).
    """
    source = fast_source(code, length, check, END)
    return _never if source is None else re.compile(source, re.ASCII).fullmatch


@lru_cache(maxsize=2048)
def fast_source(code: int, length: int, check: PhoneCheck, end: str) -> str | None:
    """The expression of ``_fast_pattern`` (None: no number of this shape is settled by
    one), every number's end written as ``end``: ``END``, or ``LINE_END`` to test a line
    of a text (compiled with ``re.ASCII``)."""
    regions = _CODES.get(code, ())
    main = PhoneMetadata.metadata_for_region_or_calling_code(code, regions[0]) if regions else None
    if main is None or not 2 <= length <= 17:
        return None
    if check == "possible":
        number = phonenumbers.PhoneNumber(country_code=code, national_number=int("1" * length))
        if not phonenumbers.is_possible_number(number):
            return None
        body = rf"\d{{{length}}}"
    else:
        found = _valid_body(code, regions, length, end)
        if found is None:
            return None
        body = found
    prefix = main.national_prefix_for_parsing
    guard = f"(?!(?:{prefix}))" if prefix else ""
    return rf"{code}{guard}(?:{body}){end}"


def calling_code(head: str) -> int | None:
    """The calling code the first three characters of a number in Infobip's form start
    with, or None (not three ASCII digits, a leading 0, no such code)."""
    if not (head.isascii() and head.isdigit() and len(head) == 3) or head[0] == "0":
        return None
    size = next((n for n in (1, 2, 3) if int(head[:n]) in _CODES), 0)
    return int(head[:size]) if size else None


def _valid_body(code: int, regions: tuple[str, ...], length: int, end: str) -> str | None:
    if len(regions) == 1:
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, regions[0])
        return _region_pattern(metadata, length, end) if metadata is not None else None
    branches: list[str] = []
    claimed = ""  # negative lookaheads for the regions tried before
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region, None)
        if metadata is None:
            continue
        valid = _region_pattern(metadata, length, end)
        if metadata.leading_digits is not None:
            claim = f"(?:{metadata.leading_digits})"
            if valid is not None:
                branches.append(f"{claimed}(?={claim}){valid}")
            claimed += f"(?!{claim})"
        elif valid is not None:
            branches.append(f"{claimed}{valid}")
            claimed += rf"(?!{valid}{end})"
    return "|".join(f"(?:{b})" for b in branches) if branches else None


def _region_pattern(metadata: PhoneMetadata, length: int, end: str) -> str | None:
    general = _desc_pattern(metadata.general_desc, length)
    if general is None:
        return None
    types = [p for t in _TYPES if (p := _desc_pattern(getattr(metadata, t), length))]
    if not types:
        return None
    return rf"(?=(?:{general}){end})(?:" + "|".join(f"(?:{p})" for p in types) + ")"


def _desc_pattern(desc: object, length: int) -> str | None:
    pattern = getattr(desc, "national_number_pattern", None)
    lengths = getattr(desc, "possible_length", None) or ()
    if not pattern or (lengths and length not in lengths):
        return None
    return str(pattern)


# ---------------------------------------------------------------- the full parse


@lru_cache(maxsize=4096)
def _normalize(raw: str, check: PhoneCheck) -> str:
    text = ascii_digits(raw).strip()
    if text.startswith("+"):
        international = "+" + _SEPARATORS.sub("", text[1:])
    elif text.startswith("00"):
        international = "+" + _SEPARATORS.sub("", text)[2:]
    elif text.isdigit():
        if text.startswith("0"):
            raise ValueError(
                f"{_show(raw)} starts with 0, a national trunk prefix: write it in international "
                "format with the country code, e.g. 41793026727"
            )
        international = "+" + text
    elif _SEPARATORS.sub("", text).isdigit():
        raise ValueError(
            f"{_show(raw)} has no country code: start it with + or 00, e.g. +1 415 555 2671"
        )
    else:
        international = ""
    if not international[1:].isdigit():
        raise ValueError(
            f"{_show(raw)} is not a phone number: only digits, spaces, - . ( ) and a leading +"
            f"{_first_odd(text)}"
        )
    try:
        number = phonenumbers.parse(international, None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise ValueError(
                f"{_show(raw)} does not start with a known country calling code"
            ) from None
        raise ValueError(f"{_show(raw)} has the wrong number of digits") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(
            f"{_show(raw)} cannot be a phone number of country code +{number.country_code} "
            f"({_country(number.country_code)}): wrong number of digits"
        )
    if check == "valid" and not phonenumbers.is_valid_number(number):
        nsn = phonenumbers.national_significant_number(number)
        raise ValueError(
            f"{_show(raw)} is not a valid phone number: its digits read as country code "
            f"+{number.country_code} ({_country(number.country_code)}) and national number "
            f"{nsn}, which is not a number range there. Check the country code (write the "
            "number in international format); the connection option phoneNumberCheck: "
            "possible accepts ranges newer than the phone number data"
        )
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))[1:]


def _first_odd(text: str) -> str:
    """`` (found …)`` naming the first character a number cannot hold, or nothing."""
    for char in text:
        if not (char.isdigit() or char in " +-./()"):
            name = unicodedata.name(char, "")
            return f" (found U+{ord(char):04X}{' ' + name if name else ''})"
    return ""


def ascii_digits(raw: str) -> str:
    """``raw`` with every decimal digit as ASCII, invisible marks dropped, dashes as spaces.

    Arabic-Indic, Devanagari, full-width and other decimal digits (Unicode category Nd)
    are digits people type; superscripts, circled or fraction digits are not, and are
    refused with their name rather than misread. Bidi marks and zero-width characters
    come with numbers copied from contacts apps; every dash and minus sign (U+2010 to U+2015,
    U+2212, U+FF0D...) is a separator.
    """
    if raw.isascii():
        return raw
    out = []
    for char in strip_invisible(raw):
        if char.isascii():
            out.append(char)
            continue
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            out.append(str(digit))
        elif char.isspace() or unicodedata.category(char) == "Pd" or char in _MINUS_SIGNS:
            out.append(" ")
        elif unicodedata.numeric(char, None) is not None:
            raise ValueError(
                f"{_show(raw)} has {char!r} ({unicodedata.name(char, 'a numeric sign')}), "
                "which is not a digit: write the number with the digits 0-9"
            )
        else:
            folded = unicodedata.normalize("NFKC", char)
            out.append(folded if folded in "+()./" else char)
    return "".join(out)


@lru_cache(maxsize=256)
def _country(code: int) -> str:
    """The name of the country (or countries) a calling code belongs to, in English."""
    from phonenumbers.geocoder import _region_display_name  # 0.4 s to load: errors only

    regions = [r for r in _CODES.get(code, ()) if r != "001"]
    if not regions:
        return "a non-geographic service"
    names = [str(_region_display_name(r, "en") or r) for r in regions]
    if len(names) == 1:
        return names[0]
    others = len(names) - 1
    return f"{names[0]} and {others} other {'country' if others == 1 else 'countries'} sharing it"


# ---------------------------------------------------------------- SMS senders


# Sender rules (Infobip's SMS documentation, "sender names", linked from the `from`
# field of the Send SMS API): an alphanumeric sender is 3 to 11 characters; a numeric
# sender is a phone number in international format (E.164, at most 15 digits) or a
# short code. Short codes are national and up to 8 digits, so they are kept as given.
ALPHANUMERIC_SENDER = (3, 11)
SHORT_CODE_DIGITS = 8


def normalize_sender(raw: str, _check: PhoneCheck = "valid") -> str:
    """An SMS sender as Infobip takes it: a normalised number, a short code, or a name.

    Invisible characters and surrounding spaces are dropped; a name is counted in the
    characters that remain and needs a letter (``+++`` or ``(())`` names nobody).
    Raises ValueError with a message for the person who wrote it.
    """
    return _sender(raw)


# Every message of every send names a sender, nearly always one of the few an account has:
# each is worked out once (a refused one is not kept, and is refused again each time).
@lru_cache(maxsize=1024)
def _sender(raw: str) -> str:
    visible = strip_invisible(raw).strip()
    text = ascii_digits(visible)
    bare = _SEPARATORS.sub("", text)
    if bare.lstrip("+").isdigit() and bare.count("+") <= 1:
        if bare.isdigit() and len(bare) <= SHORT_CODE_DIGITS:
            return bare  # a short code (``12 34`` as ``1234``): national, no country code
        try:
            # A sender is a number registered to the account, which Infobip checks against
            # its own list: its length is checked here, not the range data of the library.
            return normalize_phone(text, "possible")
        except ValueError as exc:
            raise ValueError(f"is a numeric sender, so it must be a phone number: {exc}") from None
    low, high = ALPHANUMERIC_SENDER
    odd = next((c for c in visible if not " " <= c <= "~"), None)
    if odd is not None:
        raise ValueError(
            f"an alphanumeric sender may only use ASCII letters, digits, spaces and "
            f"punctuation (got {odd!r})"
        )
    if not any(c.isalpha() for c in visible):
        raise ValueError(
            f"{_show(raw)} is neither a phone number nor a sender name: a name needs at "
            "least one letter"
        )
    if not low <= len(visible) <= high:
        raise ValueError(
            f"an alphanumeric sender must be {low} to {high} characters long, spaces at "
            f"either end not counted (got {len(visible)})"
        )
    return visible


def _show(raw: str) -> str:
    return repr(raw) if len(raw) <= 40 else repr(raw[:37] + "...")
