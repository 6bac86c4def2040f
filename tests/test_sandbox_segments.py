"""SMS segmentation: GSM-7 (national tables too) versus UCS-2, single versus concatenated."""

from __future__ import annotations

import httpx
import pytest

from infobip_connector.sandbox import Sandbox, sms_count
from infobip_connector.sandbox.transliteration import transliterate


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


# Texts and figures from the previews in Infobip's OpenAPI description (POST /sms/1/preview)
# and its fully-featured send example.
TURKISH_PREVIEW = (
    "Mesaj gönderimi yapmadan önce önizleme seçeneğini kullanmanız doğru karar vermenize "
    "yardımcı olur."
)
TURKISH_SEND = (
    "Artık Ulusal Dil Tanımlayıcısı ile Türkçe karakterli smslerinizi rahatlıkla iletebilirsiniz."
)
GREEK_PREVIEW = (
    "Ως Μεγαρικό ψήφισμα είναι γνωστή η απόφαση της Εκκλησίας του δήμου των Αθηναίων "
    "(πιθανόν γύρω στο 433/2 π.Χ.) να επιβάλει αυστηρό και καθολικό εμπάργκο στα"
)
GREEK_TRANSLITERATED = (
    "ΩΣ MEΓAPIKO ΨHΦIΣMA EINAI ΓNΩΣTH H AΠOΦAΣH THΣ EKKΛHΣIAΣ TOY ΔHMOY TΩN AΘHNAIΩN "
    "(ΠIΘANON ΓYPΩ ΣTO 433/2 Π.X.) NA EΠIBAΛEI AYΣTHPO KAI KAΘOΛIKO EMΠAPΓKO ΣTA"
)


@pytest.mark.parametrize(
    ("text", "language", "transliteration", "parts"),
    [
        (TURKISH_PREVIEW, None, None, 2),
        (TURKISH_PREVIEW, "TR", None, 1),
        (TURKISH_PREVIEW, "AUTODETECT", None, 1),
        (TURKISH_PREVIEW, "NONE", None, 2),
        (TURKISH_SEND, "TR", None, 1),
        (TURKISH_SEND, None, None, 2),
        (TURKISH_SEND, None, "TURKISH", 1),
        (GREEK_PREVIEW, None, None, 3),
        (GREEK_PREVIEW, None, "GREEK", 1),
        (GREEK_PREVIEW, None, "ALL", 1),
        # The Turkish locking-shift table: 155 septets in one part, 149 in each of several.
        ("ş" * 155, "TR", None, 1),
        ("ş" * 156, "TR", None, 2),
        ("ş" * 298, "TR", None, 2),
        ("ş" * 299, "TR", None, 3),
        # Portuguese locking and single shift together (Φ is only in the latter): 152, 146.
        ("ã" * 150 + "Φ", "PT", None, 1),
        ("ã" * 151 + "Φ", "PT", None, 2),
        ("ã" * 290 + "Φ", "PT", None, 2),
        ("ã" * 291 + "Φ", "PT", None, 3),
        # Spanish has a single-shift table only: á costs an escape septet, 155 in one part.
        ("á" * 77, "ES", None, 1),
        ("á" * 78, "ES", None, 2),
        ("á" * 78, None, None, 2),
        ("á" * 70, None, None, 1),
        # Portuguese locking shift: ã ê õ ç at one septet each.
        ("ãêõç" * 38 + "ã", "PT", None, 1),
        ("ãêõç" * 39, "PT", None, 2),
        ("ãêõç" * 38 + "ã", "ES", None, 3),
        # A character no table of the language has means UCS-2.
        ("ş" * 60 + "ж", "TR", None, 1),
        ("ş" * 70 + "ж", "TR", None, 2),
        # Transliteration before counting.
        ("Привет, как дела?" * 8, None, "CYRILLIC", 1),
        ("Привет, как дела?" * 8, None, None, 3),
        ("Żółć gęślą jaźń " * 10, None, "CENTRAL_EUROPEAN", 1),
        ("āčēģīķļņšūž" * 14, None, "BALTIC", 1),
        ("“quoted” – fine…" * 8, None, "NON_UNICODE", 1),
        ("“quoted” – fine…" * 8, None, None, 2),
    ],
)
def test_national_language_tables_and_transliteration(
    text: str, language: str | None, transliteration: str | None, parts: int
) -> None:
    assert sms_count(text, language, transliteration) == parts


def test_greek_transliteration_is_infobips_preview() -> None:
    assert transliterate(GREEK_PREVIEW, "GREEK") == GREEK_TRANSLITERATED
    assert transliterate("é ñ ü à Ç ß", "ALL") == "é ñ ü à Ç ß", "GSM-7 letters stay as they are"
    assert transliterate("şğı", "NONE") == "şğı"


def test_the_sandbox_counts_with_the_requests_language_and_transliteration() -> None:
    sandbox = Sandbox()
    messages = [
        {"text": TURKISH_SEND, "language": {"languageCode": "TR"}},
        {"text": TURKISH_SEND},
        {"text": GREEK_PREVIEW, "transliteration": "GREEK"},
    ]
    request = {
        "includeSmsCountInResponse": True,
        "messages": [
            {**message, "destinations": [{"to": f"4179302672{index}"}]}
            for index, message in enumerate(messages)
        ],
    }
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="http://sandbox",
        headers={"Authorization": "App key"},
    ) as http:
        answer = http.post("/sms/2/text/advanced", json=request).json()
    assert [entry["smsCount"] for entry in answer["messages"]] == [1, 2, 1]
    assert [message.sms_count for message in sandbox.accepted_messages] == [1, 2, 1]
