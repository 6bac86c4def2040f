"""SMS segmentation: GSM-7 versus UCS-2, single versus concatenated parts."""

from __future__ import annotations

import pytest

from infobip_connector.sandbox import sms_count


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r", 1),
        # Extension characters take two septets each.
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("a" * 159 + "^", 2),
        ("a" * 158 + "{", 1),
        ("\f" * 80, 1),
        ("[]~|\\{}^" * 10, 1),
        ("[]~|\\{}^" * 10 + "x", 2),
        # An escape pair is not split: 152 + 2 does not fit in 153, so the € starts part two.
        ("a" * 152 + "€" + "a" * 152, 3),
        ("ç" * 70, 1),  # lower-case c-cedilla is not in GSM-7
        ("ç" * 71, 2),
        ("ж" * 134, 2),
        ("ж" * 135, 3),
        ("a" * 69 + "ж", 1),
        # Emoji are surrogate pairs: two UTF-16 code units.
        ("😀" * 35, 1),
        ("😀" * 36, 2),
        # 33 emoji (66 units) per part, since a pair may not straddle two parts.
        ("😀" * 66, 2),
        ("😀" * 67, 3),
    ],
)
def test_sms_count(text: str, parts: int) -> None:
    assert sms_count(text) == parts
