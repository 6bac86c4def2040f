"""The sandbox emulates both settings of Infobip's idempotent message sending."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from infobip_connector.hosts.cli import main
from infobip_connector.sandbox import Sandbox

from .sandbox_support import KEY, START, Clock

SMS = "/sms/2/text/advanced"
WA = "/whatsapp/1/message/text"
HOUR = 3600.0


def _sms(client: httpx.Client, message_id: str, to: str = "41793026727") -> dict[str, Any]:
    body = {"messages": [{"text": "x", "destinations": [{"to": to, "messageId": message_id}]}]}
    status: dict[str, Any] = client.post(SMS, json=body).json()["messages"][0]["status"]
    return status


def _client(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.infobip.com",
        headers={"Authorization": f"App {KEY}"},
    )


def test_off_a_repeated_message_id_is_sent_again() -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    assert sandbox.idempotent_sending is False
    with _client(sandbox) as client:
        assert _sms(client, "again")["groupName"] == "PENDING"
        assert _sms(client, "again")["groupName"] == "PENDING"
        wa = {"from": "441134960000", "to": "441134960001", "messageId": "again"}
        answer = client.post(WA, json={**wa, "content": {"text": "Hi"}}).json()
        assert answer["status"]["groupName"] == "PENDING"
    assert [m.message_id for m in sandbox.accepted_messages] == ["again"] * 3


def test_on_a_repeat_within_the_grace_period_is_rejected_then_sent_after_it() -> None:
    clock = Clock()
    sandbox = Sandbox(
        KEY, deliver_reports=False, clock=clock, idempotent_sending=True, grace_period=HOUR
    )
    with _client(sandbox) as client:
        assert _sms(client, "once")["groupName"] == "PENDING"
        clock.now = START + HOUR - 1
        rejected = _sms(client, "once")
        assert (rejected["groupId"], rejected["id"]) == (5, 23)
        assert rejected["name"] == "REJECTED_DUPLICATE_MESSAGE_ID"
        clock.now = START + HOUR
        assert _sms(client, "once")["groupName"] == "PENDING"
    assert [m.message_id for m in sandbox.accepted_messages] == ["once"] * 2


def test_the_setting_can_change_and_reset_restores_it() -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    sandbox.set_idempotent_sending(True, grace_period=60)
    with _client(sandbox) as client:
        _sms(client, "a")
        assert _sms(client, "a")["name"] == "REJECTED_DUPLICATE_MESSAGE_ID"
    sandbox.reset()
    assert sandbox.idempotent_sending is False


@pytest.mark.parametrize(
    ("enabled", "grace", "error"),
    [("yes", 60, TypeError), (True, 0, ValueError), (True, float("nan"), ValueError)],
)
def test_bad_settings_are_refused(enabled: Any, grace: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        Sandbox(KEY).set_idempotent_sending(enabled, grace)


def test_cli_grace_period_needs_idempotent_sending(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["sandbox", "--port", "0", "--grace-period", "60"])
    assert exit_.value.code == 2
    error = json.loads(capsys.readouterr().err.strip().splitlines()[-1])["error"]
    assert error["details"]["errors"][0]["path"] == "--grace-period"


def test_cli_flags_reach_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run_server(*args: Any, **kwargs: Any) -> None:
        seen.update(kwargs)

    monkeypatch.setattr("infobip_connector.sandbox.run_server", fake_run_server)
    main(["sandbox", "--port", "0", "--idempotent-sending", "--grace-period", "90"])
    assert (seen["idempotent_sending"], seen["grace_period"]) == (True, 90.0)
