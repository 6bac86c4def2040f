"""Messages that say what happened: a broken compressed answer, the sandbox's request log."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
import pytest

from infobip_connector import OutcomeUnknownError, aclose_pooled_clients, component
from infobip_connector.redaction import MIN_SECRET_LENGTH
from infobip_connector.sandbox import Sandbox, SandboxServer
from infobip_connector.sandbox.server import CONNECTOR_MIN_KEY_LENGTH, EXAMPLE_KEY

from .rawserver import RawServer, answer

SMS = {
    "bulkId": "B1",
    "messages": [{"destinations": [{"to": "41793026727", "messageId": "M1"}], "text": "Hi"}],
}


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_broken_compressed_200_is_not_reported_as_a_400(encoding: str, mode: str) -> None:
    headers = {"Content-Encoding": encoding, "Content-Type": "application/json"}
    with RawServer(answer(200, b"this is not compressed at all", headers)) as server:
        connection = {"token": "compressed-key-0001", "baseUrl": server.url}

        async def run_async() -> Any:
            try:
                return await component.execute_async("sendSms", SMS, connection)
            finally:
                await aclose_pooled_clients()

        with pytest.raises(OutcomeUnknownError) as info:
            if mode == "sync":
                component.execute("sendSms", SMS, connection)
            else:
                asyncio.run(run_async())
    message = info.value.message
    assert "400" not in message, message
    assert info.value.details["messageIds"] == ["M1"]
    if mode == "async":  # httpx without a brotli package reads br bodies as they are
        assert "could not be decoded" in message


def test_the_sandbox_log_masks_its_key_in_a_path() -> None:
    key = "pathsecret999-abcdef"
    log = io.StringIO()
    with SandboxServer(Sandbox(key, deliver_reports=False), access_log=log) as server:
        for path in (f"/x/App%20{key}", f"/x/{key}/y", "/x/" + key.replace("-", "%2D")):
            httpx.get(server.url + path, headers={"Authorization": f"App {key}"})
    lines = log.getvalue()
    assert lines.count("\n") == 3
    assert "pathsecret999" not in lines


def test_the_sandbox_hints_at_the_connectors_shortest_key() -> None:
    assert CONNECTOR_MIN_KEY_LENGTH == MIN_SECRET_LENGTH
    assert len(EXAMPLE_KEY) >= MIN_SECRET_LENGTH


def test_the_sandbox_log_masks_an_authorization_value_in_a_path() -> None:
    log = io.StringIO()
    with SandboxServer(Sandbox(deliver_reports=False), access_log=log) as server:
        httpx.get(server.url + "/x/App%20unregistered-value-42/y")
    assert "unregistered-value-42" not in log.getvalue()
