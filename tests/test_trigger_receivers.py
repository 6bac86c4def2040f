"""Each webhook receiver keeps its own repeat window; settings fail closed however made;
a host can give events back to the window when it could not use them."""

from __future__ import annotations

import copy
import pickle

import pytest

from infobip_connector import Component
from infobip_connector.errors import ConfigurationError
from infobip_connector.triggers.recent import RecentKeys
from infobip_connector.triggers.webhook import MAX_RESULTS, WebhookRequest, WebhookSettings

from .trigger_support import HMAC, SECRET, answer, basic, signed

OTHER = WebhookSettings(hmac_secret="another-receivers-secret")


def test_two_receivers_of_one_trigger_each_get_the_event() -> None:
    component = Component()
    body = {"results": [{"messageId": "shared-1", "text": "hi"}]}
    first = component.handle_webhook("newInboundSms", signed(body), HMAC)
    second = component.handle_webhook(
        "newInboundSms", signed(body, secret="another-receivers-secret"), OTHER
    )
    assert (len(first.events), len(second.events)) == (1, 1)
    # Each receiver still returns its own repeats once.
    assert component.handle_webhook("newInboundSms", signed(body), HMAC).events == []


@pytest.mark.parametrize(
    "other",
    [
        {"hmacSecret": SECRET, "maxBodyBytes": 1000},
        {"basicAuth": {"username": "infobip", "password": "basic-password-93ab"}},
        {"allowUnauthenticated": True},
    ],
)
def test_receivers_whose_settings_differ_in_anything_never_share_a_window(other: dict) -> None:
    component = Component()
    body = {"results": [{"messageId": "shared-2"}]}
    assert len(component.handle_webhook("newInboundSms", signed(body), HMAC).events) == 1
    request = basic(body) if "basicAuth" in other else signed(body)
    assert len(component.handle_webhook("newInboundSms", request, other).events) == 1


def test_a_body_of_too_many_results_is_refused_and_evicts_nothing() -> None:
    seen = RecentKeys()
    kept = {"results": [{"messageId": "kept-1"}]}
    assert len(answer("newInboundSms", signed(kept), seen=seen).events) == 1
    flood = {"results": [{"messageId": f"n{i}"} for i in range(MAX_RESULTS + 1)]}
    refused = answer("newInboundSms", signed(flood), seen=seen)
    assert refused.status == 413 and refused.events == []
    assert answer("newInboundSms", signed(kept), seen=seen).events == []


def _without_secret_by_setattr() -> WebhookSettings:
    settings = copy.copy(HMAC)
    object.__setattr__(settings, "hmac_secret", None)
    return settings


def _without_secret_by_pickle() -> WebhookSettings:
    data = pickle.dumps(HMAC).replace(b"hmac_secret", b"hmac_secreX")
    settings: WebhookSettings = pickle.loads(data)
    return settings


def _wrong_typed_secret() -> WebhookSettings:
    settings = copy.copy(HMAC)
    object.__setattr__(settings, "hmac_secret", 12345)
    return settings


def _allow_as_text() -> WebhookSettings:
    settings = WebhookSettings(allow_unauthenticated=True)
    object.__setattr__(settings, "allow_unauthenticated", "yes")
    return settings


@pytest.mark.parametrize(
    "make",
    [_without_secret_by_setattr, _without_secret_by_pickle, _wrong_typed_secret, _allow_as_text],
)
def test_settings_changed_after_construction_fail_closed(make) -> None:  # type: ignore[no-untyped-def]
    settings = make()
    forged = WebhookRequest(
        "POST", {"Content-Type": "application/json"}, b'{"results":[{"messageId":"forged"}]}'
    )
    with pytest.raises(ConfigurationError) as caught:
        answer("newInboundSms", forged, settings)
    assert SECRET not in str(caught.value.to_dict())


def test_released_events_are_returned_by_infobips_retry() -> None:
    component = Component()
    body = {"results": [{"messageId": "m-commit"}, {"messageId": "m-other"}]}
    first = component.handle_webhook("newInboundSms", signed(body), HMAC)
    assert len(first.events) == 2
    first.release()  # the host could not start the workflows; it answers 5xx
    retry = component.handle_webhook("newInboundSms", signed(body), HMAC)
    assert [e["messageId"] for e in retry.events] == ["m-commit", "m-other"]
    assert component.handle_webhook("newInboundSms", signed(body), HMAC).events == []


def test_release_forgets_only_the_answers_own_events() -> None:
    seen = RecentKeys()
    one = {"results": [{"messageId": "r-1"}]}
    both = {"results": [{"messageId": "r-1"}, {"messageId": "r-2"}]}
    answer("newInboundSms", signed(one), seen=seen)
    second = answer("newInboundSms", signed(both), seen=seen)
    assert [e["messageId"] for e in second.events] == ["r-2"]
    second.release()
    again = answer("newInboundSms", signed(both), seen=seen)
    assert [e["messageId"] for e in again.events] == ["r-2"]


def test_answers_carry_the_headers_a_compliant_answer_needs() -> None:
    settings = WebhookSettings(basic_auth=("infobip", "basic-password-93ab"))
    body = {"results": [{"messageId": "h-1"}]}
    unauthenticated = answer("newInboundSms", signed(body), settings)
    assert unauthenticated.status == 401
    assert unauthenticated.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert answer("newInboundSms", signed(body)).headers["Content-Type"] == "application/json"
    assert answer("newInboundSms", signed("{")).headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("request_", "path"),
    [
        (signed("{", secret=SECRET), "request.body"),
        (signed(b"<r/>", kind="text/plain"), "request.headers.content-type"),
        (signed({"results": []}, method="GET"), "request.method"),
    ],
)
def test_every_refusal_of_a_request_names_its_path(request_: WebhookRequest, path: str) -> None:
    refused = answer("newInboundSms", request_)
    assert refused.error is not None
    assert refused.error["details"]["errors"][0]["path"] == path
