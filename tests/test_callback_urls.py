"""URLs in an action's input that Infobip calls back (``format: callback-url``: a message's
``notifyUrl``, a link's ``trackingUrl``) follow the rules of a webhook registration's URL:
no loopback host unless the connection is a sandbox on this machine, never a private,
link-local or reserved address, credentials only over https; and their password never
shows in an error, a log line or a sandbox record."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from infobip_connector import InputError, component
from infobip_connector.definition.model import format_path, walk
from infobip_connector.sandbox import Sandbox

from .test_input_rules import _with

KEY = "sandbox-key-for-local-tests"
PASSWORD = "CB-S3CRET-PW"
LOCAL_SANDBOX = {"token": KEY, "baseUrl": "http://127.0.0.1:9"}


Field = tuple[str, tuple[str | int, ...]]


def callback_fields() -> list[Field]:
    return [
        (action.name, path)
        for action in component.definition.actions
        for path, prop in walk(action.as_property())
        if prop.format == "callback-url"
    ]


def test_every_notify_and_tracking_url_is_a_callback_url() -> None:
    declared = set(callback_fields())
    named = {
        (action.name, path)
        for action in component.definition.actions
        for path, _ in walk(action.as_property())
        if path and str(path[-1]) in ("notifyUrl", "trackingUrl")
    }
    assert named and named == declared


def field_id(field: Field) -> str:
    return f"{field[0]}:{format_path(field[1])}"


REFUSED = {
    "http://127.0.0.1:8080/x": "loopback",
    "https://localhost/x": "loopback",
    "https://[::1]/x": "loopback",
    "https://10.0.0.5/x": "private",
    "http://169.254.169.254/latest": "private",
    "https://[fe80::1]/x": "private",
    "https://192.168.1.1/x": "private",
    f"http://user:{PASSWORD}@hooks.example.com/x": "https://",
}


@pytest.mark.parametrize("field", callback_fields(), ids=field_id)
@pytest.mark.parametrize("url", sorted(REFUSED))
def test_urls_infobip_cannot_or_should_not_call_are_refused(
    field: tuple[str, str], url: str
) -> None:
    values, where = _with(*field, url)
    with pytest.raises(InputError) as caught:
        component.validate_input(field[0], values)
    mine = [e for e in caught.value.errors if e["path"] == where]
    assert len(mine) == 1 and REFUSED[url] in mine[0]["message"], caught.value.errors
    assert PASSWORD not in str(caught.value.to_dict()) + caught.value.message


@pytest.mark.parametrize("field", callback_fields(), ids=field_id)
@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/x",
        "http://hooks.example.com/x",
        f"https://user:{PASSWORD}@hooks.example.com/x",
        "https://203.0.113.9.nip.io/x",
    ],
)
def test_public_urls_pass(field: tuple[str, str], url: str) -> None:
    values, _ = _with(*field, url)
    component.validate_input(field[0], values)


def sms(url: str) -> dict[str, Any]:
    return {"messages": [{"destinations": [{"to": "41793026727"}], "text": "x", "notifyUrl": url}]}


def test_a_send_to_infobip_refuses_a_loopback_notify_url_and_sends_nothing() -> None:
    with pytest.raises(InputError) as caught:
        component.execute(
            "sendSms",
            sms("http://127.0.0.1:9/dr"),
            {"token": KEY, "baseUrl": "https://api.infobip.com"},
            transport=httpx.MockTransport(never),
        )
    assert caught.value.errors[0]["path"] == "messages[0].notifyUrl"


@pytest.mark.parametrize("connection", [{"token": KEY}, LOCAL_SANDBOX])
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_a_sandbox_on_this_machine_may_call_back_a_loopback_url(
    connection: dict[str, str], host: str
) -> None:
    # The in-process sandbox (first) and one at a loopback baseUrl can post to this machine.
    sandbox = Sandbox(deliver_reports=False)
    answer = component.execute(
        "sendSms", sms(f"http://{host}:9/dr"), connection, transport=sandbox.transport()
    )
    assert answer["messages"][0]["status"]["groupName"] == "PENDING"
    assert len(sandbox.requests) == 1


def test_registration_and_actions_share_the_rules() -> None:
    for url, word in REFUSED.items():
        if "@" in url:
            continue  # a webhook takes credentials in security, never in its URL
        with pytest.raises(InputError) as caught:
            component.register_webhook(
                "newInboundSms",
                url,
                {"token": KEY, "baseUrl": "https://api.infobip.com"},
                security={"allowUnauthenticated": True},
                transport=httpx.MockTransport(never),
            )
        assert word in caught.value.errors[0]["message"]


def never(request: httpx.Request) -> httpx.Response:
    raise AssertionError("nothing may be sent")
