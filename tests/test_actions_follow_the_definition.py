"""Every action in connector.yaml is covered without editing this file: its Infobip operation
(tests/operations.py), its request on the wire, its sandbox route and a CLI run end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from infobip_connector import component
from infobip_connector.sandbox import SandboxServer
from infobip_connector.sandbox.routes import resolve
from infobip_connector.sandbox.table import ROUTES
from infobip_connector.transport.target import fill_path

from .conftest import FIXTURES, ROOT, SHARED
from .operation_slices import FILE as OPERATION_SLICES
from .operation_slices import NO_SHARED, slices
from .operations import OPERATIONS

ACTIONS = component.action_names
KEY = "defined-key-3e9a"
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}


def test_every_action_has_an_operation_and_no_row_is_stale() -> None:
    assert sorted(set(ACTIONS) - set(OPERATIONS)) == [], "add a row to tests/operations.py"
    assert sorted(set(OPERATIONS) - set(ACTIONS)) == [], "a row names no action"


#: Each action's operation as Infobip describes it, kept in the repository so that the check
#: below runs on a fresh clone too (tests/operation_slices.py).
KEPT = json.loads(OPERATION_SLICES.read_text(encoding="utf-8"))


@pytest.mark.parametrize("action", ACTIONS)
def test_the_operation_is_current_in_the_openapi_description(action: str) -> None:
    op = OPERATIONS[action]
    assert action in KEPT, "run python -m tests.operation_slices (see its docstring)"
    described = KEPT[action]
    assert (described["method"], described["path"]) == (op.method, op.path)
    assert described["operationId"] == op.operation_id
    assert not described["deprecated"], f"{op.operation_id} is superseded"
    # Every query and path parameter of the operation is an input placed there, and where
    # (the body's properties: test_definition_mirrors_operations.py).
    placed = sorted(
        [p.name, p.location]
        for p in component.definition.action(action).properties
        if p.location != "body"
    )
    assert described["parameters"] == placed


def test_the_kept_operations_match_the_openapi_description() -> None:
    source = SHARED / "infobip-openapi"
    if not source.is_dir():
        pytest.skip(NO_SHARED)
    assert slices(source) == KEPT, "run python -m tests.operation_slices to refresh them"


@pytest.mark.parametrize("action", ACTIONS)
def test_the_request_is_the_operation(action: str) -> None:
    op = OPERATIONS[action]
    request = component.runtime(action).prepare(op.sample)
    assert (request.method, request.path) == (op.method, op.path)
    assert request.kind == component.definition.action(action).kind
    if op.request_slice is None:
        assert request.body is None
        return
    schema = json.loads((FIXTURES / "openapi" / op.request_slice).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(request.body)


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_has_a_sandbox_route(action: str) -> None:
    request = component.runtime(action).prepare(OPERATIONS[action].sample)
    path = fill_path(request.path, request.path_params)
    assert resolve(ROUTES, request.method, path).route is not None


@pytest.mark.parametrize("action", ACTIONS)
def test_cli_run_end_to_end(action: str, server: SandboxServer, tmp_path: Path) -> None:
    server.sandbox.reset()
    for before, values in OPERATIONS[action].setup:
        component.execute(before, values, {"token": KEY, "baseUrl": server.url})
    env = {
        **os.environ,
        "INFOBIP_API_KEY": KEY,
        "INFOBIP_BASE_URL": server.url,
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "infobip_connector", "run", action, "--input", "-"],
        input=json.dumps(OPERATIONS[action].sample),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    output: Any = json.loads(result.stdout)
    jsonschema.Draft202012Validator(component.output_schema(action)).validate(output)
    assert server.sandbox.requests, "nothing reached the sandbox"
