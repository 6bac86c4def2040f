"""Resource limits: a runaway input is refused with a clear InputError before any work starts.

"Before work starts" is checked by what runs, not by how long it takes: no request is made (the
transport fails the test if called), and neither the schema validation, the rule checks nor the
whole-number normalisation ever see the input (each fails the test if called). Speed itself is
measured by the benchmarks, never by a unit test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from infobip_connector import InputError, component
from infobip_connector.runtime.checks import ActionChecks
from infobip_connector.runtime.validation import SchemaValidator
from infobip_connector.runtime.whole_numbers import WholeNumbers

from .conftest import CANARY, ROOT

CONNECTION = {"token": CANARY, "baseUrl": "https://xyz12.api.infobip.com"}


class _Forbidden(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"an oversized input reached the network: {request.url}")


def _work_started(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("an oversized input reached validation, the checks or normalisation")


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stages after the size limits fail the test if the input ever reaches them."""
    monkeypatch.setattr(SchemaValidator, "problems", _work_started)
    monkeypatch.setattr(ActionChecks, "apply", _work_started)
    monkeypatch.setattr(WholeNumbers, "normalise", _work_started)


def _refused_early(action: str, values: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        component.execute(action, values, CONNECTION, transport=_Forbidden())
    assert type(caught.value) is InputError
    return caught.value


def test_a_million_destinations_are_refused_before_work_starts(no_work: None) -> None:
    # One destination object repeated: the input is a million entries without a gigabyte of RAM.
    destination = {"to": "41793026727"}
    values = {"messages": [{"destinations": [destination] * 1_000_000, "text": "x"}]}
    error = _refused_early("sendSms", values)
    assert "too large" in error.message
    assert error.errors[0]["path"] == ""


def test_a_60_mb_text_is_refused_before_work_starts(no_work: None) -> None:
    values = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "x" * 60_000_000}]}
    error = _refused_early("sendSms", values)
    assert "too large" in error.message and "characters" in error.message


def test_60_mb_spread_over_many_fields_is_refused(no_work: None) -> None:
    # The budget is for the whole input, not per field: each text is within its own maxLength.
    messages = [{"destinations": [{"to": "41793026727"}], "text": "x" * 150_000}] * 400
    error = _refused_early("sendSms", {"messages": messages})
    assert "too large" in error.message


def test_60_mb_spread_over_many_recipients_is_refused(no_work: None) -> None:
    # Recipients take a faster copying path than other objects; it keeps the same budget.
    destinations = [{"to": "4" * 150_000}] * 400
    values = {"messages": [{"destinations": destinations, "text": "x"}]}
    error = _refused_early("sendSms", values)
    assert "too large" in error.message and "characters" in error.message


def test_a_million_recipients_behind_a_nested_one_are_refused(no_work: None) -> None:
    nested = {"to": "41793026727", "note": {"any": "object"}}
    destinations = [nested] + [{"to": "41793026727"}] * 1_000_000
    error = _refused_early("sendSms", {"messages": [{"destinations": destinations}]})
    assert "too large" in error.message and "values" in error.message


def test_deep_nesting_is_refused_without_recursion_errors(no_work: None) -> None:
    nested: Any = "x"
    for _ in range(100_000):  # far beyond Python's recursion limit
        nested = [nested]
    error = _refused_early("sendWhatsappTextMessage", {"content": nested})
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
