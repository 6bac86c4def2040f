"""Count what the sandbox sent for a run of the Celery end-to-end DAG: exactly one message per
expected messageId, none missing, none twice, none unexpected.

Usage: ``python check.py SANDBOX_URL RUN_ID`` with the sandbox's key in ``E2E_SANDBOX_KEY``
and the task count in ``E2E_MESSAGES``. Prints a summary; exits 1 when a count is wrong.

The expected messageIds are not read from Airflow: each is what the connector derives from
the task instance's idempotency key (``task_key``), computed here by running the same input
with the same key against an in-process sandbox. The sandbox server's ``GET /sms/3/logs``
lists every message it was given: those it sent, and those it refused (a repeated messageId
under idempotent sending is ``REJECTED_DUPLICATE_MESSAGE_ID``, not sent again).
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from collections import Counter
from dataclasses import dataclass
from typing import Any

from e2e_messages import DAG_ID, TASK_ID, inputs, message_count

from infobip_connector import component
from infobip_connector.hosts.airflow.idempotency import task_key
from infobip_connector.sandbox import Sandbox


@dataclass(frozen=True)
class _TaskInstance:
    """The four fields ``task_key`` reads, for a mapped send task of the DAG."""

    dag_id: str
    task_id: str
    run_id: str
    map_index: int | None


def expected_ids(run_id: str, count: int) -> dict[str, int]:
    """messageId -> map index, for the ``count`` mapped tasks of ``run_id``."""
    sandbox = Sandbox()
    connection = {"token": "sandbox-key-for-local-tests"}
    expected: dict[str, int] = {}
    for index in range(count):
        key = task_key(_TaskInstance(DAG_ID, TASK_ID, run_id, index))
        output = component.execute(
            "sendSms", inputs(index), connection, transport=sandbox.transport(), idempotency_key=key
        )
        for message in output["messages"]:
            expected[message["messageId"]] = index
    return expected


def sent_messages(url: str, key: str) -> list[dict[str, Any]]:
    """Every log entry of the sandbox server, all pages of ``GET /sms/3/logs``."""
    entries: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = "useCursor=true&limit=1000" + (f"&cursor={cursor}" if cursor else "")
        request = urllib.request.Request(
            f"{url}/sms/3/logs?{query}", headers={"Authorization": f"App {key}"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = json.load(answer)
        entries.extend(body.get("results", []))
        cursor = body.get("cursor", {}).get("nextCursor")
        if not cursor:
            return entries


def _statuses(entries: list[dict[str, Any]]) -> str:
    """``(NAME count, ...)`` of the entries' statuses; empty for none."""
    names = Counter(str(e.get("status", {}).get("name")) for e in entries)
    return "(" + ", ".join(f"{n} {c}" for n, c in sorted(names.items())) + ")" if names else ""


def main(argv: list[str]) -> int:
    """Print the counts; 0 when every expected message was sent exactly once, else 1."""
    url, run_id = argv
    count = message_count()
    expected = expected_ids(run_id, count)
    entries = sent_messages(url, os.environ["E2E_SANDBOX_KEY"])
    refused = [e for e in entries if e.get("status", {}).get("groupName") == "REJECTED"]
    sent = Counter(e["messageId"] for e in entries if e not in refused)
    missing = sorted(expected[m] for m in expected if sent[m] == 0)
    twice = sorted(expected[m] for m in expected if sent[m] > 1)
    unexpected = sorted(m for m in sent if m not in expected)
    print(f"expected messages:           {len(expected)} ({count} mapped tasks)")
    print(f"sent by the sandbox:         {sum(sent.values())} ({len(sent)} distinct messageIds)")
    print(f"refused by the sandbox:      {len(refused)} {_statuses(refused)}")
    print(f"missing (map indexes):       {len(missing)} {missing[:20] if missing else ''}")
    print(f"sent twice (map indexes):    {len(twice)} {twice[:20] if twice else ''}")
    print(f"unexpected messageIds:       {len(unexpected)} {unexpected[:5] if unexpected else ''}")
    ok = len(expected) == count and not missing and not twice and not unexpected
    print("exactly once:                " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
