"""The command line: where the connection comes from, flags, and the generating commands."""

from __future__ import annotations

import gc
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from infobip_connector.hosts import cli
from infobip_connector.hosts.cli import main
from infobip_connector.sandbox import Sandbox, SandboxServer

from .conftest import ROOT

WHATSAPP = {"from": "447860099299", "to": "41793026727", "content": {"text": "Hello"}}
KEY = "cli-key-4d2a-5e6f7a8b"
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main(argv)`` in process: exit code, stdout, stderr."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def error_of(stderr: str) -> dict[str, Any]:
    error: dict[str, Any] = json.loads(stderr.strip().splitlines()[-1])["error"]
    return error


@pytest.fixture()
def wa_input(tmp_path: Path) -> str:
    path = tmp_path / "wa.json"
    path.write_text(json.dumps(WHATSAPP), encoding="utf-8")
    return str(path)


@pytest.fixture()
def no_key(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("INFOBIP_API_KEY", raising=False)
    monkeypatch.delenv("INFOBIP_BASE_URL", raising=False)
    return monkeypatch


# --- a missing key never turns into a sandbox send -------------------------------------


@pytest.mark.parametrize("key", [None, "", "   ", "\t"])
@pytest.mark.parametrize("command", ["run", "check"])
def test_no_key_is_a_usage_error_that_points_at_sandbox(
    key: str | None,
    command: str,
    no_key: pytest.MonkeyPatch,
    wa_input: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if key is not None:
        no_key.setenv("INFOBIP_API_KEY", key)
    argv = (
        ["run", "sendWhatsappTextMessage", "--input", wa_input] if command == "run" else [command]
    )
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert out == ""  # no output that a workflow could take for a send
    error = error_of(err)
    assert error["type"] == "usage"
    assert error["details"]["errors"][0]["path"] == "INFOBIP_API_KEY"
    assert "--sandbox" in error["message"]
    assert "nothing was sent" in error["message"]


def test_a_base_url_without_a_key_is_named(
    no_key: pytest.MonkeyPatch, wa_input: str, capsys: pytest.CaptureFixture[str]
) -> None:
    no_key.setenv("INFOBIP_BASE_URL", "https://xyz12.api.infobip.com")
    code, out, err = run_cli(capsys, "run", "sendWhatsappTextMessage", "--input", wa_input)
    assert (code, out) == (2, "")
    message = error_of(err)["message"]
    assert "INFOBIP_BASE_URL is" in message and "needs a key" in message


@pytest.mark.parametrize("token", [None, "", "  "])
def test_a_connection_file_without_a_token_is_a_usage_error(
    token: str | None,
    no_key: pytest.MonkeyPatch,
    tmp_path: Path,
    wa_input: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    connection = tmp_path / "connection.json"
    values = {"baseUrl": "https://xyz12.api.infobip.com"}
    connection.write_text(json.dumps(values if token is None else {**values, "token": token}))
    code, out, err = run_cli(
        capsys,
        "run",
        "sendWhatsappTextMessage",
        "--input",
        wa_input,
        "--connection",
        str(connection),
    )
    assert (code, out) == (2, "")
    assert error_of(err)["type"] == "usage"
    assert "--sandbox" in error_of(err)["message"]


# A key the connection would refuse (too short, spaces) must not matter with --sandbox.
@pytest.mark.parametrize("key", ["x", "has spaces in it", "canary-key-in-env-1234"])
def test_sandbox_ignores_the_key_in_the_environment(
    key: str, no_key: pytest.MonkeyPatch, wa_input: str, capsys: pytest.CaptureFixture[str]
) -> None:
    no_key.setenv("INFOBIP_API_KEY", key)
    no_key.setenv("INFOBIP_BASE_URL", "https://xyz12.api.infobip.com")
    code, out, err = run_cli(
        capsys, "run", "sendWhatsappTextMessage", "--input", wa_input, "--sandbox"
    )
    assert code == 0, err
    assert json.loads(out)["status"]["groupName"] == "PENDING"
    assert "embedded sandbox" in err
    assert "INFOBIP_API_KEY and INFOBIP_BASE_URL ignored" in err
    assert "canary-key-in-env-1234" not in out + err


def test_check_with_sandbox_says_so(
    no_key: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "check", "--sandbox")
    assert code == 0, err
    assert json.loads(out)["ok"] is True
    assert "embedded sandbox" in err


def test_sandbox_and_connection_do_not_go_together(
    no_key: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = tmp_path / "connection.json"
    connection.write_text(json.dumps({"token": KEY}))
    code, out, err = run_cli(capsys, "check", "--sandbox", "--connection", str(connection))
    assert (code, out) == (2, "")
    assert error_of(err)["details"]["errors"][0]["path"] == "--connection"


def test_a_key_in_the_environment_is_used(
    no_key: pytest.MonkeyPatch,
    server: SandboxServer,
    sandbox: Sandbox,
    wa_input: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    no_key.setenv("INFOBIP_API_KEY", KEY)
    no_key.setenv("INFOBIP_BASE_URL", server.url)
    code, _, err = run_cli(capsys, "run", "sendWhatsappTextMessage", "--input", wa_input)
    assert code == 0, err
    assert "sandbox" not in err
    assert len(sandbox.requests) == 1


# --- flags ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_works_before_or_after_the_command(
    where: str, no_key: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "--sandbox"]
    argv = ["-v", *argv] if where == "before" else [*argv, "--verbose"]
    code, _, err = run_cli(capsys, *argv)
    assert code == 0, err
    assert "DEBUG infobip_connector" in err


def test_without_verbose_nothing_is_logged(
    no_key: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "check", "--sandbox")
    assert code == 0 and "DEBUG" not in err


def test_output_flag_does_not_apply_to_the_connection_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(capsys, "schema", "connection", "--output")
    assert (code, out) == (2, "")
    assert error_of(err)["details"]["errors"][0]["path"] == "--output"
    code, out, _ = run_cli(capsys, "schema", "connection")
    assert code == 0 and json.loads(out)["required"] == ["token"]


# --- schemas and docs read the checkout they run in ------------------------------------


@pytest.fixture()
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the parts of the checkout the generating commands read and write."""
    root = tmp_path / "checkout"
    root.mkdir()
    shutil.copy(ROOT / "connector.yaml", root / "connector.yaml")
    shutil.copytree(ROOT / "schemas", root / "schemas")
    (root / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "reference.md", root / "docs" / "reference.md")
    (root / "sub" / "folder").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


def _edit_description(definition: Path) -> None:
    text = definition.read_text(encoding="utf-8")
    # A property label shows in the schemas (title) and in the reference.
    edited = text.replace("label: Base URL", "label: Base URL Edited.", 1)
    assert edited != text
    definition.write_text(edited, encoding="utf-8")


@pytest.mark.parametrize("command", ["schemas", "docs"])
def test_check_reads_the_checkouts_definition(
    command: str, checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, command, "--check")
    assert code == 0, err
    assert str(checkout / "connector.yaml") in out  # says which file it read
    _edit_description(checkout / "connector.yaml")
    code, out, err = run_cli(capsys, command, "--check")
    assert (code, out) == (2, "")
    assert "out of date" in err
    assert str(checkout / "connector.yaml") in error_of(err)["message"]


@pytest.mark.parametrize("command", ["schemas", "docs"])
def test_generating_from_a_sub_folder_writes_the_checkouts_files(
    command: str,
    checkout: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _edit_description(checkout / "connector.yaml")
    monkeypatch.chdir(checkout / "sub" / "folder")
    code, _, err = run_cli(capsys, command)
    assert code == 0, err
    assert not (checkout / "sub" / "folder" / "schemas").exists()
    assert not (checkout / "sub" / "folder" / "docs").exists()
    code, _, err = run_cli(capsys, command, "--check")
    assert code == 0, err
    assert "Edited." in (
        (checkout / "docs" / "reference.md").read_text(encoding="utf-8")
        + "".join(p.read_text(encoding="utf-8") for p in (checkout / "schemas").glob("*.json"))
    )


def test_definition_option_names_the_file_to_read(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.yaml"
    shutil.copy(checkout / "connector.yaml", other)
    _edit_description(other)
    code, _, err = run_cli(capsys, "docs", "--check", "--definition", str(other))
    assert code == 2 and str(other) in error_of(err)["message"]
    code, out, _ = run_cli(capsys, "definition", "--definition", str(other))
    assert code == 0 and "Edited." in out


def test_a_broken_definition_is_a_usage_error(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / "connector.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    for command in (
        ["schemas", "--check"],
        ["docs"],
        ["definition", "--definition", "connector.yaml"],
    ):
        code, _, err = run_cli(capsys, *command)
        assert code == 2, command
        assert error_of(err)["type"] == "usage"


def test_schemas_check_says_missing_and_extra(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / "schemas" / "sendSms.input.schema.json").unlink()
    (checkout / "schemas" / "removedAction.input.schema.json").write_text("{}\n")
    code, _, err = run_cli(capsys, "schemas", "--check")
    assert code == 2
    problems = {Path(e["path"]).name: e["message"] for e in error_of(err)["details"]["errors"]}
    assert problems["sendSms.input.schema.json"].startswith("missing")
    assert problems["removedAction.input.schema.json"].startswith("not derived from")
    assert len(problems) == 2


def test_docs_check_says_missing(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (checkout / "docs" / "reference.md").unlink()
    code, _, err = run_cli(capsys, "docs", "--check")
    assert code == 2
    assert error_of(err)["details"]["errors"][0]["message"].startswith("missing")


# --- one-shot processes ---------------------------------------------------------------


@pytest.mark.parametrize(("command", "collector_on"), [("run", False), ("sandbox", True)])
def test_one_shot_commands_run_without_the_cycle_collector(
    command: str,
    collector_on: bool,
    no_key: pytest.MonkeyPatch,
    wa_input: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen: dict[str, bool] = {}
    real = {"run": cli.cmd_run, "sandbox": lambda args: None}[command]

    def spy(args: Any) -> None:
        seen["collector"] = gc.isenabled()
        real(args)

    no_key.setattr(cli, f"cmd_{command}", spy)
    argv = ["run", "sendWhatsappTextMessage", "--input", wa_input, "--sandbox"]
    no_key.setattr(sys, "argv", ["infobip-connector", *(argv if command == "run" else [command])])
    try:
        main()  # without argv, as the console script calls it
    finally:
        frozen = gc.get_freeze_count()
        gc.unfreeze()
        gc.enable()
    assert seen["collector"] is collector_on
    assert (frozen > 0) is not collector_on
    capsys.readouterr()


def test_main_called_with_arguments_leaves_the_collector_alone(
    no_key: pytest.MonkeyPatch, wa_input: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Engines and tests call main(argv) inside a longer-lived process.
    code, _, err = run_cli(
        capsys, "run", "sendWhatsappTextMessage", "--input", wa_input, "--sandbox"
    )
    assert code == 0, err
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_main_run_again_keeps_one_log_handler_writing_to_the_current_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import logging

    root = logging.getLogger("infobip_connector")
    for _ in range(3):
        run_cli(capsys, "schema", "connection")
    ours = [h for h in root.handlers if type(h).__module__ == "infobip_connector.hosts.cliprocess"]
    assert len(ours) == 1
    logging.getLogger("infobip_connector.test").warning("after the runs")
    assert capsys.readouterr().err == "WARNING infobip_connector.test: after the runs\n"
