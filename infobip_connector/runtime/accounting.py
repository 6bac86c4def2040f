"""Every message accounted for: each messageId sent is in the output, or the outcome is unknown.

Infobip answers a send with one entry per destination, each naming the messageId the
connector assigned. An answer that leaves one out (``{"messages": []}`` for two
destinations), repeats one, or names one that was never sent does not say what happened to
the messages, so it is not a success: the execution fails with ``OutcomeUnknownError``
naming the IDs sent, those missing, duplicated or unexpected, and the entries that did come
back, so that an operator can reconcile them without resending blindly.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..outcome import unknown


def sent_ids(reference: dict[str, Any]) -> list[str]:
    """The messageIds a request carried: ``messageIds`` (a bulk) or ``messageId`` (one)."""
    if "messageIds" in reference:
        return list(reference["messageIds"])
    if "messageId" in reference:
        return [reference["messageId"]]
    return []


def returned_entries(output: dict[str, Any]) -> list[Any]:
    """The per-message entries of an output: its ``messages`` list, or the output itself."""
    messages = output.get("messages")
    return messages if isinstance(messages, list) else [output]


def check_accounted(output: dict[str, Any], reference: dict[str, Any]) -> None:
    """Raise ``OutcomeUnknownError`` unless the output names each sent messageId exactly once."""
    sent = sent_ids(reference)
    if not sent:
        return
    entries = returned_entries(output)
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
