"""Shared by the action test files: a transport that records what the connector put on the
wire (method, path, query pairs, body) and what came back, in front of a sandbox."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import jsonschema

from infobip_connector import InputError, component
from infobip_connector.sandbox import Sandbox
from infobip_connector.transport import exchange

from .sandbox_support import KEY

CONNECTION = {"token": KEY, "baseUrl": "https://api.infobip.com"}


@dataclass(frozen=True)
class Exchange:
    """One request as it left the connector and the answer it got."""

    method: str
    path: str
    query: list[tuple[str, str]]
    raw_query: str
    body: Any
    status: int
    answer: Any


class Recorder(httpx.BaseTransport):
    """Passes every request to the sandbox's in-process transport and keeps both sides."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._inner = sandbox.transport()
        self.exchanges: list[Exchange] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raw = request.read()
        response = self._inner.handle_request(request)
        content = response.read()
        url = urlsplit(str(request.url))
        self.exchanges.append(
            Exchange(
                request.method,
                url.path,
                parse_qsl(url.query, keep_blank_values=True),
                url.query,
                json.loads(raw) if raw else None,
                response.status_code,
                json.loads(content) if content else None,
            )
        )
        return httpx.Response(response.status_code, headers=response.headers, content=content)


def fast_retries(monkeypatch: Any) -> None:
    """Retries without their real back-off, so the fault tests stay quick."""
    monkeypatch.setattr(exchange, "BACKOFF_BASE", 0.01)


def send_sms(sandbox: Sandbox, *destinations: str, **message: Any) -> dict[str, Any]:
    """Send one SMS message to ``destinations`` through the connector; its output."""
    values = {"messages": [{"destinations": [{"to": to} for to in destinations], **message}]}
    output: dict[str, Any] = component.execute(
        "sendSms", values, CONNECTION, transport=sandbox.transport()
    )
    return output


def run(action: str, values: dict[str, Any], sandbox: Sandbox) -> tuple[Any, Exchange]:
    """Execute ``action`` against ``sandbox``; the output and the one exchange it made."""
    recorder = Recorder(sandbox)
    output = component.execute(action, values, CONNECTION, transport=recorder)
    (exchange,) = recorder.exchanges
    return output, exchange


def refused_at(action: str, values: dict[str, Any], sandbox: Sandbox) -> list[str]:
    """The paths an ``InputError`` names for ``values``; fails if anything was sent."""
    try:
        run(action, values, sandbox)
    except InputError as exc:
        assert sandbox.requests == []
        return [e["path"] for e in exc.errors]
    raise AssertionError(f"{action} accepted {values!r}")


def matches_output(action: str, output: Any) -> None:
    """``output`` is valid against the action's declared output schema."""
    jsonschema.Draft202012Validator(component.output_schema(action)).validate(output)
