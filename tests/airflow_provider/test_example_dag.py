"""The example DAG of examples/, run as the README says (``python examples/...``): an SMS
bulk, the wait for its delivery, a WhatsApp template to the delivered, by ``dag.test()`` on
SQLite against the sandbox. Afterwards the key is nowhere: not in the output or the task
logs, and not in the database holding the rendered templates and the XComs."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("airflow.sdk")

from ..conftest import ROOT

EXAMPLE = ROOT / "examples" / "airflow_sms_then_whatsapp.py"
#: The example's sandbox key: "sandbox-" and 32 random hex digits.
EXAMPLE_KEY = re.compile(rb"sandbox-[0-9a-f]{32}")


def test_the_example_dag_sends_waits_and_follows_up(tmp_path: Path) -> None:
    home = tmp_path / "airflow"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(AIRFLOW_HOME=str(home), AIRFLOW__CORE__LOAD_EXAMPLES="False")
    run = subprocess.run(
        [sys.executable, str(EXAMPLE)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=900,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:].decode(errors="replace")
    assert re.search(rb"DAG run \S+: success", run.stdout)

    with sqlite3.connect(home / "airflow.db") as db:
        states = dict(db.execute("SELECT task_id, state FROM task_instance").fetchall())
        xcoms = dict(db.execute("SELECT task_id, value FROM xcom WHERE key = 'return_value'"))
        rendered = db.execute("SELECT count(*) FROM rendered_task_instance_fields").fetchone()
    assert states == {
        "send_sms": "success",
        "wait_for_delivery": "success",
        "follow_up_inputs": "success",
        "send_whatsapp": "success",
    }
    sms = json.loads(xcoms["send_sms"])
    delivery = json.loads(xcoms["wait_for_delivery"])
    whatsapp = json.loads(xcoms["send_whatsapp"])
    assert [e["messageId"] for e in delivery["results"]] == [
        m["messageId"] for m in sms["messages"]
    ]
    assert {e["status"]["groupName"] for e in delivery["results"]} == {"DELIVERED"}
    assert sorted(m["to"] for m in whatsapp["messages"]) == ["385911234567", "41793026727"]
    assert rendered[0] >= 3  # the templated fields were rendered and kept

    # The key the example gives its connection, which the scan below looks for.
    assert b'"sandbox-" + secrets.token_hex(16)' in EXAMPLE.read_bytes()
    assert not EXAMPLE_KEY.search(output), "the key is in the run's output"
    for path in home.rglob("*"):
        if path.is_file():
            assert not EXAMPLE_KEY.search(path.read_bytes()), f"the key is in {path}"
