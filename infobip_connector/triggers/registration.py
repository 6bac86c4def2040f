"""Registering a trigger's webhook with Infobip, and removing it: pure request builders.

Infobip delivers every event a trigger reads (inbound SMS and WhatsApp messages, SMS and
WhatsApp delivery reports, WhatsApp seen reports) through a subscription of its
Subscriptions API (https://infobip.com/docs/api/platform/subscriptions-api): a channel
(``SMS``, ``WHATSAPP``), the events wanted (``INBOUND_MESSAGE``, ``DELIVERY``, ``SEEN``) and a
notification profile holding the webhook URL and, optionally, the security settings Infobip
authenticates each post with. One ``POST /subscriptions/1/subscription/{channel}`` creates all
three, with IDs the connector chooses, so the registration can always be removed:
``DELETE`` of the subscription, then of its profile and security settings (each already gone
is fine). Inbound messages follow a subscription only where the number has no inbound
configuration of its own (Infobip's "number-specific pull or forward configuration" wins);
the README says so.

The component sends what these functions build through the one transport; nothing here does
I/O. Kinds: creating is ``send`` (it changes what Infobip does and is never repeated after an
ambiguous failure: the IDs are in the error's details, and removing them is always safe);
removing is ``remove`` (a repeat finds the item gone, so it is retried like a read).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..definition.model import Trigger, WebhookRegistration
from ..definition.texts import HTTP_URL_PATTERN
from ..errors import InputError, RejectedError
from ..redaction import HiddenStr
from ..request import InfobipRequest
from ..runtime.urls import http_url_problem
from .webhook import WebhookSettings

# IDs go into URL paths; Infobip wants no character that needs encoding.
_ID = re.compile(r"[A-Za-z0-9._~-]{1,255}")
_CHANNELS = ("SMS", "WHATSAPP")
_MAX_URL = 512  # NotificationProfile.webhook.notifyUrl
_HTTP_URL = re.compile(HTTP_URL_PATTERN)
_MAX_RESOURCES = 255


@dataclass(frozen=True)
class Registration:
    """What was registered, as plain JSON an engine keeps until the trigger is disabled.

    ``subscriptionId``, ``profileId`` and ``authId`` (None without security settings) are the
    IDs created at Infobip; ``url`` the webhook registered.
    """

    trigger: str
    channel: str
    subscription_id: str
    profile_id: str
    auth_id: str | None
    url: str

    def to_json(self) -> dict[str, Any]:
        data = {
            "trigger": self.trigger,
            "channel": self.channel,
            "subscriptionId": self.subscription_id,
            "profileId": self.profile_id,
            "url": self.url,
        }
        if self.auth_id is not None:
            data["authId"] = self.auth_id
        return data

    @property
    def reference(self) -> dict[str, Any]:
        """The IDs an error carries, so a registration whose outcome is unknown can be
        looked up or removed."""
        return {k: v for k, v in self.to_json().items() if k not in ("url",)}


def _problem(path: str, message: str) -> dict[str, str]:
    return {"path": path, "message": message}


def _security(values: Any, auth_id: str) -> dict[str, Any] | None:
    """The security settings Infobip should authenticate with, from the settings the
    webhook checks (``WebhookSettings`` or its JSON form); Infobip takes one per profile, so
    Basic and HMAC together are refused. Secrets travel as ``HiddenStr``: a repr of the
    request never shows them."""
    if values is None:
        return None
    settings = WebhookSettings.from_values(values)
    basic = settings.basic_auth
    secret = settings.hmac_secret
    if basic is not None and secret is not None:
        raise InputError(
            [
                _problem(
                    "security",
                    "Infobip authenticates a webhook with one setting: give Basic"
                    " credentials or an HMAC secret, not both",
                )
            ]
        )
    if basic is not None:
        username, password = basic
        credentials = {"username": username, "password": HiddenStr(password.get_secret_value())}
        return {"authId": auth_id, "type": "BASIC", "credentials": credentials}
    if secret is not None:
        credentials = {"secretKey": HiddenStr(secret.get_secret_value())}
        return {"authId": auth_id, "type": "HMAC", "credentials": credentials}
    return None


def _resources(resources: Any) -> list[str] | None:
    if resources is None:
        return None
    problems = []
    if isinstance(resources, str) or not isinstance(resources, Sequence):
        raise InputError([_problem("resources", "must be a list of numbers")])
    if len(resources) > _MAX_RESOURCES:
        problems.append(_problem("resources", f"must have at most {_MAX_RESOURCES} items"))
    for index, value in enumerate(resources):
        if not isinstance(value, str) or not 1 <= len(value) <= 255 or not value.strip():
            problems.append(_problem(f"resources[{index}]", "must be 1 to 255 characters"))
    if problems:
        raise InputError(problems)
    return list(resources) or None


def _url_problem(url: Any) -> str | None:
    """Why Infobip could not post to ``url``, or None: the checks of an action's
    ``format: http-url`` input, and the profile's length limit."""
    if not isinstance(url, str) or not _HTTP_URL.match(url):
        return "must be an http:// or https:// URL with a host and no spaces"
    problem = http_url_problem(url)
    if problem is not None:
        return f"must be an http:// or https:// URL: {problem}"
    if len(url) > _MAX_URL:
        return f"must be at most {_MAX_URL} characters (Infobip's limit)"
    return None


