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
from ..definition.texts import HTTP_URL_PATTERN, too_long, utf16_length
from ..errors import InputError, RejectedError
from ..redaction import HiddenStr
from ..request import InfobipRequest
from ..runtime.phones import normalize_phone
from ..runtime.urls import callback_url_problem, http_url_problem
from .webhook import WebhookSettings

# IDs go into URL paths; Infobip wants no character that needs encoding.
_ID = re.compile(r"[A-Za-z0-9._~-]{1,255}")
_MAX_URL = 512  # NotificationProfile.webhook.notifyUrl, in UTF-16 code units
_HTTP_URL = re.compile(HTTP_URL_PATTERN)
_MAX_RESOURCES = 255
# A short code an SMS is received on: digits only, shorter than any phone number.
_SHORT_CODE = re.compile(r"[0-9]{3,8}", re.ASCII)
_NO_SECURITY = (
    "give the webhook's settings (basicAuth or hmacSecret, as the webhook checks them), or"
    ' {"allowUnauthenticated": true} for a webhook anyone could post to'
)


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
        # The receiver refuses to run without credentials unless told so; registering
        # follows it, so a forgotten argument never opens a webhook to anyone.
        raise InputError([_problem("security", _NO_SECURITY)])
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
    """Your numbers, as Infobip matches them: international digits without ``+`` or
    separators (``+44 7860 099299`` → ``447860099299``), or a short code; each once.
    A number written any other way would never match, and the subscription never fire."""
    if resources is None:
        return None
    problems = []
    if isinstance(resources, str) or not isinstance(resources, Sequence):
        raise InputError([_problem("resources", "must be a list of numbers")])
    if len(resources) > _MAX_RESOURCES:
        problems.append(_problem("resources", f"must have at most {_MAX_RESOURCES} items"))
    numbers: list[str] = []
    first: dict[str, int] = {}
    for index, value in enumerate(resources):
        path = f"resources[{index}]"
        number, problem = _number(value)
        if problem is not None:
            problems.append(_problem(path, problem))
        elif number in first:
            problems.append(_problem(path, f"repeats resources[{first[number]}] ({number})"))
        else:
            first[number] = index
            numbers.append(number)
    if problems:
        raise InputError(problems)
    return numbers or None


def _number(value: Any) -> tuple[str, str | None]:
    """One resource in the form Infobip matches, or the problem with it."""
    if not isinstance(value, str) or not value.strip():
        return "", "must be a phone number of yours (e.g. 447860099299) or a short code"
    if _SHORT_CODE.fullmatch(value):
        return value, None
    try:
        return normalize_phone(value[:64], "possible"), None
    except ValueError as exc:
        return "", f"must be a phone number of yours in international format: {exc}"


def _url_problem(url: Any, *, basic: bool, local: bool) -> str | None:
    """Why Infobip could not (or should not) post to ``url``, or None: the checks of an
    action's ``format: http-url`` input, the profile's length limit, and where Infobip can
    post. ``basic``: Basic credentials go with each post, so plain http would show the
    password to every hop. ``local``: the connection talks to a sandbox on this machine,
    the only caller that can reach a loopback URL."""
    if not isinstance(url, str) or not _HTTP_URL.match(url):
        return "must be an http:// or https:// URL with a host and no spaces"
    problem = http_url_problem(url)
    if problem is not None:
        return f"must be an http:// or https:// URL: {problem}"
    if utf16_length(url) > _MAX_URL:
        return too_long(_MAX_URL, url)
    authority = re.split(r"[/?#]", url.split("://", 1)[1], maxsplit=1)[0]
    if "@" in authority:
        return (
            "must not hold user information (user:password@): it would be stored and shown"
            " with the URL; give the credentials as security basicAuth"
        )
    return callback_url_problem(url, local=local, basic=basic)


def _spec(trigger: Trigger) -> WebhookRegistration:
    if trigger.registration is None:
        message = f"{trigger.name} takes no webhook registration"
        raise InputError([_problem("trigger", message)])
    return trigger.registration


def register_request(
    trigger: Trigger,
    url: Any,
    security: Any,
    *,
    resources: Any = None,
    local: bool = False,
) -> tuple[Registration, InfobipRequest]:
    """The registration that will exist and the request that creates it (subscription,
    profile and security settings in one). ``security``: the trigger's ``WebhookSettings``
    (or their JSON form; ``{"allowUnauthenticated": true}`` for none). ``local``: the
    connection's base URL is this machine (a sandbox), so a loopback ``url`` is callable.
    InputError for a bad URL, resources or security; ConfigurationError for unusable
    settings."""
    spec = _spec(trigger)
    new_id = f"ibc-{uuid.uuid4().hex}"
    secured = _security(security, new_id)
    basic = secured is not None and secured["type"] == "BASIC"
    problem = _url_problem(url, basic=basic, local=local)
    if problem is not None:
        raise InputError([_problem("url", problem)])
    numbers = _resources(resources)
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
    spec = _spec(trigger)
    if not isinstance(value, Mapping):
        raise InputError([_problem("registration", "must be the object register_webhook gave")])
    problems = []
    for name in ("subscriptionId", "profileId"):
        if not isinstance(value.get(name), str) or not _ID.fullmatch(value[name]):
            problems.append(_problem(f"registration.{name}", "must be an ID register_webhook gave"))
    auth_id = value.get("authId")
    if auth_id is not None and (not isinstance(auth_id, str) or not _ID.fullmatch(auth_id)):
        problems.append(_problem("registration.authId", "must be an ID register_webhook gave"))
    if value.get("channel") != spec.channel:
        # Removing by another channel's path would delete another trigger's subscription.
        problems.append(_problem("registration.channel", f"must be {spec.channel!r}"))
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


def removal_requests(registration: Registration) -> list[tuple[str, InfobipRequest]]:
    """The requests that remove a registration, each with the part it removes, in order:
    ``subscription``, ``profile``, ``security``. Each answered 404 means already gone."""
    targets = [
        (
            "subscription",
            "/subscriptions/1/subscription/{channel}/{subscriptionId}",
            {"channel": registration.channel, "subscriptionId": registration.subscription_id},
        ),
        (
            "profile",
            "/subscriptions/1/profiles/{profileId}",
            {"profileId": registration.profile_id},
        ),
    ]
    if registration.auth_id is not None:
        targets.append(
            ("security", "/subscriptions/1/security/{authId}", {"authId": registration.auth_id})
        )
    return [
        (
            part,
            InfobipRequest(
                "DELETE", path, reference=registration.reference, path_params=params, kind="remove"
            ),
        )
        for part, path, params in targets
    ]


def already_gone(error: RejectedError) -> bool:
    """Whether a removal was refused because the item does not exist (404): removed."""
    return error.details.get("status") == 404
