"""What register_webhook / unregister_webhook refuse or report, against the sandbox: URLs
Infobip could not (or should not) post to, security given explicitly, numbers as Infobip
matches them, a registration of another channel, and what was already gone."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.errors import InputError
from infobip_connector.sandbox import Sandbox

CONNECTION = {"token": "sandbox-key-for-local-tests", "baseUrl": "https://api.infobip.com"}
LOCAL = {"token": "sandbox-key-for-local-tests", "baseUrl": "http://127.0.0.1:9"}
URL = "https://hooks.example.com/infobip/inbound"
BASIC = {"basicAuth": {"username": "infobip", "password": "BASIC-PW"}}
OPEN = {"allowUnauthenticated": True}


def refused(connection: dict[str, Any], url: Any, security: Any, **more: Any) -> InputError:
    sandbox = Sandbox(deliver_reports=False)
    with pytest.raises(InputError) as caught:
        component.register_webhook(
            "newInboundSms",
            url,
            connection,
            security=security,
            transport=sandbox.transport(),
            **more,
        )
    assert sandbox.requests == []
    return caught.value


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",  # Basic over plain http: the password in clear text
        "http://127.0.0.1:8080/x",  # loopback: only a local sandbox can call it
        "https://localhost/x",
        "https://hooks.localhost/x",
        "https://[::1]/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://10.0.0.5/x",  # RFC 1918
        "https://192.168.1.1/x",
        "http://169.254.169.254/latest",  # link-local (cloud metadata)
        "https://[fe80::1]/x",
        "https://0.0.0.0/x",
        "https://100.64.0.1/x",  # shared address space
        "https://user:pass@hooks.example.com/x",  # credentials in the URL
        "https://user@hooks.example.com/x",
    ],
)
def test_urls_infobip_could_not_or_should_not_post_to_are_refused(url: str) -> None:
    error = refused(CONNECTION, url, BASIC)
    assert [e["path"] for e in error.errors] == ["url"]
    assert "pass@" not in error.message and "BASIC-PW" not in error.message


def test_where_infobip_can_post_is_accepted() -> None:
    sandbox = Sandbox(deliver_reports=False)
    transport = sandbox.transport()
    hmac = {"hmacSecret": "hmac-secret-for-tests"}
    for connection, url, security in [
        (CONNECTION, "https://hooks.example.com/x", BASIC),
        (CONNECTION, "http://hooks.example.com/x", hmac),  # the secret never travels
        (CONNECTION, "https://203.0.113.7.nip.io/x", BASIC),  # a name: Infobip resolves it
        (LOCAL, "http://127.0.0.1:8080/x", BASIC),  # a sandbox on this machine posts there
        (LOCAL, "http://localhost:8080/x", hmac),
    ]:
        component.register_webhook(
            "newInboundSms", url, connection, security=security, transport=transport
        )
    assert len(sandbox.subscriptions.subscriptions) == 5


def test_a_local_sandbox_still_cannot_post_to_a_private_address() -> None:
    error = refused(LOCAL, "http://10.1.2.3/x", OPEN)
    assert [e["path"] for e in error.errors] == ["url"]


def test_security_must_be_given_or_waived_explicitly() -> None:
    error = refused(CONNECTION, URL, None)
    assert [e["path"] for e in error.errors] == ["security"]
    assert "allowUnauthenticated" in error.message
    sandbox = Sandbox(deliver_reports=False)
    registration = component.register_webhook(
        "newInboundSms", URL, CONNECTION, security=OPEN, transport=sandbox.transport()
    )
    assert "authId" not in registration


def test_resources_are_numbers_as_infobip_matches_them() -> None:
    sandbox = Sandbox(deliver_reports=False)
    component.register_webhook(
        "newInboundSms",
        URL,
        CONNECTION,
        security=OPEN,
        resources=["+44 7860 099299", "0041 79 302 67 27", "12345"],
        transport=sandbox.transport(),
    )
    (kept,) = sandbox.subscriptions.subscriptions.values()
    assert kept["resources"] == ["447860099299", "41793026727", "12345"]


@pytest.mark.parametrize(
    ("resources", "paths"),
    [
        (["abc\n"], ["resources[0]"]),
        (["447860099299", "+44 7860 099299"], ["resources[1]"]),
        (["447860099299", 447860099299], ["resources[1]"]),
        (["44 7860\u0000099299"], ["resources[0]"]),
        ([" "], ["resources[0]"]),
    ],
)
def test_resources_that_would_never_match_are_refused(
    resources: list[Any], paths: list[str]
) -> None:
    error = refused(CONNECTION, URL, OPEN, resources=resources)
    assert [e["path"] for e in error.errors] == paths


def test_a_registration_of_another_channel_removes_nothing() -> None:
    sandbox = Sandbox(deliver_reports=False)
    transport = sandbox.transport()
    whatsapp = component.register_webhook(
        "newInboundWhatsappMessage", URL, CONNECTION, security=OPEN, transport=transport
    )
    with pytest.raises(InputError) as caught:
        foreign = {**whatsapp, "trigger": "newInboundSms"}
        component.unregister_webhook("newInboundSms", foreign, CONNECTION, transport=transport)
    assert [e["path"] for e in caught.value.errors] == ["registration.channel"]
    assert len(sandbox.subscriptions.subscriptions) == 1
    assert not any(r.method == "DELETE" for r in sandbox.requests)


def test_unregistering_says_what_was_removed_and_what_was_already_gone() -> None:
    sandbox = Sandbox(deliver_reports=False)
    transport = sandbox.transport()
    hmac = {"hmacSecret": "hmac-secret-for-tests"}
    registration = component.register_webhook(
        "smsDeliveryReport", URL, CONNECTION, security=hmac, transport=transport
    )
    first = component.unregister_webhook(
        "smsDeliveryReport", registration, CONNECTION, transport=transport
    )
    assert first == {"removed": ["subscription", "profile", "security"], "alreadyGone": []}
    again = component.unregister_webhook(
        "smsDeliveryReport", registration, CONNECTION, transport=transport
    )
    assert again == {"removed": [], "alreadyGone": ["subscription", "profile", "security"]}


def test_the_url_length_is_counted_in_utf16_code_units_as_infobip_counts() -> None:
    base = "https://hooks.example.com/"
    emoji = "\U0001f600"
    fits = base + emoji * ((512 - len(base)) // 2)  # 512 code units, 269 code points
    too_long = fits + emoji  # 514 code units, 270 code points
    error = refused(CONNECTION, too_long, BASIC)
    assert [e["path"] for e in error.errors] == ["url"]
    assert "got 514" in error.errors[0]["message"]
    sandbox = Sandbox(deliver_reports=False)
    component.register_webhook(
        "newInboundSms", fits, CONNECTION, security=BASIC, transport=sandbox.transport()
    )


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        ({"basicAuth": {"username": "\U0001f600" * 128, "password": "pw"}}, "basicAuth.username"),
        (
            {"basicAuth": {"username": "infobip", "password": "\U0001f600" * 128}},
            "basicAuth.password",
        ),
        ({"hmacSecret": "\U0001f600" * 2049}, "hmacSecret"),
    ],
)
def test_credential_lengths_are_counted_in_utf16_code_units(
    settings: dict[str, Any], path: str
) -> None:
    # 128 emoji are 256 UTF-16 code units: over Infobip's 255, though 128 code points.
    from infobip_connector import ConfigurationError, WebhookSettings

    with pytest.raises((ConfigurationError, InputError)) as caught:
        WebhookSettings.from_values(settings)
    assert [e["path"] for e in caught.value.errors] == [path]
