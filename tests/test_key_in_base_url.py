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


# An Infobip key: 32 hex digits, a dash, a UUID.
KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-8c1d2e3f-4a5b-4c6d-9e8f-7a6b5c4d3e2f"


@pytest.mark.parametrize(
    "base_url",
    [
        f"https://api.infobip.com/{KEY[:-1]}",  # all but its last character
        f"https://{KEY[:32]}.example.com",  # its 32 hex digits as a host
        f"https://api.infobip.com/a{KEY[20:36].upper()}b",  # 16 characters of it, upper-cased
    ],
)
def test_most_of_a_key_is_refused_too(base_url: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        ConnectionSettings(token=SecretStr(KEY), base_url=base_url, allow_custom_host=True)
    _refused(raised.value)
    assert KEY[:16] not in str(raised.value)


@pytest.mark.parametrize(
    "base_url",
    [
        "https://api.infobip.com",
        f"https://xyz12.api.infobip.com/{KEY[:15]}",  # 15 characters of it: too few
        "https://proxy.example.com/infobip",
    ],
)
def test_base_urls_without_a_stretch_of_the_key_are_kept(base_url: str) -> None:
    settings = ConnectionSettings(token=SecretStr(KEY), base_url=base_url, allow_custom_host=True)
    assert settings.base_url.startswith(base_url.rstrip("/"))


@pytest.mark.parametrize("token", ["//api.infobip.co", "key-for-INFOBIP-1234"])
def test_a_token_made_of_url_text_is_refused_as_one(token: str) -> None:
    # Such a token could match the fixed text of every base URL (https://, api.infobip.com).
    with pytest.raises(ConfigurationError) as raised:
        ConnectionSettings(token=SecretStr(token))
    assert [e["path"] for e in raised.value.errors] == ["token"]
    assert "looks like a URL" in raised.value.errors[0]["message"]


def test_a_token_like_infobips_domain_does_not_refuse_a_personal_base_url() -> None:
    # The scheme and api.infobip.com are not the person's to write: not looked in.
    settings = ConnectionSettings(
        token=SecretStr("abcde.api.infobi"), base_url="https://abcde.api.infobip.com"
    )
    assert settings.base_url == "https://abcde.api.infobip.com"


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
