"""Airflow for the provider's tests: a throwaway ``AIRFLOW_HOME`` (set before anything imports
Airflow, so no developer's Airflow is touched) and a sandbox server the ``infobip_default``
connection points at, given as ``AIRFLOW_CONN_INFOBIP_DEFAULT`` as a deployment would."""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from infobip_connector import close_pooled_clients
from infobip_connector.sandbox import Sandbox, SandboxServer

HOME = tempfile.mkdtemp(prefix="infobip-airflow-home-")
atexit.register(shutil.rmtree, HOME, True)
os.environ["AIRFLOW_HOME"] = HOME
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"

#: The sandbox's only accepted key: long and random, so finding it anywhere is a leak.
KEY = "airflow-canary-" + secrets.token_hex(16)


def airflow_connection(url: str, key: str = KEY, **extra: Any) -> str:
    """An ``AIRFLOW_CONN_...`` value (Airflow's JSON form) for the sandbox at ``url``."""
    return json.dumps({"conn_type": "infobip", "host": url, "password": key, "extra": extra})


@pytest.fixture(scope="module")
def airflow_server() -> Iterator[SandboxServer]:
    with SandboxServer(Sandbox(KEY)) as running:
        yield running
    close_pooled_clients()


@pytest.fixture()
def account(airflow_server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """The sandbox behind ``infobip_default``, its record and faults cleared for each test."""
    airflow_server.sandbox.reset()
    monkeypatch.setenv("AIRFLOW_CONN_INFOBIP_DEFAULT", airflow_connection(airflow_server.url))
    return airflow_server.sandbox


def task_context(run_id: str = "manual__2026-11-30T12:00:00+00:00", **fields: Any) -> Any:
    """The part of a task's context the provider reads: the task instance's IDs."""
    ti = SimpleNamespace(dag_id="dag", task_id="task", run_id=run_id, map_index=-1, **fields)
    return {"ti": ti, "run_id": run_id, "ds": "2026-11-30"}


SMS = {"messages": [{"destinations": [{"to": "+41 79 302 67 27"}], "text": "Hello"}]}
