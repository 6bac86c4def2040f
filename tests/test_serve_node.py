"""The Node.js example drives ``serve`` from another language: it sends an SMS through the
sandbox and reads the typed errors (skipped where ``node`` is not installed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_node_example_sends_and_reads_typed_errors() -> None:
    assert NODE is not None
    command = [sys.executable, "-m", "infobip_connector", "serve", "--sandbox"]
    done = subprocess.run(
        [NODE, str(ROOT / "examples" / "node" / "send-sms.mjs"), *command],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    steps = {step.pop("step"): step for step in map(json.loads, done.stdout.splitlines())}
    assert "sendSms" in steps["definition"]["actions"]
    assert steps["sent"]["status"] == "PENDING" and steps["sent"]["messageId"]
    invalid = steps["invalid input"]
    assert (invalid["code"], invalid["type"]) == (-32002, "input")
    assert [e["path"] for e in invalid["errors"]] == [
        "messages[0].destinations[0].to",
        "messages[0].text",
    ]
    assert steps["unknown method"]["code"] == -32601
    assert steps["exit"] == {"code": 0}


def _cannot_start(command: str) -> str:
    """What the example prints on stderr when ``command`` cannot be started (exit 1)."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(ROOT / "examples" / "node" / "send-sms.mjs"), command],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and done.stdout == b""
    err = done.stderr.decode()
    assert "ENOENT" not in err and "node:internal" not in err  # no unhandled stack
    return err


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_node_example_says_clearly_when_the_worker_is_not_on_path() -> None:
    err = _cannot_start("no-such-infobip-connector")
    assert "no-such-infobip-connector: it is not on PATH" in err
    assert "source .venv/bin/activate" in err


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_node_example_says_a_full_path_given_does_not_exist() -> None:
    err = _cannot_start("/nonexistent/bin/x")
    assert "/nonexistent/bin/x: no such file" in err
    assert "PATH" not in err