def _spec(trigger: Trigger) -> WebhookRegistration:
    if trigger.registration is None:
        message = f"{trigger.name} takes no webhook registration"
        raise InputError([_problem("trigger", message)])
    return trigger.registration


def register_request(
    trigger: Trigger,
    url: Any,
    security: Any = None,
    *,
    resources: Any = None,
) -> tuple[Registration, InfobipRequest]:
    """The registration that will exist and the request that creates it (subscription,
    profile and security settings in one). ``security``: the trigger's ``WebhookSettings``
    (or their JSON form), None for none. InputError for a bad URL, resources or security;
    ConfigurationError for unusable settings."""
    spec = _spec(trigger)
    problem = _url_problem(url)
    if problem is not None:
        raise InputError([_problem("url", problem)])
    numbers = _resources(resources)
    new_id = f"ibc-{uuid.uuid4().hex}"
    secured = _security(security, new_id)
    registration = Registration(
        trigger.name, spec.channel, new_id, new_id, new_id if secured else None, url
    )
    profile: dict[str, Any] = {"profileId": new_id, "webhook": {"notifyUrl": url}}
    if secured is not None:
        profile["security"] = secured
    body: dict[str, Any] = {
        "subscriptionId": new_id,
        "name": f"infobip-connector {trigger.name}",
        "events": list(spec.events),
        "profile": profile,
    }
    if numbers:
        body["resources"] = numbers
    request = InfobipRequest(
        "POST",
        "/subscriptions/1/subscription/{channel}",
        body,
        reference=registration.reference,
        path_params={"channel": spec.channel},
        kind="send",
    )
    return registration, request


def read_registration(value: Any, trigger: Trigger) -> Registration:
    """A registration an engine kept (``Registration.to_json``), checked: InputError naming
    ``registration.<member>`` when it is not one of ``trigger``."""
    _spec(trigger)
    if not isinstance(value, Mapping):
        raise InputError([_problem("registration", "must be the object register_webhook gave")])
    problems = []
    for name in ("subscriptionId", "profileId"):
        if not isinstance(value.get(name), str) or not _ID.fullmatch(value[name]):
            problems.append(_problem(f"registration.{name}", "must be an ID register_webhook gave"))
    auth_id = value.get("authId")
    if auth_id is not None and (not isinstance(auth_id, str) or not _ID.fullmatch(auth_id)):
        problems.append(_problem("registration.authId", "must be an ID register_webhook gave"))
    if value.get("channel") not in _CHANNELS:
        problems.append(_problem("registration.channel", "must be SMS or WHATSAPP"))
    if value.get("trigger") != trigger.name:
        problems.append(_problem("registration.trigger", f"must be {trigger.name!r}"))
    if problems:
        raise InputError(problems)
    return Registration(
        trigger.name,
        value["channel"],
        value["subscriptionId"],
        value["profileId"],
        auth_id,
        str(value.get("url", "")),
    )


def removal_requests(registration: Registration) -> list[InfobipRequest]:
    """The requests that remove a registration, in order: subscription, profile, security
    settings. Each answered 404 means already gone."""
    targets = [
        (
            "/subscriptions/1/subscription/{channel}/{subscriptionId}",
            {"channel": registration.channel, "subscriptionId": registration.subscription_id},
        ),
        ("/subscriptions/1/profiles/{profileId}", {"profileId": registration.profile_id}),
    ]
    if registration.auth_id is not None:
        targets.append(("/subscriptions/1/security/{authId}", {"authId": registration.auth_id}))
    return [
        InfobipRequest(
            "DELETE", path, reference=registration.reference, path_params=params, kind="remove"
        )
        for path, params in targets
    ]


def already_gone(error: RejectedError) -> bool:
    """Whether a removal was refused because the item does not exist (404): removed."""
    return error.details.get("status") == 404
