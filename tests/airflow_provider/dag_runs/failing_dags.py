"""DAGs that fail, each run by ``dag.test()`` as a user runs one: a script, run in a fresh
process with a throwaway ``AIRFLOW_HOME`` by ``test_dag_runs.py``.

``python failing_dags.py SCENARIO [SCENARIO ...]`` runs each scenario's DAG (``retries=3``)
against a sandbox server of this process and prints one JSON line per scenario:
``{"scenario", "state", "tries"}`` (the task's state and try number from Airflow's
database). ``sigterm_sensor`` prints ``waiting`` and then waits for a SIGTERM.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import DAG

from infobip_connector.hosts.airflow.operators import InfobipSendSmsOperator
from infobip_connector.hosts.airflow.sensor import InfobipDeliveryReportSensor

#: The sandbox's key, given by the test: finding it in the output is a leak.
KEY = os.environ.get("INFOBIP_TEST_KEY", "dag-runs-canary-0123456789abcdef")
SEND_PATH = "/sms/2/text/advanced"
SMS = {
    "messages": [
        {"destinations": [{"to": "+41 79 302 67 27"}, {"to": "+41 79 302 67 28"}], "text": "hi"}
    ]
}
RETRIES = {"retries": 3, "retry_delay": timedelta(seconds=1)}


def _dag(name: str) -> DAG:
    return DAG(name, schedule=None, start_date=datetime(2026, 1, 1), default_args=RETRIES)


with _dag("bad_key") as bad_key:
    InfobipSendSmsOperator(task_id="t", inputs=SMS)
with _dag("bad_extra") as bad_extra:
    InfobipSendSmsOperator(task_id="t", inputs=SMS)
with _dag("outcome_unknown") as outcome_unknown:
    InfobipSendSmsOperator(task_id="t", inputs=SMS)
with _dag("sensor_timeout") as sensor_timeout:
    InfobipDeliveryReportSensor(
        task_id="t", message_ids=["never-final-1"], poke_interval=1, timeout=3, deferrable=True
    )
with _dag("sigterm_sensor") as sigterm_sensor:
    InfobipDeliveryReportSensor(
        task_id="t", message_ids=["never-final-2"], poke_interval=1, timeout=600, deferrable=True
    )

DAGS = {d.dag_id: d for d in (bad_key, bad_extra, outcome_unknown, sensor_timeout, sigterm_sensor)}


def _connect(url: str, key: str = KEY, **extra: object) -> None:
    os.environ["AIRFLOW_CONN_INFOBIP_DEFAULT"] = json.dumps(
        {"conn_type": "infobip", "host": url, "password": key, "extra": extra}
    )


def main(scenarios: list[str]) -> None:
    from airflow.configuration import conf
    from airflow.utils import db

    from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

    bundle = {
        "name": "failing-dags",
        "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
        "kwargs": {"path": str(Path(__file__).resolve().parent)},
    }
    conf.set("dag_processor", "dag_bundle_config_list", json.dumps([bundle]))
    db.upgradedb()
    with SandboxServer(Sandbox(KEY)) as server:
        for name in scenarios:
            server.sandbox.reset()
            _connect(server.url)
            if name == "bad_key":
                _connect(server.url, key="short")
            elif name == "bad_extra":
                _connect(server.url, maxAttempts="lots")
            elif name == "outcome_unknown":
                server.sandbox.script(
                    "POST", SEND_PATH, Fault(process=True, drop="before_response")
                )
            elif name == "sigterm_sensor":
                print("waiting", flush=True)
            DAGS[name].test()
            home = Path(os.environ["AIRFLOW_HOME"])
            with sqlite3.connect(home / "airflow.db") as database:
                state, tries = database.execute(
                    "SELECT state, try_number FROM task_instance WHERE dag_id = ?", (name,)
                ).fetchone()
            accepted = sorted(m.message_id for m in server.sandbox.accepted_messages)
            line = {"scenario": name, "state": state, "tries": tries, "accepted": accepted}
            print("RESULT " + json.dumps(line), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
