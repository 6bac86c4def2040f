"""The CLI's stderr summary of REJECTED statuses: sends only, counted and named per message."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from infobip_connector.sandbox import Sandbox, SandboxServer

from .test_e2e import KEY, cli

SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}


def _in_ten_days() -> str:
    return (datetime.now() + timedelta(days=10)).strftime("%Y-%m-%dT09:30:00")


def _send(server: SandboxServer, *ids: str) -> str:
    values = {
        "messages": [
            {
                "destinations": [
                    {"to": f"4179302672{n}", "messageId": message_id}
                    for n, message_id in enumerate(ids)
                ],
                "text": "x",
            }
        ]
    }
    result = cli(server.url, "run", "sendSms", "--input", "-", stdin=values)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_a_send_counts_its_messages_and_names_each_recipient(
    server: SandboxServer, sandbox: Sandbox
) -> None:
    sandbox.set_idempotent_sending(True)  # a repeated messageId is then rejected
    _send(server, "first-id")
    stderr = _send(server, "first-id", "fresh-id")
    assert "rejected 1 of 2 message(s)" in stderr
    assert "first-id to 41793026720: REJECTED_DUPLICATE_MESSAGE_ID" in stderr
    assert "fresh-id" not in stderr


def test_reads_and_consumes_of_rejected_messages_do_not_warn(
    server: SandboxServer, sandbox: Sandbox
) -> None:
    scheduled = {
        "bulkId": "bulk-canceled",
        "messages": [
            {
                "destinations": [{"to": "41793026727"}, {"to": "41793026728"}],
                "text": "x",
                "sendAt": {"dateTime": _in_ten_days(), "zoneId": "Europe/Zagreb"},
            }
        ],
    }
    cancel = {"bulkId": "bulk-canceled", "status": "CANCELED"}
    for action, values in (("sendSms", scheduled), ("updateScheduledSmsStatus", cancel)):
        assert cli(server.url, "run", action, "--input", "-", stdin=values).returncode == 0
    logs = cli(server.url, "run", "getSmsLogs", "--input", "-", stdin={"bulkId": ["bulk-canceled"]})
    assert logs.returncode == 0, logs.stderr
    statuses = {entry["status"]["groupName"] for entry in json.loads(logs.stdout)["results"]}
    assert statuses == {"REJECTED"}
    assert "rejected" not in logs.stderr


def test_the_summary_cuts_infobip_texts(capsys: pytest.CaptureFixture[str]) -> None:
    from infobip_connector.hosts.cli import _summarise_rejections

    status = {"groupId": 5, "name": "N" * 5000, "description": "D" * 5000}
    entry = {"messageId": "M" * 5000, "to": "4" * 5000, "status": status}
    _summarise_rejections("send", {"messages": [entry]}, "Infobip")
    (_, line) = capsys.readouterr().err.splitlines()
    assert len(line) < 400 and "NNN" in line and "DDD" in line
