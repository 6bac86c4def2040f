"""Which sent SMS have a final delivery status: the pure part of the delivery-report sensor.

The sensor reads the SMS logs (``getSmsLogs``, ``GET /sms/3/logs``) rather than pulling
delivery reports (``getSmsDeliveryReports``, ``GET /sms/3/reports``): the logs are a read,
so a poke can be repeated any number of times, retried after a network failure, and run by
several sensors at once; a pull hands each report out once, so a sensor would take reports
another consumer (a webhook, another DAG) needs, and a pull whose answer was lost would
lose them for good. Logs list the messages of the last 48 hours, up to 100 IDs per request
and 2,048 characters of IDs, comma-joined.

No Airflow import; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ... import component
from ...errors import InputError

#: Infobip's status groups a message leaves no more (group 1, PENDING, is the only other,
#: with ACCEPTED, which the logs may show before it).
FINAL_GROUPS = frozenset({"DELIVERED", "UNDELIVERABLE", "EXPIRED", "REJECTED"})
#: The action every check runs (``GET /sms/3/logs``): a read, safe to repeat.
LOGS_ACTION = "getSmsLogs"
#: ``getSmsLogs`` takes at most this many message IDs per request.
IDS_PER_REQUEST = 100
#: The ``messageId`` filter of ``GET /sms/3/logs``: "Maximum length 2048 characters" (UTF-16
#: code units), its IDs comma-separated (100 IDs of 36 characters already take 3,699).
MAX_FILTER_CHARS = 2048
#: The longest message ID a send takes (Send SMS ``destinations[].messageId``, Send
#: WhatsApp ``messageId``: 200 UTF-16 code units); a longer one names no message.
MAX_MESSAGE_ID_LENGTH = 200
#: At most this many messages per sensor: each check reads them 100 a request, so a
#: bigger wait is 100 requests a poke and better split across sensors.
MAX_MESSAGE_IDS = 10_000


def message_ids_of(value: Any, path: str = "message_ids") -> list[str]:
    """The message IDs to wait for, in order, each once.

    ``value`` is a list of IDs, one ID, or the output of a send (``{"messages": [{"messageId":
    ...}, ...]}``, as Send SMS returns it and XCom holds it). Raises ``InputError`` naming the
    place (``message_ids[2]``) when an ID is not text, is longer than a send allows
    (``MAX_MESSAGE_ID_LENGTH``) or holds a character no ID may (a control, invisible or
    private-use character), and when none or more than ``MAX_MESSAGE_IDS`` are given.
    """
    items: Any = value
    where = path
    if isinstance(value, dict) and "messages" in value:
        items, where = value["messages"], f"{path}.messages"
    elif isinstance(value, str):
        items = [value]
    if not isinstance(items, list | tuple):
        raise _input(path, "must be a list of message IDs or the output of a send")
    if len(items) > MAX_MESSAGE_IDS:
        raise _input(
            where,
            f"must name at most {MAX_MESSAGE_IDS} messages ({len(items)} given); split them "
            "across sensors",
        )
    found: dict[str, str] = {}  # ID -> where it was first given
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        if isinstance(item, dict):
            item, at = item.get("messageId"), f"{at}.messageId"
        if not isinstance(item, str) or not item.strip():
            raise _input(at, "must be a message ID (text)")
        if utf16_length(item) > MAX_MESSAGE_ID_LENGTH:
            raise _input(at, f"must be at most {MAX_MESSAGE_ID_LENGTH} characters, as sent")
        found.setdefault(item, at)
    if not found:
        raise _input(path, "must name at least one message")
    _check_as_queried(found)
    return list(found)


def _check_as_queried(found: dict[str, str]) -> None:
    """The checks ``getSmsLogs`` applies to its ``messageId`` items (visible characters
    only), run now, with each error at the place the ID was given."""
    ids = list(found)
    for query in log_queries(ids):
        try:
            component.validate_input(LOGS_ACTION, query)
        except InputError as error:
            errors = []
            for problem in error.errors:
                place = problem["path"].removeprefix("messageId[").removesuffix("]")
                if place.isdigit() and int(place) < len(query["messageId"]):
                    errors.append({**problem, "path": found[query["messageId"][int(place)]]})
                else:
                    errors.append(problem)
            raise InputError(errors) from None


def log_queries(message_ids: list[str]) -> Iterator[dict[str, Any]]:
    """``getSmsLogs`` inputs covering ``message_ids`` in order: at most 100 IDs per request,
    and no more than fit ``MAX_FILTER_CHARS`` once comma-joined, counted in UTF-16 code units
    as Infobip counts characters (one page each: a message has one log entry, and the limit
    allows 1,000)."""
    chunk: list[str] = []
    joined = -1  # the UTF-16 length of the chunk's IDs joined by commas
    for message_id in message_ids:
        units = utf16_length(message_id)
        grown = joined + 1 + units
        if chunk and (len(chunk) == IDS_PER_REQUEST or grown > MAX_FILTER_CHARS):
            yield {"messageId": chunk, "limit": len(chunk)}
            chunk, grown = [], units
        chunk.append(message_id)
        joined = grown
    if chunk:
        yield {"messageId": chunk, "limit": len(chunk)}


def utf16_length(text: str) -> int:
    """``text``'s length in UTF-16 code units, the unit of Infobip's limits on characters
    (a host cannot reach ``definition.texts``; a lone surrogate counts one, as it is sent)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def progress(
    message_ids: list[str], entries: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """``(final entries in the order of message_ids, IDs still waiting)``.

    A message is waiting while its log entry is missing (logs lag a little behind a send)
    or its status group is not final.
    """
    by_id = {entry.get("messageId"): entry for entry in entries if isinstance(entry, dict)}
    final: list[dict[str, Any]] = []
    waiting: list[str] = []
    for message_id in message_ids:
        entry = by_id.get(message_id)
        group = ((entry or {}).get("status") or {}).get("groupName")
        if entry is not None and group in FINAL_GROUPS:
            final.append(entry)
        else:
            waiting.append(message_id)
    return final, waiting


def summary(final: list[dict[str, Any]], waiting: list[str]) -> str:
    """One line for the task log: how many are final, by group, and a few still waiting."""
    groups: dict[str, int] = {}
    for entry in final:
        name = entry["status"]["groupName"]
        groups[name] = groups.get(name, 0) + 1
    counted = ", ".join(f"{count} {name}" for name, count in sorted(groups.items()))
    text = f"{len(final)} of {len(final) + len(waiting)} messages final ({counted or 'none'})"
    if waiting:
        shown = ", ".join(waiting[:5]) + (", ..." if len(waiting) > 5 else "")
        text += f"; waiting for {shown}"
    return text


def _input(path: str, message: str) -> InputError:
    return InputError([{"path": path, "message": message}])
