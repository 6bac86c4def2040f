"""The README's first command: the five-step workflow against the sandbox, outputs printed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import jsonschema

from infobip_connector import component
from infobip_connector.hosts.demo import REPLY_TEXT, REPLY_TO, readable, resolve, run_demo

from .conftest import ROOT


def test_demo_sends_the_template_to_the_recipients_reported_delivered() -> None:
    out = io.StringIO()
    outputs = run_demo(as_json=True, out=out)
    assert json.loads(out.getvalue()) == outputs
    sms, preview, reports, whatsapp = (
        outputs[step] for step in ("announce", "preview", "reports", "follow_up")
    )
    assert len(sms["messages"]) == 3
    assert all(
        m["status"]["name"] == "PENDING_ACCEPTED" and m["smsCount"] == 1 for m in sms["messages"]
    )
    # The transliterated preview is plain GSM-7 text: the SMS failover the template carries.
    assert preview["previews"][1]["textPreview"].startswith("Posiljka #1042")
    # Reports of step 1's bulk: the two sent at once were delivered; the scheduled one waits.
    assert {r["bulkId"] for r in reports["results"]} == {sms["bulkId"]}
    delivered = [r["to"] for r in reports["results"] if r["status"]["groupName"] == "DELIVERED"]
    assert sorted(delivered) == ["41793026727", "41793026728"]
    assert [m["to"] for m in whatsapp["messages"]] == delivered
    assert {m["status"]["name"] for m in whatsapp["messages"]} == {"PENDING_ENROUTE"}


def test_demo_ends_with_the_event_a_reply_starts_the_next_workflow_with() -> None:
    outputs = run_demo(as_json=True, out=io.StringIO())
    reply = outputs["reply"]
    jsonschema.validate(reply, component.event_schema("newInboundSms"))
    assert reply["from"] == outputs["follow_up"]["messages"][0]["to"]
    assert (reply["to"], reply["text"]) == (REPLY_TO, REPLY_TEXT)


def test_demo_command_prints_every_step() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOBIP_")}
    result = subprocess.run(
        [sys.executable, "-m", "infobip_connector", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    for step in ("1: announce", "2: preview", "3: reports", "4: follow_up", "5: reply"):
        assert f"Step {step}" in result.stdout
    assert f'"text": "{REPLY_TEXT}"' in result.stdout
    assert "PENDING_ACCEPTED" in result.stdout and "PENDING_ENROUTE" in result.stdout
    assert "sms=" in result.stdout  # the callback data resolved per delivered report


def test_references_resolve_from_earlier_outputs() -> None:
    outputs = {"a": {"bulkId": "B", "messages": [{"to": "41"}]}}
    assert resolve({"x": "{{a.messages[0].to}}", "y": ["bulk={{ a.bulkId }}"]}, outputs) == {
        "x": "41",
        "y": ["bulk=B"],
    }


def test_for_each_builds_one_item_per_matching_entry() -> None:
    outputs = {
        "r": {
            "results": [
                {"to": "41", "status": {"groupName": "DELIVERED"}},
                {"to": "42", "status": {"groupName": "UNDELIVERABLE"}},
                {"to": "43", "status": {"groupName": "DELIVERED"}},
            ]
        },
        "s": {"bulkId": "B"},
    }
    template = {
        "forEach": "r.results",
        "where": {"status.groupName": "DELIVERED"},
        "item": {"to": "{{item.to}}", "note": "bulk={{s.bulkId}}"},
    }
    assert resolve({"messages": template}, outputs) == {
        "messages": [{"to": "41", "note": "bulk=B"}, {"to": "43", "note": "bulk=B"}]
    }


def test_readable_keeps_short_values_on_one_line() -> None:
    text = readable({"days": ["MONDAY", "FRIDAY"], "long": ["x" * 50, "y" * 50]})
    assert '"days": ["MONDAY", "FRIDAY"]' in text
    assert json.loads(text) == {"days": ["MONDAY", "FRIDAY"], "long": ["x" * 50, "y" * 50]}
