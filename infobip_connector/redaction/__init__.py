"""Keeping the API key out of every text the connector produces.

Known keys are registered when a connection is checked; ``redact`` replaces them
(and anything shaped like an ``Authorization: App …`` value) in free text. The
logging filter applies it to every record of the ``infobip_connector`` loggers.

Masking must never corrupt data. Three rules keep it to places where the key really is:

- keys shorter than ``MIN_SECRET_LENGTH`` are refused by the connection (Infobip's keys
  are about 70 characters), so no registered key is a word, a number or a phone number
  (E.164 numbers have at most 15 digits) likely to appear in data;
- in JSON data only values are masked, never object keys (``bulkId`` stays ``bulkId``);
- the IDs the connector itself sent (``bulkId``, ``messageId``s) are never masked: they
  come from the caller's own input, and an operator needs them intact to reconcile.
  A key occurring inside such an ID is left there; everywhere else it is masked.

Which keys are known: ``redaction/keys.py``; masking texts, data and answers:
``redaction/text.py``; log records: ``redaction/logs.py``.
"""

from __future__ import annotations

# Re-exported: the rest of the package asks redaction for the shortest key and the mask.
from ..maskchars import MASK as MASK
from ..masking import MIN_SECRET_LENGTH as MIN_SECRET_LENGTH
from .keys import (
    MAX_FORGOTTEN_KEYS,
    MAX_SECRET_LENGTH,
    HiddenStr,
    carrying,
    encode_carrying,
    register_secret,
)
from .logs import RedactingFilter, get_logger, install_log_redaction
from .text import (
    mask_key_in_data,
    named_ids,
    redact,
    redact_data,
    scrub_answer,
    scrub_known_keys,
    sent_ids,
    snippet,
)

__all__ = [
    "MASK",
    "MAX_FORGOTTEN_KEYS",
    "MAX_SECRET_LENGTH",
    "MIN_SECRET_LENGTH",
    "HiddenStr",
    "RedactingFilter",
    "carrying",
    "encode_carrying",
    "get_logger",
    "install_log_redaction",
    "mask_key_in_data",
    "named_ids",
    "redact",
    "redact_data",
    "register_secret",
    "scrub_answer",
    "scrub_known_keys",
    "sent_ids",
    "snippet",
]
