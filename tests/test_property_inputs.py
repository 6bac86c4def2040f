"""Property-based input testing: every valid input builds a correct request, every invalid one
is refused with an InputError naming where, and nothing in between ever happens.

Valid inputs are generated from ``component.input_schema(action)`` itself, so a property added to
``connector.yaml`` is covered without touching this file. Three kinds of fields are drawn from
hand-made strategies because their rules live outside the schema (``checks.py``): phone numbers
(drawn from libphonenumber's own example numbers, written the ways people write them), ``sendAt``
(relative to a fixed "now", in every accepted form) and the delivery time window (from and to
together, at least an hour apart).

The inputs are drawn by ``input_schema_draws.py`` (the schema walker), ``input_field_draws.py``
(the fields with rules) and ``input_draws.py`` (fix-ups between values); the request each must
build is told by ``input_oracle.py``, the mutations by ``input_mutations.py``.

Each invalid input is a valid one with one mutation applied, so the test knows where the problem
is and checks that the error points there. Invalid inputs go through ``component.execute`` with a
transport that fails the test when called: refusing means nothing was sent.

Example counts: ``HYPOTHESIS_PROFILE=ci`` (the default) tries 2,000 inputs per action and test;
``dev`` tries 200. The counts actually tried are printed at the end of the module.
"""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from infobip_connector import InputError, component
from infobip_connector.definition.model import format_path
from infobip_connector.runtime.timeutil import infobip_datetime

from .conftest import CANARY
from .input_draws import Meant
from .input_mutations import Case, cases, is_related
from .input_oracle import SLICES, assert_round_trip, load_slice, same_instant, undeclared_keys
from .input_schema_draws import ACTIONS, NOW, Path_

settings.register_profile(
    "ci",
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
# Applied to these tests only, not loaded globally: other hypothesis tests keep their settings.
SETTINGS = settings.get_profile(PROFILE) if PROFILE in ("ci", "dev") else settings()


CONNECTION = {"token": CANARY, "baseUrl": "https://xyz12.api.infobip.com"}


class _Forbidden(httpx.BaseTransport):
    """Fails the test if anything is sent: an invalid input must be refused before that."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"an invalid input reached the network: {request.url}")


FORBIDDEN = _Forbidden()

#: How many inputs each test actually tried, printed at the end of the module.
INPUTS_TRIED: Counter[str] = Counter()


def test_an_ambiguous_wall_time_is_compared_as_the_instant_it_is() -> None:
    # Lord Howe Island goes back from +11:00 to +10:30 at 02:00: 01:30 occurs twice.
    first = datetime(2026, 4, 5, 1, 30, tzinfo=ZoneInfo("Australia/Lord_Howe"), fold=0)
    sent = datetime.strptime("2026-04-05T01:30:00.000+1100", "%Y-%m-%dT%H:%M:%S.%f%z")
    assert same_instant(sent, first)
    assert not same_instant(sent, first.replace(fold=1))


@pytest.mark.parametrize("action", ACTIONS)
def test_infobip_request_schema_slices_are_present(action: str) -> None:
    # Without them the property test still runs, minus the check against Infobip's schema.
    if action not in SLICES:
        pytest.skip(f"{action} sends no JSON body")
    if load_slice(action) is None:
        pytest.skip(f"{SLICES[action].name} is not in tests/fixtures/openapi")


def test_send_at_with_lower_case_z_is_accepted() -> None:
    """The input schema's pattern allows ``z`` as the UTC designator; so must the check.

    ``datetime.fromisoformat`` rejects a lower-case ``z`` on Python 3.11; the check reads it
    as UTC rather than refusing a value the schema let through.
    """
    values = {
        "messages": [
            {
                "destinations": [{"to": "41793026727"}],
                "text": "x",
                "sendAt": "2026-04-01T10:00:00z",
            }
        ]
    }
    request = component.runtime("sendSms").prepare(values, NOW)
    assert request.body["messages"][0]["sendAt"] == "2026-04-01T10:00:00.000+0000"
    assert infobip_datetime(datetime(2026, 4, 1, 10, tzinfo=UTC)) == "2026-04-01T10:00:00.000+0000"


@pytest.mark.parametrize("action", ACTIONS)
def test_valid_inputs_build_the_right_request_and_invalid_ones_are_refused(action: str) -> None:
    """One generated input per example serves both properties: generating it is the cost."""
    validator = load_slice(action)
    runtime = component.runtime(action)

    @settings(SETTINGS)
    @given(case=cases(action))
    def check(case: Case) -> None:
        valid, meant, kind, invalid, problem = case
        _check_valid(action, runtime, validator, valid, meant)
        _check_invalid(action, kind, invalid, problem)

    check()


def _check_valid(
    action: str,
    runtime: Any,
    validator: Draft202012Validator | None,
    values: dict[str, Any],
    meant: Meant,
) -> None:
    """The request builds, satisfies Infobip's published schema and carries our values."""
    INPUTS_TRIED[f"{action} valid"] += 1
    given_values = copy.deepcopy(values)
    request = runtime.prepare(values, NOW)
    assert values == given_values, "prepare() must not change the caller's values"
    if validator is not None:
        problems = [
            f"{format_path(list(e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(request.body)
        ]
        assert not problems, problems
        assert not list(undeclared_keys(request.body, validator.schema))
    assert_round_trip(action, values, meant, request)


def _check_invalid(action: str, kind: str, values: Any, problem: Path_) -> None:
    """Refused with an InputError whose every entry has a path, one of them at the problem;
    nothing sent (the transport fails the test if called); nothing else raised."""
    INPUTS_TRIED[f"{action} invalid"] += 1
    INPUTS_TRIED[f"{action} invalid: {kind}"] += 1
    with pytest.raises(InputError) as caught:
        component.execute(action, values, CONNECTION, transport=FORBIDDEN, now=NOW)
    error = caught.value
    assert type(error) is InputError, f"{kind}: {type(error).__name__}"
    assert error.errors, kind
    for entry in error.errors:
        assert isinstance(entry["path"], str), entry
        assert isinstance(entry["message"], str) and entry["message"], entry
    paths = [e["path"] for e in error.errors]
    assert any(is_related(p, problem) for p in paths), (kind, format_path(problem), paths)
    json.dumps(error.to_dict())  # details must stay JSON-safe, whatever the input held


@pytest.fixture(scope="module", autouse=True)
def _report_inputs_tried(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if not INPUTS_TRIED:
        return
    total = sum(n for k, n in INPUTS_TRIED.items() if k.endswith(("valid", "invalid")))
    lines = [f"property tests: {total:,} inputs tried (profile {PROFILE})"]
    lines += [f"  {key}: {count:,}" for key, count in sorted(INPUTS_TRIED.items())]
    _show(request, lines)


def _show(request: pytest.FixtureRequest, lines: list[str]) -> None:
    """Write to the terminal past pytest's output capture, so the counts are always seen."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)
