"""What the CLI reads and listens on: special files, blank variables, host names.

``--input`` and ``--connection`` are read with a bound whatever they name (a device, a FIFO);
a connection file that is not JSON is a usage error at ``--connection``; a blank
``INFOBIP_BASE_URL`` is a mistake, not the default; a server ``--host`` that is not an address
as written says so. None of these is ``internal``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_cli import KEY, error_of, no_key, run_cli  # noqa: F401 (no_key is a fixture)

SMS = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]}

pytestmark = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")


def test_input_from_an_endless_device_is_refused_as_too_large(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run_cli(capsys, "run", "sendSms", "--input", "/dev/zero", "--sandbox")
    assert code == 2 and error_of(err)["type"] == "input"
    assert "larger than 50 MB" in error_of(err)["message"]


def test_a_connection_from_an_endless_device_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run_cli(capsys, "check", "--connection", "/dev/zero")
    error = error_of(err)
    assert code == 2 and error["type"] == "usage"
    assert error["details"]["errors"][0]["path"] == "--connection"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_input_from_an_endless_fifo_ends(tmp_path: Path) -> None:
    fifo = tmp_path / "input"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever() -> None:
        try:
            with open(fifo, "wb") as pipe:
                while not stop.is_set():
                    pipe.write(b" " * 65536)
        except OSError:  # the reader closed it
            pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "infobip_connector", "run", "sendSms", "--input", str(fifo)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT), "INFOBIP_API_KEY": KEY},
        )
    finally:
        stop.set()
    assert result.returncode == 2, result.stderr
    assert "larger than 50 MB" in result.stderr


def test_a_connection_file_that_is_not_json_is_a_usage_error_at_connection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "connection.json"
    path.write_text('{"token": ')
    code, _, err = run_cli(capsys, "check", "--connection", str(path))
    error = error_of(err)
    assert code == 2 and error["type"] == "usage"
    assert error["details"]["errors"][0]["path"] == "--connection"
    assert "connection" in error["message"]


@pytest.mark.parametrize("blank", ["", " ", "\t"])
def test_a_blank_base_url_next_to_a_key_is_a_usage_error(
    blank: str,
    no_key: pytest.MonkeyPatch,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    no_key.setenv("INFOBIP_API_KEY", KEY)
    no_key.setenv("INFOBIP_BASE_URL", blank)
    path = tmp_path / "input.json"
    path.write_text(json.dumps(SMS))
    code, out, err = run_cli(capsys, "run", "sendSms", "--input", str(path))
    error = error_of(err)
    assert code == 2 and error["type"] == "usage" and out == ""
    assert error["details"]["errors"][0]["path"] == "INFOBIP_BASE_URL"


@pytest.mark.parametrize("host", ["127.0.0.1 ", "127.1", "0x7f.1", "local host"])
def test_a_server_host_that_is_not_an_address_says_so(
    host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "sandbox", "--host", host, "--port", "0")
    error = error_of(err)
    assert code == 2 and error["details"]["errors"][0]["path"] == "--host"
    assert "not a host name or an IP address" in error["message"]
    assert "reachable from other machines" not in error["message"]


def test_the_demo_names_both_variables_needed_to_send(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "demo")
    assert code == 0
    assert "INFOBIP_API_KEY" in out.splitlines()[-1] and "INFOBIP_BASE_URL" in out.splitlines()[-1]
