"""``infobip-connector listen`` and ``poll`` end to end: real sockets, the sandbox as Infobip.

``listen`` runs as a subprocess registered with a sandbox server; a person's SMS to the
sandbox comes out of its stdout as one JSON line. ``poll`` keeps its state in a file across
runs, and a lost answer leaves that file as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from infobip_connector import component
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .action_support import fast_retries
from .test_cli import error_of, run_cli

KEY = "cli-triggers-key-0123456789"
SECRET = "hook-secret-9c1e-77ab"
SANDBOX_OPTIONS = {"api_key": KEY, "report_delay": 0.0}
INBOX = "/sms/1/inbox/reports"


class Listening:
    """A ``listen`` subprocess; ``url`` is read from its first line on stderr."""

    def __init__(self, *argv: str, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infobip_connector", "listen", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stderr is not None
        self.notices: list[str] = []
        while True:
            line = self.process.stderr.readline()
            if not line:
                raise AssertionError(f"listen ended: {self.finish()}")
            self.notices.append(line)
            if line.startswith("Listening for "):
                self.url = line.split(" on ", 1)[1].split(" ", 1)[0]
                break

    def next_notice(self) -> str:
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        self.notices.append(line)
        return line

    def event(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, f"no event: {self.finish()}"
        event: dict[str, Any] = json.loads(line)
        return event

    def finish(self) -> tuple[int, str]:
        """Stop it (SIGTERM, as an engine does) and return its exit code and all of stderr."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            _, rest = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, rest = self.process.communicate()
        return self.process.returncode, "".join(self.notices) + (rest or "")


@pytest.fixture()
def env(server: SandboxServer) -> dict[str, str]:
    variables = {k: v for k, v in os.environ.items() if not k.startswith("INFOBIP_")}
    return {**variables, "INFOBIP_API_KEY": KEY, "INFOBIP_BASE_URL": server.url}


