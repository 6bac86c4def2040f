"""Subscriptions the sandbox refuses because they could never post as meant: no events, an
event twice, Basic credentials RFC 7617 cannot carry (a ':' in the user-id, control
characters). Each is a 400 naming the field, and nothing is kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from infobip_connector.sandbox import Sandbox

from .sandbox_support import client_for
from .test_sandbox_subscriptions import errors, subscription


@pytest.fixture(params=["transport", "server"])
def sandbox_http(request: pytest.FixtureRequest) -> Iterator[tuple[Sandbox, httpx.Client]]:
    sandbox = Sandbox(report_delay=0.0)
    for http in client_for(sandbox, request.param):
        yield sandbox, http


def basic(username: str, password: str) -> dict[str, Any]:
    body = subscription()
    body["profile"]["security"] = {
        "authId": "replies-auth",
        "type": "BASIC",
        "credentials": {"username": username, "password": password},
    }
    return body


CREDENTIALS = "profile.security.credentials"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (subscription(events=[]), "events"),
        (subscription(events=["INBOUND_MESSAGE", "INBOUND_MESSAGE"]), "events"),
        (basic("a:b", "pw"), f"{CREDENTIALS}.username"),
        (basic("user\r\n", "pw"), f"{CREDENTIALS}.username"),
        (basic("user", "p\x00w"), f"{CREDENTIALS}.password"),
    ],
)
def test_subscriptions_that_could_never_post_as_meant_are_refused(
    sandbox_http: tuple[Sandbox, httpx.Client], body: dict[str, Any], path: str
) -> None:
    sandbox, http = sandbox_http
    answer = http.post("/subscriptions/1/subscription/SMS", json=body)
    assert answer.status_code == 400
    assert path in errors(answer)
    assert sandbox.subscriptions.subscriptions == {} and sandbox.subscriptions.profiles == {}


def test_basic_credentials_rfc_7617_can_carry_are_kept(
    sandbox_http: tuple[Sandbox, httpx.Client],
) -> None:
    sandbox, http = sandbox_http
    answer = http.post("/subscriptions/1/subscription/SMS", json=basic("user name", "p:w ü"))
    assert answer.status_code == 201
    assert sandbox.subscriptions.security["replies-auth"]["credentials"]["password"] == "p:w ü"
