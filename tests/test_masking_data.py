"""Masking the key never corrupts or loses data: IDs, answer fields, JSON names, other tenants.

A key is masked by substring, so it must never look like data: keys under 16 characters are
refused, only JSON values are masked (never names), the IDs the connector sent stay whole,
and an answer is searched for its own connection's key only.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from infobip_connector import (
    ConfigurationError,
    ConnectionSettings,
    OutcomeUnknownError,
    RejectedError,
    component,
)
from infobip_connector.hosts.cli import main
from infobip_connector.redaction import redact, redact_data, register_secret, snippet

from .test_settings_policy import _accept as _echo  # an answer naming each message sent

PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
BASE = "https://xyz.api.infobip.com"


def _sms(bulk_id: str, *message_ids: str) -> dict[str, Any]:
    destinations = [
        {"to": f"4179302672{i}", "messageId": m} for i, m in enumerate(message_ids, start=7)
    ]
    return {"bulkId": bulk_id, "messages": [{"destinations": destinations, "text": "Hi"}]}


def _answer(body: Any, status: int = 200) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, json=body))


@pytest.mark.parametrize("key", ["2041", "bulk", "PENDING", "4179", "sandbox-key", "x" * 15])
def test_keys_short_enough_to_be_data_are_refused(key: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        component.execute("sendSms", _sms("B1", "M1"), {"token": key, "baseUrl": BASE})
    assert info.value.errors[0]["path"] == "token"
    assert "16" in info.value.message


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_ids_that_contain_the_key_come_back_whole_in_an_unknown_outcome(mode: str) -> None:
    key = "order-2041-key-0001"
    values = _sms(f"{key}-bulk", f"{key}-1", f"{key}-2")
    connection = {"token": key, "baseUrl": BASE}
    answer = {"bulkId": f"{key}-bulk", "messages": []}
    with pytest.raises(OutcomeUnknownError) as info:
        if mode == "sync":
            component.execute("sendSms", values, connection, transport=_answer(answer))
        else:
            asyncio.run(
                component.execute_async("sendSms", values, connection, transport=_answer(answer))
            )
    details = info.value.details
    assert details["bulkId"] == f"{key}-bulk"
    assert details["messageIds"] == details["missingMessageIds"] == [f"{key}-1", f"{key}-2"]


def test_ids_that_contain_the_key_come_back_whole_in_an_output() -> None:
    key = "order-2041-key-0002"
    values = _sms(f"{key}-bulk", f"{key}-1")
    output = component.execute(
        "sendSms", values, {"token": key, "baseUrl": BASE}, transport=httpx.MockTransport(_echo)
    )
    assert output["bulkId"] == f"{key}-bulk"
    assert output["messages"][0]["messageId"] == f"{key}-1"


def test_the_key_elsewhere_in_an_answer_is_still_masked() -> None:
    key = "order-2041-key-0003"
    values = _sms("B1", "M1")
    answer = {
        "bulkId": "B1",
        "messages": [
            {"messageId": "M1", "to": "41793026727", "status": {**PENDING, "description": key}}
        ],
    }
    output = component.execute(
        "sendSms", values, {"token": key, "baseUrl": BASE}, transport=_answer(answer)
    )
    assert output["messages"][0]["status"]["description"] == "***"


def test_another_tenants_key_does_not_corrupt_this_tenants_answer() -> None:
    # A key used nowhere else in the tests: settings stay cached, so it stays registered.
    other_key = "OTHER_TENANT_STATUS_0004"
    other = ConnectionSettings(token=SecretStr(other_key), base_url=BASE)
    key = "this-tenant-key-0004"
    status = {**PENDING, "name": other_key, "description": f"echo {key}"}  # the answer is walked
    answer = {
        "bulkId": "B1",
        "messages": [{"messageId": "M1", "to": "41793026727", "status": status}],
    }
    output = component.execute(
        "sendSms", _sms("B1", "M1"), {"token": key, "baseUrl": BASE}, transport=_answer(answer)
    )
    assert output["messages"][0]["status"]["name"] == other_key
    assert output["messages"][0]["status"]["description"] == "echo ***"
    del other


def test_json_names_are_never_masked() -> None:
    register_secret("messageIds-as-a-key")
    details = redact_data({"messageIds-as-a-key": "messageIds-as-a-key"})
    assert details == {"messageIds-as-a-key": "***"}


def test_a_kept_id_keeps_the_key_inside_it_while_other_text_is_masked() -> None:
    register_secret("kept-id-key-000005")
    text = "order kept-id-key-000005-1 and kept-id-key-000005 alone"
    assert redact(text, {"kept-id-key-000005-1"}) == "order kept-id-key-000005-1 and *** alone"


def test_the_cli_sandbox_key_never_masks_a_message_id(
    capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(_sms("sandbox-key", "sandbox-key-7")))
    main(["run", "sendSms", "--input", str(path), "--sandbox", "--compact"])
    output = json.loads(capsys.readouterr().out)
    assert output["bulkId"] == "sandbox-key"
    assert output["messages"][0]["messageId"] == "sandbox-key-7"


def test_a_key_json_escaped_in_an_error_body_is_masked() -> None:
    key = 'Canary"Key-1234-0006'
    escaped = key.replace('"', '\\"')
    body = ('{"requestError":{"serviceException":{"text":"Invalid login ' + escaped + '"').encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(400, content=body))
    with pytest.raises(RejectedError) as info:
        component.execute(
            "sendSms", _sms("B1", "M1"), {"token": key, "baseUrl": BASE}, transport=transport
        )
    shown = json.dumps(info.value.to_dict())
    assert "Key-1234-0006" not in shown and "Key-1234-0006" not in str(info.value)


@pytest.mark.parametrize(
    "spell",
    [
        lambda k: k.replace('"', '\\"'),
        lambda k: k.replace("/", "\\/"),
        lambda k: "".join(f"\\u{ord(c):04x}" for c in k),
    ],
)
def test_escaped_spellings_are_masked_in_snippets(spell: Any) -> None:
    key = 'esc"aped/key-0007-x'
    settings = ConnectionSettings(token=SecretStr(key), base_url=BASE)
    shown = snippet("text " + spell(key) + " more", 200)
    assert shown == "text *** more"
    del settings
