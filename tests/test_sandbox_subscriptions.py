"""The sandbox's Subscriptions API: registering a webhook, Infobip's answers to bad bodies,
and removing what was registered; over the in-process transport and a socket."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from infobip_connector.sandbox import Sandbox

from .sandbox_support import client_for

MODES = ["transport", "server"]


@pytest.fixture(params=MODES)
def http(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    yield from client_for(Sandbox(report_delay=0.0), request.param)


def subscription(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subscriptionId": "replies-1",
        "name": "Replies",
        "events": ["INBOUND_MESSAGE"],
        "profile": {
            "profileId": "replies-profile",
            "webhook": {"notifyUrl": "http://127.0.0.1:9/hook"},
            "security": {
                "authId": "replies-auth",
                "type": "HMAC",
                "credentials": {"secretKey": "s3cret-for-tests"},
            },
        },
    }
    body.update(changes)
    return body


def errors(response: httpx.Response) -> dict[str, list[str]]:
    exception = response.json()["requestError"]["serviceException"]
    problems: dict[str, list[str]] = exception.get("validationErrors", {})
    return problems


def test_a_subscription_round_trip(http: httpx.Client) -> None:
    created = http.post("/subscriptions/1/subscription/SMS", json=subscription())
    assert created.status_code == 201
    ids = {"profileId": "replies-profile", "security": {"authId": "replies-auth"}}
    assert created.json()["subscriptionId"] == "replies-1"
    assert created.json()["profile"] == ids
    shown = http.get("/subscriptions/1/subscription/SMS/replies-1")
    assert shown.status_code == 200
    assert shown.json()["events"] == ["INBOUND_MESSAGE"]
    assert "credentials" not in shown.text and "s3cret" not in shown.text
    # Another channel is another subscription space.
    assert http.get("/subscriptions/1/subscription/WHATSAPP/replies-1").status_code == 404
    deleted = http.delete("/subscriptions/1/subscription/SMS/replies-1")
    assert deleted.status_code == 200
    assert deleted.json() == {"subscriptionId": "replies-1", "profile": ids}
    gone = http.delete("/subscriptions/1/subscription/SMS/replies-1")
    assert gone.status_code == 404
    assert gone.json()["requestError"]["serviceException"]["messageId"] == "NOT_FOUND"
    # The profile and its security settings outlive the subscription until deleted.
    assert http.delete("/subscriptions/1/security/replies-auth").status_code == 400
    assert http.delete("/subscriptions/1/profiles/replies-profile").json() == ids
    assert http.delete("/subscriptions/1/security/replies-auth").json() == {
        "authId": "replies-auth"
    }
    assert http.delete("/subscriptions/1/profiles/replies-profile").status_code == 404
    assert http.delete("/subscriptions/1/security/replies-auth").status_code == 404


def test_a_profile_in_use_cannot_be_deleted_and_can_be_shared(http: httpx.Client) -> None:
    assert http.post("/subscriptions/1/subscription/SMS", json=subscription()).status_code == 201
    second = subscription(subscriptionId="reports-1", profile={"profileId": "replies-profile"})
    second["events"] = ["DELIVERY"]
    assert http.post("/subscriptions/1/subscription/SMS", json=second).status_code == 201
    refused = http.delete("/subscriptions/1/profiles/replies-profile")
    assert refused.status_code == 400
    assert errors(refused) == {"profileId": ["the profile is used by a subscription"]}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"subscriptionId": "with space"}, "subscriptionId"),
        ({"subscriptionId": "x" * 256}, "subscriptionId"),
        ({"events": None}, "events"),
        ({"events": ["SEEN"]}, "events"),
        ({"events": "INBOUND_MESSAGE"}, "events"),
        ({"criteria": [{"applicationId": 5}]}, "criteria[0].applicationId"),
        ({"unknown": 1}, "unknown"),
        ({"profile": None}, "profile"),
        ({"profile": {"webhook": {"notifyUrl": "http://127.0.0.1:9/"}}}, "profile.profileId"),
        ({"profile": {"profileId": "p", "webhook": {}}}, "profile.webhook.notifyUrl"),
        (
            {"profile": {"profileId": "p", "webhook": {"notifyUrl": "x" * 513}}},
            "profile.webhook.notifyUrl",
        ),
    ],
)
def test_bad_subscriptions_are_refused_by_path(
    http: httpx.Client, changes: dict[str, Any], expected: str
) -> None:
    response = http.post("/subscriptions/1/subscription/SMS", json=subscription(**changes))
    assert response.status_code == 400
    assert expected in errors(response), errors(response)
    assert http.get("/subscriptions/1/subscription/SMS/replies-1").status_code == 404


@pytest.mark.parametrize(
    ("security", "expected"),
    [
        ({"authId": "a", "type": "HMAC", "credentials": {}}, "credentials.secretKey"),
        (
            {"authId": "a", "type": "BASIC", "credentials": {"username": "u"}},
            "credentials.password",
        ),
        (
            {"authId": "a", "type": "BASIC", "credentials": {"secretKey": "k"}},
            "credentials.secretKey",
        ),
        ({"authId": "a", "credentials": {"secretKey": "k"}}, "type"),
        ({"authId": "a", "type": "OAUTH", "credentials": {}}, "type"),
        ({"authId": "a", "type": "SHA1", "credentials": {}}, "type"),
    ],
)
def test_security_settings_must_fit_their_type(
    http: httpx.Client, security: dict[str, Any], expected: str
) -> None:
    body = subscription()
    body["profile"]["security"] = security
    response = http.post("/subscriptions/1/subscription/SMS", json=body)
    assert response.status_code == 400
    assert f"profile.security.{expected}" in errors(response), errors(response)


def test_unknown_channels_ids_and_references(http: httpx.Client) -> None:
    unknown = http.post("/subscriptions/1/subscription/PIGEON", json=subscription())
    assert unknown.status_code == 400 and "channel" in errors(unknown)
    missing_profile = subscription(profile={"profileId": "nobody"})
    assert http.post("/subscriptions/1/subscription/SMS", json=missing_profile).status_code == 404
    missing_auth = subscription()
    missing_auth["profile"]["security"] = {"authId": "nobody"}
    assert http.post("/subscriptions/1/subscription/SMS", json=missing_auth).status_code == 404
    assert http.post("/subscriptions/1/subscription/SMS", json=subscription()).status_code == 201
    again = http.post("/subscriptions/1/subscription/SMS", json=subscription())
    assert again.status_code == 400
    assert set(errors(again)) == {"subscriptionId", "profile.profileId", "profile.security.authId"}


def test_registration_needs_the_key(http: httpx.Client) -> None:
    response = http.post(
        "/subscriptions/1/subscription/SMS",
        json=subscription(),
        headers={"Authorization": "Basic x"},
    )
    assert response.status_code == 401
