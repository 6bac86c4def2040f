"""A key holding '*' is refused before anything is sent.

Masking writes ``***`` where a key was; a key holding ``*`` could be put back together from
that mask and the text around it (``"ab" + "***cdef..."`` spells ``"ab***cdef..."``), in a
log line that was masked once."""

from __future__ import annotations

import pytest

from infobip_connector.masking import mask_secrets
from infobip_connector.redaction import carrying, redact

from .test_numeric_keys import refusal_of


@pytest.mark.parametrize(
    "key", ["ab***cdefghijklmnopq", "*bcdefghijklmnopq", "abcdefghijklmnop*", "abcdefgh*ijklmnop"]
)
@pytest.mark.parametrize("action", ["sendSms", "getSmsLogs"])
def test_a_key_holding_the_mask_character_is_refused_before_sending(key: str, action: str) -> None:
    assert "'*'" in refusal_of(key, action)


@pytest.mark.parametrize(
    ("secret", "text"),
    [
        ("ab***cdefghijklmnopq", "abab" + "ab***cdefghijklmnopq" + "cdefghijklmnopq" * 2),
        ("*bcdefghijklmnopq", "X" + "*bcdefghijklmnopq" + "bcdefghijklmnopq"),
    ],
)
def test_a_secret_holding_the_mask_character_cannot_reappear_from_its_mask(
    secret: str, text: str
) -> None:
    # A webhook's password or signing secret may hold '*'. Masked once, each text would read
    # as the secret again: "ab" + "***" + "cdef...", "X" + "***" + "bcdef...".
    with carrying((secret,)):
        masked = redact(text)
    assert secret not in masked
    assert secret not in mask_secrets(text, (secret,))


def test_a_secret_no_longer_than_the_mask_is_masked_once() -> None:
    # Masking it does not shorten the text: one pass, which ends.
    assert mask_secrets("x ** y ****", ("**",)) == "x **** y *********"
