"""What a mask is made of: ``***``, or, where a secret holds ``*``, a character none holds.

Masking (``masking.py``, ``redaction``) replaces each secret it finds with a mask. A mask
made of a character a secret holds could spell that secret again with the text around it,
or spell another secret masked in the same text; one made of characters no secret holds
takes part in no spelling of any, so one pass leaves none.
"""

from __future__ import annotations

MASK = "***"
# What a mask is made of when a secret holds '*' (see ``mask_for``): the first of these no
# secret holds, else the first such character from U+2500 on.
_MASK_CHARACTERS = "#~^!?=+"


def mask_for(secrets: tuple[str, ...]) -> str:
    """What masks ``secrets`` in a text: ``MASK`` (``***``), unless one of them holds ``*``.

    A mask made of a character a secret holds could spell that secret again with the text
    around it (``p4ss*`` masked in ``p4ssp4ss*`` leaves ``p4ss***``), and a second pass
    could do the same. So for such secrets the mask is three of the first character none
    of them holds in any letter case: one of ``#~^!?=+``, else a caseless symbol from
    U+2500 on (a secret of n characters rules out at most n); never ``%``, a backslash or
    a hex digit, which could make an escape. No mask then takes part in any spelling of
    any of ``secrets``: what is left of one after masking was there as given, and the
    masking finds that. Texts masked for several secrets in turn must use the mask of all
    of them, or one secret's mask could spell another.
    """
    joined = "".join(secrets)
    if "*" not in joined:
        return MASK
    # Searches in C for the usual candidates; a set of every character only past them.
    every = joined + joined.swapcase()
    for character in _MASK_CHARACTERS:
        if character not in every:
            return character * 3
    held = set(every)
    symbols = (chr(code) for code in range(0x2500, 0x110000) if not 0xD800 <= code < 0xE000)
    for character in symbols:
        if (
            character not in held
            and character.lower() == character.upper() == character
            and character.isprintable()
            and not character.isspace()
        ):
            return character * 3
    raise AssertionError("unreachable: a secret cannot hold every character")
