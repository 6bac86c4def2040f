"""A base URL that holds the API key is refused: the key leaves only in the Authorization header.

In a URL the key would travel in the request line, to the host and to every log of paths
on the way (a proxy's, the sandbox's record). Refused by the settings' check, so on every
path a settings object takes: connection values, constructed, changed in place.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from infobip_connector import ConfigurationError, ConnectionSettings, component
from infobip_connector.sandbox import Sandbox, SandboxServer
from infobip_connector.transport.secret import SecretStr

from .conftest import CANARY

VALUES = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hello"}]}
TOLD = {"path": "baseUrl", "message": "must not hold the API key"}


def _refused(error: ConfigurationError) -> None:
    assert [(e["path"], e["message"].split(":")[0]) for e in error.errors] == [
        (TOLD["path"], TOLD["message"])
    ]
    assert CANARY.lower() not in str(error).lower()


@pytest.mark.parametrize(
    "path",
    [f"/{CANARY}", f"/proxy/{CANARY.upper()}", f"/x{CANARY.lower()}y", f"/{CANARY}/infobip"],
)
def test_a_key_in_the_path_is_refused(server: SandboxServer, path: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        ConnectionSettings(token=SecretStr(CANARY), base_url=server.url + path)
    _refused(raised.value)


def test_a_key_in_the_host_is_refused() -> None:
    with pytest.raises(ConfigurationError) as raised:
        ConnectionSettings(
            token=SecretStr(CANARY),
            base_url=f"https://{CANARY.lower()}.example.com",
            allow_custom_host=True,
        )
    _refused(raised.value)


def test_connection_values_holding_it_send_nothing(sandbox: Sandbox, server: SandboxServer) -> None:
    connection = {"token": CANARY, "baseUrl": f"{server.url}/{CANARY}"}
    with pytest.raises(ConfigurationError) as raised:
        component.execute("sendSms", VALUES, connection)
    _refused(raised.value)

    async def run() -> Any:
        return await component.execute_async("sendSms", VALUES, connection)

    with pytest.raises(ConfigurationError) as raised:
        asyncio.run(run())
    _refused(raised.value)
    assert sandbox.requests == []


def test_settings_changed_in_place_to_hold_it_send_nothing(server: SandboxServer) -> None:
    sandbox = Sandbox()
    with SandboxServer(sandbox) as own:
        settings = ConnectionSettings(token=SecretStr(CANARY), base_url=own.url)
        component.execute("sendSms", VALUES, settings)  # checked and known once
        object.__setattr__(settings, "base_url", f"{own.url}/{CANARY}")
        with pytest.raises(ConfigurationError) as raised:
            component.execute("sendSms", VALUES, settings)
        _refused(raised.value)
        assert len(sandbox.requests) == 1


def test_a_base_url_without_it_is_kept(server: SandboxServer) -> None:
    # A path of one's own (a proxy) stays usable; only the key itself is refused.
    settings = ConnectionSettings(token=SecretStr(CANARY), base_url=f"{server.url}/proxy/infobip")
    assert settings.base_url.endswith("/proxy/infobip")
