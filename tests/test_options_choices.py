"""``component.options`` offers only choices the input rules accept, and says when it cut
the list: an answer naming a template ``""``, ``"a\\nb"``, 5,000 characters long or with a
bidi override must not become a dropdown entry that the run then refuses."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.hosts import cli
from infobip_connector.runtime.choices import MAX_OPTIONS
from infobip_connector.sandbox import Fault, Sandbox

KEY = "options-choices-key-5b7e"
SENDER = "447860099299"
ACTION = "sendWhatsappTemplateMessage"
NAME = "messages[].content.templateName"
LANGUAGE = "messages[].content.language"
TEMPLATES = f"/whatsapp/2/senders/{SENDER}/templates"


def template(name: str, language: str = "en") -> dict[str, str]:
    return {"name": name, "language": language, "status": "APPROVED", "category": "UTILITY"}


def sandbox_with(templates: list[dict[str, Any]]) -> Sandbox:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.script("GET", TEMPLATES, Fault(status=200, body={"templates": templates}))
    return sandbox


def options(sandbox: Sandbox, prop: str, content: dict[str, str] | None = None) -> Any:
    values = {"messages": [{"from": SENDER, "content": content or {}}]}
    return component.options(ACTION, prop, values, {"token": KEY}, transport=sandbox.transport())


BAD_NAMES = ["", "   ", "a\nb", "x" * 5000, "\u202eevil", "tab\there", "nul\x00"]


def test_names_the_input_rules_refuse_are_left_out_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="infobip_connector.options")
    sandbox = sandbox_with([template(n) for n in BAD_NAMES] + [template("order_update")])
    got = options(sandbox, NAME)
    assert [o["value"] for o in got] == ["order_update"]
    assert got.dropped == len(BAD_NAMES) and not got.truncated
    assert f"{len(BAD_NAMES)} choice(s)" in caplog.text and "messages[0]" in caplog.text


def test_every_offered_name_passes_validation() -> None:
    names = [*BAD_NAMES, "ok", "order_update", "caf\u00e9_menu"]
    got = options(sandbox_with([template(n) for n in names]), NAME)
    assert got
    for option in got:
        message = {"from": SENDER, "to": "41793026727"}
        message["content"] = {"templateName": option["value"], "language": "en"}  # type: ignore[assignment]
        component.validate_input(ACTION, {"messages": [message]})


def test_a_label_with_bad_characters_is_replaced_by_its_value() -> None:
    # The name is fine; its languages as Infobip gave them would put a line break and a
    # bidi override into the label.
    got = options(sandbox_with([template("ok", "e\nn"), template("ok", "\u202een")]), NAME)
    assert got == [{"value": "ok", "label": "ok"}]


def test_languages_the_input_rules_refuse_are_left_out() -> None:
    sandbox = sandbox_with([template("ok", "e\nn"), template("ok", ""), template("ok", "de")])
    got = options(sandbox, LANGUAGE, {"templateName": "ok"})
    assert got == [{"value": "de", "label": "de"}] and got.dropped == 2


def test_a_cut_list_says_it_was_cut(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="infobip_connector.options")
    sandbox = sandbox_with([template(f"t{i}") for i in range(MAX_OPTIONS + 500)])
    got = options(sandbox, NAME)
    assert len(got) == MAX_OPTIONS and got.truncated and got.dropped == 0
    assert f"first {MAX_OPTIONS}" in caplog.text
    whole = options(sandbox_with([template(f"t{i}") for i in range(MAX_OPTIONS)]), NAME)
    assert len(whole) == MAX_OPTIONS and not whole.truncated and whole.notes() == []


def test_the_cli_warns_on_stderr_when_the_list_is_cut(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    sandbox = sandbox_with([template(f"t{i}") for i in range(MAX_OPTIONS + 1)] + [template("")])
    monkeypatch.setattr(cli, "_connection", lambda args: ({"token": KEY}, sandbox.transport()))
    given = tmp_path / "input.json"
    given.write_text(json.dumps({"messages": [{"from": SENDER}]}))
    cli.main(["options", ACTION, NAME, "--input", str(given)])
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == MAX_OPTIONS
    assert f"warning: only the first {MAX_OPTIONS} choices" in err
    assert "warning: 1 choice(s) from Infobip left out" in err
