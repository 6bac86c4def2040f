"""A key holding '*' is refused before anything is sent.

Masking writes ``***`` where a key was; a key holding ``*`` could be put back together from
that mask and the text around it (``"ab" + "***cdef..."`` spells ``"ab***cdef..."``), in a
log line that was masked once."""

from __future__ import annotations

import httpx
import pytest

from infobip_connector import component
from infobip_connector.errors import ConfigurationError
from infobip_connector.redaction import redact

from .test_numeric_keys import SEND, _never_called


@pytest.mark.parametrize(
    "key", ["ab***cdefghijklmnopq", "*bcdefghijklmnopq", "abcdefghijklmnop*", "abcdefgh*ijklmnop"]
)
@pytest.mark.parametrize("action", ["sendSms", "getSmsLogs"])
def test_a_key_holding_the_mask_character_is_refused_before_sending(key: str, action: str) -> None:
    connection = {"token": key, "baseUrl": "https://xyz.api.infobip.com"}
    values = SEND if action == "sendSms" else {}
    with pytest.raises(ConfigurationError) as info:
        component.execute(action, values, connection, transport=httpx.MockTransport(_never_called))
    assert [error["path"] for error in info.value.details["errors"]] == ["token"]
    shown = info.value.message + repr(info.value.details) + repr(info.value)
    assert key not in shown and "'*'" in shown


def test_one_masking_pass_would_put_such_a_key_back_together() -> None:
    # Why the rule: with such a key, one masking pass would put it back together.
    key = "ab***cdefghijklmnopq"
    masked = redact("abab" + key + "cdefghijklmnopq" * 2, (key,))
    assert key in masked
