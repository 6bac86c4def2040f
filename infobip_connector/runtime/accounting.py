"""Every message accounted for: each messageId sent is in the output, or the outcome is unknown.

Infobip answers a send with one entry per destination, each naming the messageId the
connector assigned. An answer that leaves one out (``{"messages": []}`` for two
destinations), repeats one, or names one that was never sent does not say what happened to
the messages, so it is not a success: the execution fails with ``OutcomeUnknownError``
naming the IDs sent, those missing, duplicated or unexpected, and the entries that did come
back, so that an operator can reconcile them without resending blindly.

Nor is an answer whose entries contradict what was sent: another ``bulkId``, an entry whose
``to`` is not the destination sent with its messageId (two swapped), a ``messageCount``
under 1, or a status number too large to be read exactly (one written as a float past
2**53 has lost digits; a whole number keeps them, ``digits.py``). Those fail the same way,
with ``contradictions`` listing each.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from typing import Any

from ..outcome import unknown
from ..request import Recipients, message_ids
from .columns import Columns

#: The messageIds a request carried (see ``request.message_ids``).
sent_ids = message_ids


def returned_entries(output: dict[str, Any]) -> list[Any]:
    """The per-message entries of an output: its ``messages`` list, or the output itself."""
    messages = output.get("messages")
    return messages if isinstance(messages, list) else [output]


#: Whole numbers past this are not exact as floats.
_EXACT_INTEGERS = 2**53
#: An error lists at most this many contradictions.
_MAX_LISTED = 100


def check_accounted(
    output: dict[str, Any],
    reference: dict[str, Any],
    recipients: Recipients | None = None,
    columns: Columns | None = None,
) -> bool:
    """Raise ``OutcomeUnknownError`` unless the output names each sent messageId exactly
    once and contradicts nothing that was sent (``recipients``: each messageId with its ``to``).

    ``columns``: the output's entries (``returned_entries``) with the fields already read,
    if the caller has them. Returns whether every entry was plain (``_plain``: no float
    where a status number or a ``messageCount`` belongs, among others); False also when
    nothing was sent to account for.
    """
    sent = sent_ids(reference)
    if not sent:
        return False
    if recipients is None:
        recipients = Recipients()
    entries = returned_entries(output) if columns is None else columns.entries
    # A single message answered by one entry, the usual small send: settled at once.
    if len(entries) == 1 == len(recipients.ids) and _single_settled(
        output, entries[0], reference, sent, recipients
    ):
        return True
    suspects = _suspects(entries, recipients, columns)
    # One entry per recipient and no suspect: each entry names its recipient's messageId, in
    # order. When those are the IDs sent, the answer accounts for them; no second listing.
    if suspects or len(entries) != len(recipients) or recipients.ids != sent:
        _check_ids(entries, sent, reference)
    found = contradictions(output, entries, reference, recipients, suspects)
    if found:
        raise unknown(
            "Infobip accepted the request but its answer contradicts what was sent "
            f"({'; '.join(found[:3])}{'; ...' if len(found) > 3 else ''})",
            reference,
            contradictions=found[:_MAX_LISTED],
            returned=entries,
        )
    return not suspects


def _check_ids(entries: list[Any], sent: list[str], reference: dict[str, Any]) -> None:
    returned = [e.get("messageId") if isinstance(e, dict) else None for e in entries]
    if returned == sent:  # the usual answer: same IDs, same order
        return
    # Counted, not compared as sets: a bulk may carry one messageId twice, and then an answer
    # naming it once leaves a message unaccounted for.
    counts, expected = Counter(returned), Counter(sent)
    missing = [i for i in expected for _ in range(expected[i] - counts[i])]
    duplicated = sorted(str(i) for i in expected if counts[i] > expected[i])
    unexpected = [i for i in counts if i not in expected]
    if not (missing or duplicated or unexpected):
        return  # the same IDs in another order
    problems = []
    if missing:
        problems.append(f"{len(missing)} of {len(sent)} messageId(s) missing")
    if duplicated:
        problems.append(f"{len(duplicated)} named more than once")
    if unexpected:
        problems.append(f"{len(unexpected)} unexpected")
    raise unknown(
        f"Infobip accepted the request but its answer does not account for every message "
        f"({', '.join(problems)})",
        reference,
        missingMessageIds=missing,
        duplicatedMessageIds=duplicated,
        unexpectedMessageIds=[str(i) if i is not None else None for i in unexpected],
        returned=entries,
    )


def contradictions(
    output: dict[str, Any],
    entries: list[Any],
    reference: dict[str, Any],
    recipients: Recipients,
    suspects: list[int] | None = None,
) -> list[str]:
    """What the answer says that cannot be true of what was sent, each with its path.

    ``suspects``: what ``_suspects`` found for these entries, if it was already asked.
    """
    found = []
    bulk = output.get("bulkId")
    if "bulkId" in reference and bulk is not None and bulk != reference["bulkId"]:
        found.append("bulkId: not the bulkId sent")
    if suspects is None:
        suspects = _suspects(entries, recipients)
    if not suspects:
        return found
    destinations: dict[str, set[str]] = {}
    for sent_id, sent_to in recipients:
        destinations.setdefault(sent_id, set()).add(sent_to)
    prefix = "messages" if entries is output.get("messages") else ""
    for index in suspects:
        entry = entries[index]
        if not isinstance(entry, dict):
            continue
        where = f"{prefix}[{index}]." if prefix else ""
        to = entry.get("to")
        message_id = entry.get("messageId")
        expected = destinations.get(message_id) if isinstance(message_id, str) else None
        if expected and to is not None and _digits(to) not in expected:
            found.append(f"{where}to: not the destination sent with this messageId")
        count = entry.get("messageCount")
        if count is not None and not (type(count) is int and count >= 1):
            found.append(f"{where}messageCount: not a whole number of 1 or more")
        status = entry.get("status")
        if isinstance(status, dict):
            for name in ("groupId", "id"):
                number = status.get(name)
                if isinstance(number, float) and abs(number) >= _EXACT_INTEGERS:
                    found.append(f"{where}status.{name}: too large to be read exactly")
    return found


def _suspects(
    entries: list[Any], recipients: Recipients, columns: Columns | None = None
) -> list[int]:
    """The indices of the entries that may contradict what was sent; the rest cannot.

    The usual answer lists the recipients in the order sent, each with the messageId and
    ``to`` sent together, a ``messageCount`` of 1 or more (if any) and integer status
    numbers: such an entry is settled here, in one comprehension, and only the others get
    the full checks of ``contradictions`` (with its path), which is what keeps a
    100,000-entry answer cheap.
    """
    if len(entries) != len(recipients):
        return list(range(len(entries)))
    if _settled(entries, recipients, columns):
        return []
    return [
        index
        for index, (entry, (sent_id, sent_to)) in enumerate(zip(entries, recipients, strict=True))
        if not _plain(entry, sent_id, sent_to)
    ]


def _plain(entry: Any, sent_id: str, sent_to: str) -> bool:
    """Whether one entry names the messageId and ``to`` sent together and nothing unreadable.

    The test of ``_suspects``: a plain dict with that messageId, that ``to`` (or none), a
    ``messageCount`` of 1 or more (or none), and no float where a whole number is declared
    (a status number, ``smsCount``).
    """
    return (
        type(entry) is dict
        and entry.get("messageId") == sent_id
        # A "+" in front is checked in full: the answer may write numbers so.
        and ((to := entry.get("to")) is None or (to == sent_to and to[:1] != "+"))
        and ((count := entry.get("messageCount")) is None or (type(count) is int and count >= 1))
        and type(entry.get("smsCount")) is not float
        and (
            not isinstance(status := entry.get("status"), dict)
            or not (isinstance(status.get("groupId"), float) or isinstance(status.get("id"), float))
        )
    )


def _single_settled(
    output: dict[str, Any],
    entry: Any,
    reference: dict[str, Any],
    sent: list[str],
    recipients: Recipients,
) -> bool:
    """Whether ``entry``, the one answering a one-recipient send, leaves nothing to report.

    The usual answer to a single message, settled without the column passes and listings
    sized for a bulk: the one messageId sent is the recipient's, the entry is ``_plain``
    for that recipient, and the answer names no other ``bulkId``. Exactly the case where
    the full checks find nothing; anything else (False) goes through them, and they say
    what is wrong.
    """
    sent_id = recipients.ids[0]
    if sent != [sent_id] or not _plain(entry, sent_id, recipients.tos[0]):
        return False
    bulk = output.get("bulkId")
    return bulk is None or "bulkId" not in reference or bulk == reference["bulkId"]


# The types a settled column may hold; anything else goes to the entry-by-entry test.
_WHOLE = {int, type(None)}


#: Entries per block of ``_settled``: one block's entries, statuses and texts stay in the
#: processor's caches through its column passes, where each pass over a whole 100,000-entry
#: answer read every entry from memory again (48 ms against 29 ms in a fresh process).
BLOCK = 1000


def _settled(entries: list[Any], recipients: Recipients, columns: Columns | None = None) -> bool:
    """Whether every entry passes the test of ``_suspects``, asked one column at a time.

    Each column (the entries' messageIds, their ``to``s, statuses...) is read by
    ``Columns`` in C and compared or typed whole, ``BLOCK`` entries at a time: a
    100,000-entry answer costs a few passes in C per block instead of a Python iteration
    per entry. True only when every entry is a plain dict naming its recipient's
    messageId and ``to`` (no "+"), with no ``messageCount`` under 1, no status number that
    is not an integer and no float ``smsCount``; anything unusual answers False, and the
    comprehension of ``_suspects`` then decides entry by entry, as before. When True,
    ``columns`` holds the entries' ``status.groupId`` (the warning about REJECTED messages
    reads it).
    """
    if columns is None:
        columns = Columns(entries)
    ids, tos = recipients.ids, recipients.tos
    if len(columns.entries) != len(ids):
        return False
    if len(ids) <= BLOCK:
        return _settled_block(columns, ids, tos)
    groups = []
    for start in range(0, len(ids), BLOCK):
        end = start + BLOCK
        block = Columns(columns.entries[start:end], columns.fields)
        if not _settled_block(block, ids[start:end], tos[start:end]):
            return False
        groups.append(block.of("status", "groupId"))
    columns.keep(("status", "groupId"), list(chain.from_iterable(groups)))
    return True


def _settled_block(columns: Columns, ids: list[str], tos: list[str]) -> bool:
    """``_settled`` for the entries of ``columns``, sent with ``ids`` and ``tos``."""
    if not columns.dicts():
        return False
    if columns.of("messageId") != ids or columns.of("to") != tos:
        return False
    # A "+" anywhere is rare (numbers go out as digits): those entries get the full test.
    try:
        if "+" in "".join(tos):
            return False
    except TypeError:  # a destination that is not text
        return False
    counts = columns.of("messageCount")
    # Most answers carry no messageCount at all: one count of the Nones, in C, says so.
    if counts.count(None) != len(counts):
        kinds = set(map(type, counts))
        # Types first: in a set, True and 1 are one member.
        if not kinds <= _WHOLE or (int in kinds and min(set(counts) - {None}) < 1):
            return False
    # Send SMS gives smsCount only when asked (includeSmsCountInResponse): mostly all None.
    sms_counts = columns.of("smsCount")
    if sms_counts.count(None) != len(sms_counts) and list(map(type, sms_counts)).count(float):
        return False
    try:
        return _whole(columns.of("status", "groupId")) and _whole(columns.of("status", "id"))
    except TypeError:  # a status that is not a dict
        return False


def _whole(numbers: list[Any]) -> bool:
    """Whether ``numbers`` holds integers and Nones only (booleans pass: they are no floats)."""
    try:
        # The sum of integers is an integer; one float makes it a float; text or None
        # makes it fail. Summing is a C loop, far cheaper than typing each member.
        return type(sum(numbers)) is int
    except TypeError:
        return set(map(type, numbers)) <= _WHOLE


def _digits(to: Any) -> Any:
    # Numbers go out as digits only; an answer may write them with a leading "+".
    return to[1:] if isinstance(to, str) and to.startswith("+") else to
