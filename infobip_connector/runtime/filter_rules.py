"""Rules of the log and report filters that a JSON Schema cannot say.

A date-time filter (``sentSince``, ``sentUntil`` of ``GET /sms/3/logs``) is an instant: its
offset is part of it, as OpenAPI's ``format: date-time`` requires. The rules between an
action's inputs get all its values: Infobip needs the mobile country code with a network
code, and a time range that ends before it starts finds nothing. An ID the logs are
filtered by holds no comma, whether it is sent or filtered by. Each rule returns problems
as ``{"path": below the value, "message": ...}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .problems import given
from .timeutil import parse_instant

Problems = list[dict[str, str]]


def instant(value: Any, now: datetime) -> Problems:
    """A date-time string that carries its offset (or ``Z``)."""
    try:
        parse_instant(value)
    except ValueError as exc:
        return [{"path": "", "message": str(exc)}]
    return []


#: Why an ID may not hold a comma: the SMS logs (``GET /sms/3/logs``) read their ``bulkId``,
#: ``messageId`` and ``campaignReferenceId`` filters as "multiple comma-separated values".
COMMA_SPLIT = (
    "must not contain a comma: Infobip's SMS logs split their ID filters at commas, so an "
    "ID holding one could never be looked up"
)


def no_comma(value: Any, now: datetime) -> Problems:
    """An ID sent or filtered by that Infobip's log filters would split (``noComma``).

    The input checks' walk (``checks.py``) makes this same test itself, without a call, at
    each place and for a list of recipients at once: a change to what counts as a comma
    is made there too.
    """
    if isinstance(value, str) and "," in value:
        return [{"path": "", "message": COMMA_SPLIT}]
    return []


def mnc_needs_mcc(values: dict[str, Any], now: datetime) -> Problems:
    """Infobip, of ``mnc``: "Mobile Country Code is required if this property is used"."""
    if "mnc" in values and "mcc" not in values:
        return [{"path": "mcc", "message": "is required when a mobile network code (mnc) is given"}]
    return []


def sent_since_before_until(values: dict[str, Any], now: datetime) -> Problems:
    """``sentSince`` before ``sentUntil`` when both are given."""
    try:
        since = parse_instant(values["sentSince"])
        until = parse_instant(values["sentUntil"])
    except (KeyError, TypeError, ValueError):
        return []  # one is missing, or already reported by its own rule
    if since >= until:
        message = (
            f"is not later than sentSince ({values['sentSince']}): a range that ends before "
            "it starts finds nothing" + given(values["sentUntil"])
        )
        return [{"path": "sentUntil", "message": message}]
    return []
