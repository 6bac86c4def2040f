"""Keeping the API key out of every text the connector produces.

Known keys are registered when a connection is built; ``redact`` replaces them
(and anything shaped like an ``Authorization: App …`` value) in free text. The
logging filter applies it to every record of the ``infobip_connector`` loggers.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from typing import Any

MASK = "***"
_AUTH_VALUE = re.compile(r"\b(App|Bearer|Basic|IBSSO)\s+[^\s,;\"']+", re.IGNORECASE)
_MAX_SECRETS = 256
_secrets: OrderedDict[str, None] = OrderedDict()
_lock = threading.Lock()


# Shorter values would mask ordinary words; the connection refuses keys this short.
MIN_SECRET_LENGTH = 4


def register_secret(value: str) -> None:
    """Remember ``value`` so that ``redact`` masks it wherever it appears."""
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        _secrets[value] = None
        _secrets.move_to_end(value)
        while len(_secrets) > _MAX_SECRETS:
            _secrets.popitem(last=False)


def redact(text: str) -> str:
    text = _AUTH_VALUE.sub(lambda m: f"{m.group(1)} {MASK}", text)
    with _lock:
        secrets = list(_secrets)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_data(value: Any) -> Any:
    """``redact`` applied to every string inside JSON-like data."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact(str(k)): redact_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_data(v) for v in value]
    return value


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with secrets masked, before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are rendered later from exc_info; render now, masked, instead.
            cleaned += "\n" + redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = cleaned, None
        return True


# A logger's filters only see records created on that very logger, not its children's,
# so each logger that may carry a request detail gets its own filter.
_TRANSPORT_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "aiohttp.client",
    "aiohttp.internal",
)


def get_logger(name: str) -> logging.Logger:
    """A logger whose records are redacted before any handler sees them."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
    return logger


def install_log_redaction() -> None:
    for name in ("infobip_connector", *_TRANSPORT_LOGGERS):
        get_logger(name)
