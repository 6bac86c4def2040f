"""The sandbox's trial-account rejection, reached through the connector as a workflow would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.sandbox import Sandbox, SandboxServer

from .conftest import ROOT

KEY = "trial-key-5d2e-6f7a8b9c"
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}
# NANPA reserves 555-0100 to 555-0199 for fictional use in every area code; the numbers are
# valid for libphonenumber, so the connector sends them.
RESERVED = ["+1 202 555 0143", "+1 (312) 555-0100", "14155550199"]


@pytest.mark.parametrize("number", RESERVED)
def test_a_valid_reserved_number_reaches_the_rejected_branch(number: str) -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    values = {
        "messages": [{"destinations": [{"to": number}, {"to": "+41 79 302 67 27"}], "text": "x"}]
    }
    component.validate_input("sendSms", values)  # the connector lets it through
    output = component.execute("sendSms", values, {"token": KEY}, transport=sandbox.transport())
    rejected, accepted = output["messages"]
    assert rejected["status"]["groupName"] == "REJECTED"
    assert rejected["status"]["name"] == "REJECTED_DESTINATION_NOT_REGISTERED"
    assert accepted["status"]["groupName"] == "PENDING"
    assert {m.to for m in sandbox.accepted_messages} == {"41793026727"}


def test_whatsapp_to_a_reserved_number_is_rejected_too() -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    values: dict[str, Any] = {
        "from": "441134960000",
        "to": RESERVED[0],
        "content": {"text": "Hello"},
    }
    output = component.execute(
        "sendWhatsappTextMessage", values, {"token": KEY}, transport=sandbox.transport()
    )
    assert output["status"]["name"] == "REJECTED_DESTINATION_NOT_REGISTERED"


def test_the_rejection_through_the_cli_and_the_served_sandbox(server: SandboxServer) -> None:
    values = {
        "messages": [{"destinations": [{"to": RESERVED[0]}, {"to": "41793026727"}], "text": "x"}]
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOBIP_")}
    env.update(INFOBIP_API_KEY=KEY, INFOBIP_BASE_URL=server.url, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "infobip_connector", "run", "sendSms", "--input", "-"],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    statuses = [m["status"]["name"] for m in json.loads(result.stdout)["messages"]]
    assert statuses == ["REJECTED_DESTINATION_NOT_REGISTERED", "PENDING_ACCEPTED"]
    assert "rejected 1 of 2 message(s)" in result.stderr
