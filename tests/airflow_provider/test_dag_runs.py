"""Failing DAGs run by ``dag.test()`` with ``retries=3``, as a user runs one (a fresh
process, a throwaway ``AIRFLOW_HOME``; the DAGs are in ``dag_runs/failing_dags.py``):

- an unusable connection (a short key, an extra that is no number) ends the first try for
  good: ``AirflowFailException``, one try, whatever ``retries`` says;
- a send whose outcome is unknown fails with the bulkId and messageIds to check in the log
  and the exception's text, never the key;
- a deferred delivery-report sensor whose message never becomes final ends with the
  sensor's timeout (no scheduler sweeps trigger timeouts under ``dag.test()``), one try;
- a SIGTERM while that sensor waits in its trigger ends the run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("airflow.sdk")

from .conftest import KEY

SCRIPT = Path(__file__).parent / "dag_runs" / "failing_dags.py"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(AIRFLOW_HOME=str(home), AIRFLOW__CORE__LOAD_EXAMPLES="False", INFOBIP_TEST_KEY=KEY)
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, Any]], str]:
    """Each scenario's result line and the whole output of the one process running them."""
    home = tmp_path_factory.mktemp("airflow")
    scenarios = ["bad_key", "bad_extra", "outcome_unknown", "sensor_timeout"]
    run = subprocess.run(
        [sys.executable, str(SCRIPT), *scenarios],
        env=_env(home),
        cwd=home,
        capture_output=True,
        timeout=600,
        text=True,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    results = [json.loads(line[7:]) for line in run.stdout.splitlines() if line[:7] == "RESULT "]
    assert [r["scenario"] for r in results] == scenarios, output[-4000:]
    assert KEY not in output
    return {r["scenario"]: r for r in results}, output


def _section(output: str, dag_id: str) -> str:
    """The output of one scenario's run (its lines name its DAG ID)."""
    return "\n".join(line for line in output.splitlines() if dag_id in line or "Error" in line)


@pytest.mark.parametrize(
    ("scenario", "said"),
    [("bad_key", "password: is too short"), ("bad_extra", "extra.maxAttempts")],
)
def test_an_unusable_connection_fails_the_first_try_for_good(
    runs: tuple[dict[str, dict[str, Any]], str], scenario: str, said: str
) -> None:
    results, output = runs
    assert (results[scenario]["state"], results[scenario]["tries"]) == ("failed", 1)
    assert results[scenario]["accepted"] == []
    assert re.search(rf"AirflowFailException: configuration: .*{re.escape(said)}", output)


def test_an_unknown_outcome_names_the_ids_to_check(
    runs: tuple[dict[str, dict[str, Any]], str],
) -> None:
    results, output = runs
    result = results["outcome_unknown"]
    assert (result["state"], result["tries"]) == ("failed", 1)
    accepted = result["accepted"]
    assert len(accepted) == 2  # Infobip took both; only the answer was lost
    failure = re.search(r"AirflowFailException: outcome_unknown: .*", output)
    assert failure is not None, output[-4000:]
    assert "IDs to check: bulkId=" in failure.group()
    assert all(message_id in failure.group() for message_id in accepted)
    logged = [line for line in output.splitlines() if "Infobip outcome_unknown; IDs" in line]
    assert logged and all(message_id in logged[0] for message_id in accepted)
    assert "hi" not in re.findall(r"messageIds=\[([^\]]*)\]", failure.group())[0].split(", ")


def test_a_deferred_sensor_ends_with_its_timeout(
    runs: tuple[dict[str, dict[str, Any]], str],
) -> None:
    results, output = runs
    assert (results["sensor_timeout"]["state"], results["sensor_timeout"]["tries"]) == (
        "failed",
        1,
    )
    assert re.search(r"AirflowSensorTimeout: Sensor has timed out .*never-final-1", output)


def test_sigterm_ends_a_sensor_waiting_in_its_trigger(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "sigterm_sensor"],
        env=_env(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        seen = []
        for line in process.stdout:  # until the trigger polls, in line under dag.test()
            seen.append(line)
            if "messages final" in line and "InfobipDeliveryReportTrigger" in line:
                break
        else:
            pytest.fail("the trigger never ran: " + "".join(seen[-40:]))
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        rest, _ = process.communicate(timeout=60)
        assert time.monotonic() - started < 60
        assert "AirflowTaskTerminated: SIGTERM while waiting" in rest, rest[-4000:]
        assert process.returncode != 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
