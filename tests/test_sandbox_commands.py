"""``infobip-connector sandbox`` and ``editor``: where they print, and mistakes as usage errors."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from infobip_connector.hosts.cli import main

from .conftest import ROOT

SMS = "/sms/2/text/advanced"
posix_only = pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")


@contextmanager
def serving(*argv: str) -> Iterator[subprocess.Popen[str]]:
    """``infobip-connector *argv`` in a child process, killed if the test did not stop it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "infobip_connector", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def interrupt(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Ctrl-C; the rest of stdout and stderr once the process has ended."""
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    return out, err


def stderr_lines(process: subprocess.Popen[str], count: int) -> list[str]:
    assert process.stderr is not None
    return [process.stderr.readline() for _ in range(count)]


@posix_only
def test_sandbox_logs_on_stderr_one_line_per_request_without_the_key() -> None:
    secret = "do-not-print-me-7731"
    with serving("sandbox", "--port", "0", "--api-key", secret) as process:
        banner = "".join(stderr_lines(process, 4))
        assert "emulator" in banner and "sends nothing" in banner
        url = banner.split("Listening on ")[1].split()[0]
        assert f"INFOBIP_BASE_URL={url} INFOBIP_API_KEY=" in banner
        ok = httpx.get(url + "/account/1/balance", headers={"Authorization": f"App {secret}"})
        assert ok.status_code == 200
        refused = httpx.post(
            url + SMS + "?secret=" + secret,
            json={},
            headers={"Authorization": f"App {secret},{secret}"},
        )
        assert refused.status_code == 401
        logged = stderr_lines(process, 2)
        out, err = interrupt(process)
    assert out == "", "stdout is kept for data"
    assert "stopped" in err
    balance, sms = logged
    assert balance.startswith("GET /account/1/balance 200 ") and "auth=App ***" in balance
    assert sms.startswith(f"POST {SMS} 401 ") and "auth=App ***" in sms
    assert " ms " in sms
    assert secret not in banner + "".join(logged) + out + err


@posix_only
def test_editor_prints_its_start_line_on_stderr_like_the_sandbox() -> None:
    with serving("editor", "--port", "0") as process:
        (line,) = stderr_lines(process, 1)
        assert line.startswith("Infobip connector editor on http://127.0.0.1:")
        out, err = interrupt(process)
    assert out == ""
    assert "Traceback" not in err


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    err = capsys.readouterr().err
    return int(exited.value.code or 0), json.loads(err.strip().splitlines()[-1])["error"]


@pytest.mark.parametrize(
    ("argv", "path", "hint"),
    [
        (["sandbox", "--port", "99999"], "", "1 to 65535"),
        (["sandbox", "--port", "-5"], "", "1 to 65535"),
        (["sandbox", "--port", "eighty"], "", "1 to 65535"),
        (["sandbox", "--host", "0.0.0.0"], "--host", "--allow-non-loopback"),
        (["sandbox", "--host", "192.0.2.7"], "--host", "--allow-non-loopback"),
        (["sandbox", "--host", "192.0.2.7", "--allow-non-loopback"], "--host", "not an address"),
        (["editor", "--port", "99999"], "", "1 to 65535"),
        (["editor", "--port", "-1"], "", "1 to 65535"),
        (["editor", "--port", "http"], "", "1 to 65535"),
        (["editor", "--host", "0.0.0.0"], "--host", "loopback"),
        (["editor", "--host", "example.com"], "--host", "loopback"),
    ],
)
def test_mistakes_are_usage_errors_that_say_what_to_do(
    argv: list[str], path: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, error = run_cli(argv, capsys)
    assert (code, error["type"]) == (2, "usage")
    assert error["details"]["errors"][0]["path"] == path
    assert hint in error["message"]


@pytest.mark.parametrize("command", ["sandbox", "editor"])
def test_a_port_in_use_is_a_usage_error(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, error = run_cli([command, "--port", str(port)], capsys)
    assert (code, error["type"]) == (2, "usage")
    assert error["details"]["errors"][0]["path"] == "--port"
    assert f"port {port} is in use" in error["message"] and "--port" in error["message"]
