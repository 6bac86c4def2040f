"""Log records of the connector and of the HTTP libraries it uses, masked before any handler
sees them."""

from __future__ import annotations

import logging

from .text import redact


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
    # The servers' own loggers (the sandbox, editor, listen and MCP hosts): a failed
    # request is logged with its line, which may hold a URL with a password or a key.
    "aiohttp.server",
    "aiohttp.web",
    "aiohttp.access",
    "uvicorn.error",
    "uvicorn.access",
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
