"""Handlers of Infobip's Subscriptions API (``/subscriptions/1/...``): create, read and delete
a subscription, delete a notification profile and security settings.

Bodies are checked as Infobip describes them (``sandbox/subscriptions.py``); problems are a 400
``BAD_REQUEST`` with ``validationErrors`` by path, an unknown ID a 404, and a profile or
security settings still used a 400, all in Infobip's ``requestError.serviceException`` body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import wire
from .routes import Answer, Request
from .subscriptions import EVENTS, SUBSCRIPTION
from .validation import Errors, validate

if TYPE_CHECKING:
    from .core import Sandbox


def _bad_request(problems: Errors) -> Answer:
    return Answer(400, wire.error_body(400, problems), "bad_request")


def _not_found(what: str) -> Answer:
    body = {"requestError": {"serviceException": {"messageId": "NOT_FOUND", "text": what}}}
    return Answer(404, body, "not_found")


def _channel(request: Request) -> str | None:
    channel = request.path_params["channel"]
    return channel if channel in EVENTS else None


def _unknown_channel() -> Answer:
    return _bad_request({"channel": ["must be one of: " + ", ".join(EVENTS)]})


def create_subscription(sandbox: Sandbox, request: Request) -> Answer:
    """``POST /subscriptions/1/subscription/{channel}``: 201 with the IDs kept."""
    channel = _channel(request)
    if channel is None:
        return _unknown_channel()
    problems = validate(SUBSCRIPTION, request.body)
    if problems:
        return _bad_request(problems)
    status, problems = sandbox.subscriptions.conflicts(channel, request.body)
    if problems:
        if status == 404:
            return _not_found("; ".join(f"{k}: {v[0]}" for k, v in problems.items()))
        return _bad_request(problems)
    return Answer(201, sandbox.subscriptions.create(channel, request.body), "created")


def _found(sandbox: Sandbox, request: Request) -> tuple[str, dict[str, Any]] | Answer:
    channel = _channel(request)
    if channel is None:
        return _unknown_channel()
    key = (channel, request.path_params["subscriptionId"])
    subscription = sandbox.subscriptions.subscriptions.get(key)
    if subscription is None:
        return _not_found("Subscription not found")
    return channel, subscription


def get_subscription(sandbox: Sandbox, request: Request) -> Answer:
    """``GET /subscriptions/1/subscription/{channel}/{subscriptionId}``."""
    found = _found(sandbox, request)
    if isinstance(found, Answer):
        return found
    return Answer(200, sandbox.subscriptions.summary(found[1]), "ok")


def delete_subscription(sandbox: Sandbox, request: Request) -> Answer:
    """``DELETE /subscriptions/1/subscription/{channel}/{subscriptionId}``: 200 with the IDs
    of the subscription removed (its profile and security settings stay, as with Infobip)."""
    found = _found(sandbox, request)
    if isinstance(found, Answer):
        return found
    channel, subscription = found
    answer = sandbox.subscriptions.summary(subscription)
    del sandbox.subscriptions.subscriptions[(channel, subscription["subscriptionId"])]
    shown = {"subscriptionId": answer["subscriptionId"], "profile": answer["profile"]}
    return Answer(200, shown, "deleted")


def delete_profile(sandbox: Sandbox, request: Request) -> Answer:
    """``DELETE /subscriptions/1/profiles/{profileId}``; refused while a subscription uses
    the profile."""
    book = sandbox.subscriptions
    profile_id = request.path_params["profileId"]
    profile = book.profiles.get(profile_id)
    if profile is None:
        return _not_found("Profile not found")
    if book.profile_in_use(profile_id):
        return _bad_request({"profileId": ["the profile is used by a subscription"]})
    del book.profiles[profile_id]
    shown: dict[str, Any] = {"profileId": profile_id}
    if profile.get("authId"):
        shown["security"] = {"authId": profile["authId"]}
    return Answer(200, shown, "deleted")


def delete_security(sandbox: Sandbox, request: Request) -> Answer:
    """``DELETE /subscriptions/1/security/{authId}``; refused while a profile uses them."""
    book = sandbox.subscriptions
    auth_id = request.path_params["authId"]
    if auth_id not in book.security:
        return _not_found("Security settings not found")
    if book.security_in_use(auth_id):
        return _bad_request({"authId": ["the security settings are used by a profile"]})
    del book.security[auth_id]
    return Answer(200, {"authId": auth_id}, "deleted")
