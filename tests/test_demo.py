"""The README's first command: both actions against the embedded sandbox, outputs printed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from infobip_connector.hosts.demo import readable, resolve, run_demo

from .conftest import ROOT


def test_demo_chains_the_sms_output_into_the_whatsapp_step() -> None:
    out = io.StringIO()
    outputs = run_demo(as_json=True, out=out)
    assert json.loads(out.getvalue()) == outputs
    sms, whatsapp = outputs["announce"], outputs["follow_up"]
    assert len(sms["messages"]) == 3
    assert all(
        m["status"]["name"] == "PENDING_ACCEPTED" and m["smsCount"] == 1 for m in sms["messages"]
    )
    assert whatsapp["to"] == sms["messages"][0]["to"] == "41793026727"
    assert whatsapp["status"]["name"] == "PENDING_ENROUTE"


def test_demo_command_prints_both_steps() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOBIP_")}
    result = subprocess.run(
        [sys.executable, "-m", "infobip_connector", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    assert "Step 1: announce" in result.stdout and "Step 2: follow_up" in result.stdout
    assert "PENDING_ACCEPTED" in result.stdout and "PENDING_ENROUTE" in result.stdout
    assert "bulk=" in result.stdout  # the callback data resolved from step one


def test_references_resolve_from_earlier_outputs() -> None:
    outputs = {"a": {"bulkId": "B", "messages": [{"to": "41"}]}}
    assert resolve({"x": "{{a.messages[0].to}}", "y": ["bulk={{ a.bulkId }}"]}, outputs) == {
        "x": "41",
        "y": ["bulk=B"],
    }


def test_readable_keeps_short_values_on_one_line() -> None:
    text = readable({"days": ["MONDAY", "FRIDAY"], "long": ["x" * 50, "y" * 50]})
    assert '"days": ["MONDAY", "FRIDAY"]' in text
    assert json.loads(text) == {"days": ["MONDAY", "FRIDAY"], "long": ["x" * 50, "y" * 50]}
