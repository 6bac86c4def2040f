"""``--compact`` means the same on every command that prints JSON, and help that names
actions or triggers lists every one of the definition's."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from infobip_connector import component
from infobip_connector.hosts.cli import build_parser, main

# Commands that print JSON on stdout: documents, outputs, events or JSON-RPC answers.
JSON_COMMANDS = [
    "definition",
    "schema",
    "run",
    "options",
    "check",
    "demo",
    "listen",
    "poll",
    "serve",
]
TEMPLATE_INPUT = {"messages": [{"from": "447860099299"}]}


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(list(argv))
    out: str = capsys.readouterr().out
    return out


@pytest.mark.parametrize("command", JSON_COMMANDS)
def test_every_json_command_documents_compact(command: str) -> None:
    text = subparsers()[command].format_help()
    assert "--compact" in text
    assert "one-line JSON" in text or "always one JSON per line" in text


def test_the_list_of_json_commands_is_complete() -> None:
    # Every other command writes files, text or serves HTTP; a new command must be sorted.
    others = {"schemas", "docs", "sandbox", "editor", "mcp"}
    assert set(subparsers()) == set(JSON_COMMANDS) | others


@pytest.mark.parametrize(
    "argv",
    [
        ["definition"],
        ["schema", "sendSms"],
        ["schema", "connection"],
        ["check", "--sandbox"],
        ["run", "previewSms", "--sandbox", "--input", "{input}"],
        [
            "options",
            "sendWhatsappTemplateMessage",
            "messages[].content.templateName",
            "--sandbox",
            "--input",
            "{template}",
        ],
        ["demo", "--json"],
    ],
)
def test_compact_prints_the_same_json_on_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    preview = tmp_path / "preview.json"
    preview.write_text(json.dumps({"text": "Hello"}))
    template = tmp_path / "template.json"
    template.write_text(json.dumps(TEMPLATE_INPUT))
    argv = [a.format(input=preview, template=template) for a in argv]
    indented = cli(capsys, *argv)
    compact = cli(capsys, *argv, "--compact")
    assert indented.count("\n") > 1 and compact.count("\n") == 1
    if argv[0] != "demo":  # the demo's IDs are new each run
        assert json.loads(compact) == json.loads(indented)


def test_demo_compact_alone_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    out = cli(capsys, "demo", "--compact")
    assert out.count("\n") == 1 and "reply" in json.loads(out)


@pytest.mark.parametrize("command", ["run", "schema"])
def test_help_lists_every_action(command: str) -> None:
    text = " ".join(subparsers()[command].format_help().split())
    for action in component.definition.actions:
        assert action.name in text


def test_help_lists_the_triggers_of_listen_and_poll() -> None:
    listen = " ".join(subparsers()["listen"].format_help().split())
    poll = " ".join(subparsers()["poll"].format_help().split())
    for trigger in component.definition.triggers:
        assert (trigger.name in listen) == (trigger.webhook is not None)
        assert (trigger.name in poll) == (trigger.polling is not None)
