"""The messages a send's answer reports REJECTED: found in its output, and warned of.

Only a send warns: its answer carries the statuses of the messages it just submitted (README,
"Only sends warn about REJECTED statuses"). A bulk's entries already read by columns
(``columns.py``) are looked at without a walk in Python.
"""

from __future__ import annotations

from typing import Any

from ..redaction import get_logger, snippet
from .columns import Columns

log = get_logger("infobip_connector.runtime")

#: Infobip's status group of messages it did not send.
REJECTED_GROUP = 5


def message_entries(output: dict[str, Any], skip: list[Any] | None = None) -> list[dict[str, Any]]:
    """The entries of a send's output that report one message each: those with a ``status``.

    A single-message send (``sendWhatsappTextMessage``) answers with one such object, a bulk
    send with a list of them (``messages``); the count is what a summary calls the total.
    ``skip``: a list of the output's to leave out (its entries were read by columns).
    """
    entries: list[Any] = [output]
    for value in output.values():
        if type(value) is list and value is not skip:
            entries.extend(value)
    return [entry for entry in entries if type(entry) is dict and type(entry.get("status")) is dict]


def rejected_messages(
    output: dict[str, Any], skip: list[Any] | None = None
) -> list[dict[str, Any]]:
    """The entries of an output whose status is in Infobip's REJECTED group (``skip``: as
    for ``message_entries``)."""
    return _rejected(message_entries(output, skip))


def _rejected(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Those of a send's message ``entries`` in Infobip's REJECTED status group."""
    return [entry for entry in entries if entry["status"].get("groupId") == REJECTED_GROUP]


def send_rejections(kind: str, output: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The REJECTED entries of a send's output and how many messages it reports in all.

    Empty for every kind but ``send``: only a send's answer carries statuses of messages it
    just submitted; a read of logs or a consume of reports lists old REJECTED messages that
    need no warning now (README, "Only sends warn about REJECTED statuses").
    """
    if kind != "send":
        return [], 0
    entries = message_entries(output)  # once: a 100,000-entry bulk took a pass per use
    return _rejected(entries), len(entries)


def unrejected(output: dict[str, Any], columns: Columns | None) -> list[Any] | None:
    """The list of ``columns``, if it is one of ``output``'s and its ``status.groupId``
    column shows that none of its entries is REJECTED: then it needs no walk in Python.
    None otherwise (the entries are then read one by one).
    """
    if columns is None or not any(value is columns.entries for value in output.values()):
        return None
    try:
        if REJECTED_GROUP in columns.of("status", "groupId"):
            return None
    except TypeError:  # an entry or a status that is not a dict: no column to read
        return None
    return columns.entries


def recipient(entry: dict[str, Any]) -> Any:
    """The address a message entry was sent to: ``to`` in send answers, ``destination`` in logs."""
    return entry.get("to", entry.get("destination"))


def log_rejections(action: str, output: dict[str, Any], columns: Columns | None = None) -> None:
    """Log one WARNING when a send's ``output`` reports REJECTED messages: how many of how
    many, and the first one's messageId, address and status (each cut to 60 characters).

    ``columns``: the output's entries already read by columns, if the caller has them.
    """
    skip = None if columns is None else unrejected(output, columns)
    rejected = rejected_messages(output, skip)
    if rejected:
        # Counted only for the warning: nearly every answer has nothing rejected.
        total = len(message_entries(output))
        first = rejected[0]
        log.warning(
            "%s: Infobip accepted the request but rejected %d of %d message(s), e.g. %s to %s: %s",
            action,
            len(rejected),
            total,
            # Infobip's values, cut: an answer may hold a text of any length there.
            snippet(str(first.get("messageId")), 60),
            snippet(str(recipient(first)), 60),
            snippet(str(first["status"].get("name")), 60),
        )
