"""Shared helpers for the sandbox endpoint tests: a movable clock, clients over the in-process
transport and over a real socket, and validation against the kept OpenAPI slices."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema

from infobip_connector.sandbox import Sandbox, SandboxServer

SLICES = Path(__file__).resolve().parent / "fixtures" / "openapi"
KEY = "sandbox-key-2718"
# 2026-11-30T12:00:00Z, the sandbox's "now" in these tests unless moved.
START = 1_796_040_000.0


class Clock:
    """Epoch seconds that only move when a test moves them."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def conforms(slice_name: str, body: Any) -> None:
    schema = json.loads((SLICES / slice_name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(body)


def client_for(sandbox: Sandbox, mode: str) -> Iterator[httpx.Client]:
    """A client of ``sandbox`` over its transport (``"transport"``) or a socket server."""
    headers = {"Authorization": f"App {KEY}"}
    if mode == "transport":
        with httpx.Client(
            transport=sandbox.transport(), base_url="https://api.infobip.com", headers=headers
        ) as client:
            yield client
        return
    with (
        SandboxServer(sandbox) as server,
        httpx.Client(base_url=server.url, headers=headers) as client,
    ):
        yield client