@pytest.fixture()
def keyed(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI run in this process reaches the sandbox server with the key."""
    monkeypatch.setenv("INFOBIP_API_KEY", KEY)
    monkeypatch.setenv("INFOBIP_BASE_URL", env["INFOBIP_BASE_URL"])


@pytest.fixture()
def listening() -> Iterator[list[Listening]]:
    started: list[Listening] = []
    yield started
    for process in started:
        process.finish()


def test_registered_listen_prints_the_reply_the_sandbox_receives(
    sandbox: Sandbox, env: dict[str, str], listening: list[Listening], tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    hook = Listening(
        "newInboundSms", "--port", "0", "--hmac-secret-file", str(secret_file), "--register",
        env=env,
    )  # fmt: skip
    listening.append(hook)
    assert hook.next_notice().startswith("Registered: ")
    assert len(sandbox.subscriptions.subscriptions) == 1
    assert next(iter(sandbox.subscriptions.profiles.values()))["webhook"]["notifyUrl"] == hook.url

    message_id = sandbox.receive_sms("41793026727", "447860099299", "YES please", keyword="YES")
    event = hook.event()
    assert event["messageId"] == message_id and event["text"] == "YES please"
    jsonschema.validate(event, component.event_schema("newInboundSms"))
    assert sandbox.wait_for_reports(10)
    assert [(r.outcome, r.status) for r in sandbox.reports] == [("sent", 200)]

    code, stderr = hook.finish()
    assert code == 128 + 15, stderr
    assert "Unregistered the webhook." in stderr
    assert sandbox.subscriptions.subscriptions == {} and sandbox.subscriptions.security == {}
    assert SECRET not in stderr and KEY not in stderr


def test_an_unauthenticated_listen_registers_without_security(
    sandbox: Sandbox, env: dict[str, str], listening: list[Listening]
) -> None:
    hook = Listening(
        "newInboundSms", "--port", "0", "--allow-unauthenticated", "--register", env=env
    )
    listening.append(hook)
    assert hook.next_notice().startswith("Registered: ")
    (profile,) = sandbox.subscriptions.profiles.values()
    assert "security" not in profile and sandbox.subscriptions.security == {}


def test_calls_that_do_not_pass_the_check_print_nothing(
    env: dict[str, str], listening: list[Listening]
) -> None:
    env = {**env, "INFOBIP_WEBHOOK_BASIC_AUTH": "hooks:pa:ss"}
    hook = Listening("newInboundSms", "--port", "0", env=env)
    listening.append(hook)
    body = {"results": [{"messageId": "m-1", "from": "41793026727", "to": "447860099299"}]}
    assert httpx.post(hook.url, json=body, auth=("hooks", "pa:sx")).status_code == 401
    assert httpx.post(hook.url + "x", json=body, auth=("hooks", "pa:ss")).status_code == 404
    answer = httpx.post(hook.url, json=body, auth=("hooks", "pa:ss"))
    assert answer.status_code == 200 and answer.json() == {"events": 1}
    assert hook.event()["messageId"] == "m-1"
    _, stderr = hook.finish()
    assert "pa:ss" not in stderr


def test_a_closed_stdout_ends_listen_cleanly_and_the_call_is_refused(
    env: dict[str, str], listening: list[Listening]
) -> None:
    hook = Listening("newInboundSms", "--port", "0", "--allow-unauthenticated", env=env)
    listening.append(hook)
    assert hook.process.stdout is not None
    hook.process.stdout.close()
    body = {"results": [{"messageId": "m-2", "from": "41793026727", "to": "447860099299"}]}
    answer = httpx.post(hook.url, json=body, timeout=30)
    assert answer.status_code == 503  # Infobip sends it again to whoever listens next
    assert hook.process.wait(30) == 0
    _, stderr = hook.finish()
    assert "Traceback" not in stderr and "Exception" not in stderr


def test_another_host_than_loopback_is_served_with_a_warning(
    env: dict[str, str], listening: list[Listening]
) -> None:
    hook = Listening(
        "newInboundSms", "--host", "0.0.0.0", "--port", "0", "--allow-unauthenticated", env=env
    )
    listening.append(hook)
    assert any("reachable from other machines" in line for line in hook.notices)


@pytest.mark.parametrize(
    ("argv", "path"),
    [
        (["listen", "newInboundSms", "--port", "0"], "--basic-auth"),
        (["listen", "newInboundSms", "--basic-auth", "no-colon"], "--basic-auth"),
        (["listen", "newInboundSms", "--hmac-secret", ""], "--hmac-secret"),
        (["listen", "nope", "--allow-unauthenticated"], "trigger"),
        (["listen", "newInboundSms", "--allow-unauthenticated", "--path", "hook"], "--path"),
        (["listen", "newInboundSms", "--allow-unauthenticated", "--url", "http://a"], "--url"),
        (["poll", "newInboundWhatsappMessage", "--state", "s.json", "--sandbox"], "trigger"),
    ],
)
def test_unusable_options_are_usage_errors(
    argv: list[str], path: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INFOBIP_WEBHOOK_BASIC_AUTH", raising=False)
    monkeypatch.delenv("INFOBIP_WEBHOOK_HMAC_SECRET", raising=False)
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert error_of(err)["details"]["errors"][0]["path"] == path


def _poll(capsys: pytest.CaptureFixture[str], state: Path) -> tuple[int, list[Any], str]:
    code, out, err = run_cli(capsys, "poll", "newInboundSms", "--state", str(state))
    return code, [json.loads(line) for line in out.splitlines()], err


def test_two_polls_keep_their_state_in_a_file_across_a_lost_answer(
    sandbox: Sandbox,
    keyed: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    fast_retries(monkeypatch)
    state = tmp_path / "inbox-state.json"
    first = sandbox.receive_sms("385916242493", "385921004026", "first")
    code, events, err = _poll(capsys, state)
    assert code == 0, err
    assert [e["messageId"] for e in events] == [first]
    saved = state.read_bytes()
    assert json.loads(saved)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox-state.json"]  # no temp left

    lost = sandbox.receive_sms("385916242494", "385921004026", "taken, answer lost")
    sandbox.script("GET", INBOX, Fault(status=503, process=True))
    code, events, err = _poll(capsys, state)
    assert code == 4 and events == []
    error = error_of(err)
    assert error["details"]["itemsMayBeLost"] is True and "may now be lost" in error["message"]
    assert state.read_bytes() == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox-state.json"]

    later = sandbox.receive_sms("385916242495", "385921004026", "after")
    code, events, err = _poll(capsys, state)
    assert code == 0, err
    assert [e["messageId"] for e in events] == [later] and lost not in str(events)
    assert _poll(capsys, state)[:2] == (0, [])


@pytest.mark.parametrize("content", [b"{not json", b'{"version": 7}', b"[]", b"\xff\xfe"], ids=str)
def test_a_corrupt_state_file_is_a_usage_error_naming_it_and_left_alone(
    content: bytes,
    sandbox: Sandbox,
    keyed: None,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(content)
    sandbox.receive_sms("385916242493", "385921004026", "kept for later")
    code, out, err = run_cli(capsys, "poll", "newInboundSms", "--state", str(state))
    assert code == 2 and out == ""
    problem = error_of(err)["details"]["errors"][0]
    assert problem["path"] == "--state" and str(state) in problem["message"]
    assert state.read_bytes() == content
    assert sandbox.request_counts[INBOX] == 0  # nothing handed out


def test_poll_runs_against_the_embedded_sandbox(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = tmp_path / "s.json"
    code, out, err = run_cli(
        capsys, "poll", "smsDeliveryReport", "--state", str(state), "--sandbox"
    )
    assert code == 0, err
    assert out == "" and json.loads(state.read_text(encoding="utf-8"))
