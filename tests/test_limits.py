"""Resource limits: a runaway input is refused with a clear InputError before any work starts.

"Before work starts" is checked two ways: no request is made (the transport fails the test if
called), and the refusal comes back quickly. The time bounds are generous ceilings for a loaded
2-core CI machine, far below what validating, normalising and encoding such inputs would take.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from infobip_connector import InputError, component

from .conftest import CANARY, ROOT

CONNECTION = {"token": CANARY, "baseUrl": "https://xyz12.api.infobip.com"}


class _Forbidden(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"an oversized input reached the network: {request.url}")


def _refused_quickly(action: str, values: Any, ceiling: float) -> InputError:
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        component.execute(action, values, CONNECTION, transport=_Forbidden())
    elapsed = time.monotonic() - started
    assert elapsed < ceiling, f"took {elapsed:.2f}s to refuse"
    assert type(caught.value) is InputError
    return caught.value


def test_a_million_destinations_are_refused_before_work_starts() -> None:
    # One destination object repeated: the input is a million entries without a gigabyte of RAM.
    destination = {"to": "41793026727"}
    values = {"messages": [{"destinations": [destination] * 1_000_000, "text": "x"}]}
    error = _refused_quickly("sendSms", values, ceiling=5.0)
    assert "too large" in error.message
    assert error.errors[0]["path"] == ""


def test_a_60_mb_text_is_refused_before_work_starts() -> None:
    values = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "x" * 60_000_000}]}
    error = _refused_quickly("sendSms", values, ceiling=2.0)
    assert "too large" in error.message and "characters" in error.message


def test_60_mb_spread_over_many_fields_is_refused() -> None:
    # The budget is for the whole input, not per field: each text is within its own maxLength.
    messages = [{"destinations": [{"to": "41793026727"}], "text": "x" * 150_000}] * 400
    error = _refused_quickly("sendSms", {"messages": messages}, ceiling=2.0)
    assert "too large" in error.message


def test_60_mb_spread_over_many_recipients_is_refused() -> None:
    # Recipients take a faster copying path than other objects; it keeps the same budget.
    destinations = [{"to": "4" * 150_000}] * 400
    values = {"messages": [{"destinations": destinations, "text": "x"}]}
    error = _refused_quickly("sendSms", values, ceiling=2.0)
    assert "too large" in error.message and "characters" in error.message


def test_a_million_recipients_behind_a_nested_one_are_refused() -> None:
    nested = {"to": "41793026727", "note": {"any": "object"}}
    destinations = [nested] + [{"to": "41793026727"}] * 1_000_000
    error = _refused_quickly("sendSms", {"messages": [{"destinations": destinations}]}, 5.0)
    assert "too large" in error.message and "values" in error.message


def test_deep_nesting_is_refused_without_recursion_errors() -> None:
    nested: Any = "x"
    for _ in range(100_000):  # far beyond Python's recursion limit
        nested = [nested]
    error = _refused_quickly("sendWhatsappTextMessage", {"content": nested}, ceiling=2.0)
    assert "deeper" in error.message


def test_a_large_but_sane_bulk_is_still_accepted() -> None:
    """The limits must not bite real bulks: 10,000 destinations validate and build."""
    destinations = [{"to": f"4179302{i:04d}"} for i in range(10_000)]
    request = component.runtime("sendSms").prepare(
        {"messages": [{"destinations": destinations, "text": "x"}]}
    )
    assert len(request.body["messages"][0]["destinations"]) == 10_000


def _cli(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "INFOBIP_API_KEY": CANARY, "PYTHONPATH": str(ROOT)}
    # An unroutable base URL: if the size check failed to stop the run, nothing could be sent.
    env["INFOBIP_BASE_URL"] = "http://127.0.0.1:9"
    return subprocess.run(
        [sys.executable, "-m", "infobip_connector", "run", "sendSms", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


def test_the_cli_refuses_an_input_file_over_50_mb(tmp_path: Path) -> None:
    big = tmp_path / "input.json"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024 + 1)  # sparse: the size is what matters, not the content
    done = _cli(["--input", str(big)])
    assert done.returncode == 2, done.stderr
    error = json.loads(done.stderr)["error"]
    assert error["type"] == "input" and "50 MB" in error["message"]


def test_the_cli_refuses_over_50_mb_on_stdin() -> None:
    done = _cli(["--input", "-"], stdin=b" " * (50 * 1024 * 1024 + 1))
    assert done.returncode == 2, done.stderr
    assert "50 MB" in json.loads(done.stderr)["error"]["message"]
