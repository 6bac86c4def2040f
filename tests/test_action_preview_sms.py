"""previewSms: ``POST /sms/1/preview``, a read (retried after an ambiguous failure)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infobip_connector import UnreachableError, component
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .action_support import CONNECTION, KEY, fast_retries, matches_output, refused_at, run
from .sandbox_support import SLICES, conforms
from .test_e2e import cli

PATH = "/sms/1/preview"
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}


def test_the_request_is_the_text_and_the_configuration_asked_for(account: Sandbox) -> None:
    values = {"text": "Ğ" * 98, "languageCode": "TR", "transliteration": ""}
    output, exchange = run("previewSms", values, account)
    assert (exchange.method, exchange.path, exchange.query) == ("POST", PATH, [])
    assert exchange.body == {"text": "Ğ" * 98, "languageCode": "TR"}
    conforms("sms_preview_request.json", exchange.body)
    conforms("sms_preview_response.json", exchange.answer)
    matches_output("previewSms", output)
    plain, turkish = output["previews"]
    assert (plain["messageCount"], turkish["messageCount"]) == (2, 1)
    assert turkish["configuration"] == {"language": {"languageCode": "TR"}}


def test_every_transliteration_infobip_publishes_is_offered() -> None:
    published = json.loads((SLICES / "sms_preview_request.json").read_text("utf-8"))["properties"][
        "transliteration"
    ]["pattern"]
    offered = component.input_schema("previewSms")["properties"]["transliteration"]["enum"]
    assert published == "^(" + "|".join(offered) + ")$"


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "Hi", "languageCode": "DE"}, "languageCode"),
        ({"text": "Hi", "transliteration": "KLINGON"}, "transliteration"),
    ],
)
def test_bad_values_are_named_and_nothing_is_sent(
    account: Sandbox, values: dict[str, Any], path: str
) -> None:
    assert refused_at("previewSms", values, account) == [path]


def test_a_503_is_retried_as_a_read(account: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    fast_retries(monkeypatch)
    account.script("POST", PATH, Fault(status=503), Fault(drop="before_response"))
    output = component.execute(
        "previewSms", {"text": "Hi"}, CONNECTION, transport=account.transport()
    )
    assert output["previews"][0]["messageCount"] == 1
    assert len(account.requests) == 3


def test_a_read_that_keeps_failing_ends_unreachable_and_safe_to_repeat(
    account: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_retries(monkeypatch)
    account.script("POST", PATH, *[Fault(status=503)] * 3)
    with pytest.raises(UnreachableError) as caught:
        component.execute("previewSms", {"text": "Hi"}, CONNECTION, transport=account.transport())
    assert "safe to repeat" in caught.value.message
    assert len(account.requests) == 3


def test_cli_previews_over_a_socket(server: SandboxServer) -> None:
    server.sandbox.reset()
    result = cli(server.url, "run", "previewSms", "--input", "-", key=KEY, stdin={"text": "Hi"})
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["originalText"] == "Hi"
    assert output["previews"] == [
        {"textPreview": "Hi", "messageCount": 1, "charactersRemaining": 158}
    ]
    assert KEY not in result.stdout + result.stderr
