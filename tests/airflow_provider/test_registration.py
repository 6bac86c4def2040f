"""Airflow finds the provider through its entry point: ``airflow providers list`` shows it,
the ``infobip`` connection type has its hook, form fields and field behaviour, and
``airflow connections test`` calls the balance endpoint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("airflow.sdk")

from infobip_connector.hosts.airflow.connection_form import conn_fields
from infobip_connector.sandbox import SandboxServer

from .conftest import HOME, KEY, airflow_connection

AIRFLOW = Path(sys.executable).with_name("airflow")


def test_the_providers_manager_registers_the_connection_type() -> None:
    from airflow.providers_manager import ProvidersManager
    from airflow.sdk.providers_manager_runtime import ProvidersManagerTaskRuntime

    manager = ProvidersManager()
    assert manager.providers["infobip-connector"].version == "0.1.0"
    hook = ProvidersManagerTaskRuntime().hooks["infobip"]
    assert hook is not None
    assert hook.hook_class_name == "infobip_connector.hosts.airflow.hook.InfobipHook"
    assert hook.connection_id_attribute_name == "infobip_conn_id"
    assert hook.connection_testable
    widgets = manager.connection_form_widgets
    for name, field in conn_fields().items():
        assert widgets[f"extra__infobip__{name}"].field["schema"]["title"] == field["label"]
    behaviour = manager.field_behaviours["infobip"]
    assert behaviour["relabeling"] == {"password": "Token", "host": "Base URL"}


def _airflow(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW_CONN_")}
    environ.update(AIRFLOW_HOME=HOME, **env)
    return subprocess.run(
        [str(AIRFLOW), *args], env=environ, capture_output=True, text=True, timeout=300
    )


def test_airflow_providers_list_shows_the_provider() -> None:
    run = _airflow("providers", "list", "-o", "json")
    assert run.returncode == 0, run.stderr[-2000:]
    listed = {p["package_name"]: p for p in json.loads(run.stdout)}
    assert listed["infobip-connector"]["version"] == "0.1.0"


def test_airflow_connections_test_calls_the_balance(airflow_server: SandboxServer) -> None:
    before = airflow_server.sandbox.request_counts["/account/1/balance"]
    run = _airflow(
        "connections",
        "test",
        "infobip_default",
        AIRFLOW_CONN_INFOBIP_DEFAULT=airflow_connection(airflow_server.url),
        AIRFLOW__CORE__TEST_CONNECTION="Enabled",
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Connection success!" in run.stdout
    assert airflow_server.sandbox.request_counts["/account/1/balance"] == before + 1
    assert KEY not in run.stdout + run.stderr
