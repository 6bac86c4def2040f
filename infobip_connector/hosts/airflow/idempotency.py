"""The idempotency key of a task instance: the same for every try of it, different for any
other task, mapped index or DAG run; and whether a try repeats an earlier one.

``component.execute(..., idempotency_key=K)`` derives the bulk ID and every generated
message ID from ``K`` and the message each names, so a retried task sends the IDs its
first try sent (its inputs rendered alike). No Airflow import: the key is made from the
four fields alone.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

#: The connector takes keys of 1 to 256 printable characters. Airflow's IDs may reach 250
#: characters each, and a run ID given by a person may hold anything.
MAX_KEY_LENGTH = 256


class TaskInstanceIds(Protocol):
    """What identifies a task instance (Airflow's ``RuntimeTaskInstance`` has these)."""

    @property
    def dag_id(self) -> str: ...
    @property
    def task_id(self) -> str: ...
    @property
    def run_id(self) -> str: ...
    @property
    def map_index(self) -> int | None: ...


class TaskTry(Protocol):
    """The try of a task instance (Airflow's ``RuntimeTaskInstance.try_number``, from 1)."""

    @property
    def try_number(self) -> int: ...


def task_key(ti: TaskInstanceIds) -> str:
    """``airflow:<dag_id>/<task_id>/<map_index>/<run_id>`` (map index -1 when not mapped).

    DAG and task IDs cannot hold ``/`` (Airflow allows letters, digits, ``-``, ``.`` and
    ``_``), so with the run ID last, the one field that may, no two task instances share a
    key. A key that would be too long or hold a character the connector refuses is
    replaced by ``airflow:sha256:<hex digest of it>``: still one key per task instance. The
    try number is left out on purpose: it is what differs between retries.
    """
    index = -1 if ti.map_index is None else ti.map_index
    key = f"airflow:{ti.dag_id}/{ti.task_id}/{index}/{ti.run_id}"
    if len(key) <= MAX_KEY_LENGTH and key.isprintable():
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"airflow:sha256:{digest}"


def repeats_earlier_try(ti: TaskTry) -> bool:
    """Whether this try runs again a task instance an earlier try may have sent for.

    Airflow counts tries from 1 and a cleared task goes on counting, so a try number of 2
    or more means an earlier try with the same key ran (``component.execute(...,
    repeated=True)``). A task instance without a usable try number counts as a first try:
    a duplicate rejection then stays the rejection it says it is.
    """
    number = getattr(ti, "try_number", None)
    return type(number) is int and number >= 2
