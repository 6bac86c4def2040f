"""A key holding '*' is refused before anything is sent.

Masking writes ``***`` where a key was; a key holding ``*`` could be put back together from
that mask and the text around it (``"ab" + "***cdef..."`` spells ``"ab***cdef..."``), in a
log line that was masked once."""

from __future__ import annotations

import pytest

from .test_numeric_keys import refusal_of


@pytest.mark.parametrize(
    "key", ["ab***cdefghijklmnopq", "*bcdefghijklmnopq", "abcdefghijklmnop*", "abcdefgh*ijklmnop"]
)
@pytest.mark.parametrize("action", ["sendSms", "getSmsLogs"])
def test_a_key_holding_the_mask_character_is_refused_before_sending(key: str, action: str) -> None:
    assert "'*'" in refusal_of(key, action)
