from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infobip_connector import close_pooled_clients
from infobip_connector.sandbox import Sandbox, SandboxServer

from .operation_slices import NO_SHARED, find_shared

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Infobip's OpenAPI description and the component spec (tests/operation_slices.py).
SHARED = find_shared()
CANARY = "canary-TOKEN-5f1c9e0b7d"


@pytest.fixture()
def canary() -> str:
    return CANARY


@pytest.fixture()
def connection() -> dict[str, str]:
    return {"token": CANARY, "baseUrl": "https://xyz12.api.infobip.com"}


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator[SandboxServer]:
    """The sandbox as an HTTP server on a free loopback port, one per test module.

    A module configures it with ``SANDBOX_OPTIONS``, keyword arguments of ``Sandbox``.
    """
    options = getattr(request.module, "SANDBOX_OPTIONS", {})
    with SandboxServer(Sandbox(**options)) as running:
        yield running
    close_pooled_clients()


@pytest.fixture()
def sandbox(server: SandboxServer) -> Sandbox:
    """The server's sandbox, its record and scripted faults cleared for each test."""
    server.sandbox.reset()
    return server.sandbox


@pytest.fixture()
def account() -> Sandbox:
    """A sandbox of its own for one test: checks ``sandbox_support.KEY``, reads time from a
    clock standing at 2026-11-30T12:00:00Z, posts no delivery reports."""
    from .sandbox_support import KEY, Clock

    return Sandbox(KEY, deliver_reports=False, clock=Clock())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Said at the end of every run without ``../shared``, so a green run there is not taken
    for one that checked the actions against Infobip's published operations."""
    if not (SHARED / "infobip-openapi").is_dir():
        terminalreporter.write_line(NO_SHARED, yellow=True, bold=True)
