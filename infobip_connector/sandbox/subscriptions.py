"""The account's subscriptions, notification profiles and security settings (Infobip's
Subscriptions API, ``/subscriptions/1/...``), and which webhooks an event goes to.

A subscription names a channel, the events it wants (``DELIVERY``, ``SEEN``,
``INBOUND_MESSAGE``...), optional filters (``resources``: the account's numbers;
``criteria``: application and entity pairs) and a notification profile: the webhook URL and,
optionally, security settings that say how each post is authenticated
(``sandbox/signing.py``). A subscription may define its profile and security settings inline
(they are created with it) or name existing ones by ID. Not thread-safe: the sandbox's lock
guards every call.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .validation import Arr, Errors, Int, Obj, Str

# The channels of Infobip's ``channel`` path parameter, and the events each offers
# (infobip.com/docs/cpaas-x/subscriptions-management/event-subscriptions). The sandbox only
# ever produces SMS and WhatsApp events; subscriptions on other channels are kept but silent.
EVENTS: dict[str, tuple[str, ...]] = {
    "BLOCKLIST": ("BLOCK", "UNBLOCK"),
    "CUSTOMER_ENGAGEMENT": (),
    "EMAIL": ("CLICK", "COMPLAINT", "DELIVERY", "LATE_BOUNCE", "OPEN", "UNSUBSCRIBE"),
    "FACEBOOK": ("DELIVERY", "INBOUND_MESSAGE", "MARKETING_OPT_IN", "MARKETING_OPT_OUT"),
    "KAKAO_ALIM": ("DELIVERY",),
    "KAKAO_CHINGU": ("CLICK", "DELIVERY"),
    "LINE": ("DELIVERY", "INBOUND_MESSAGE"),
    "MMS": ("CLICK", "DELIVERY", "INBOUND_MESSAGE"),
    "MOBILE_IDENTITY": (),
    "MOBILE_PUSH": ("DELIVERY",),
    "NUMBER_LOOKUP": (),
    "OPEN_CHANNEL": (),
    "RCS": ("CLICK", "DELIVERY", "INBOUND_MESSAGE", "SEEN", "SUGGESTION", "TYPING_INDICATOR"),
    "REGISTRATION": (),
    "SMS": ("CLICK", "DELIVERY", "INBOUND_MESSAGE"),
    "VIBER": ("CLICK", "DELIVERY", "INBOUND_MESSAGE", "SEEN"),
    "VOICE_VIDEO": (),
    "WHATSAPP": (
        "ACCOUNT_REGISTRATION",
        "ACCOUNT_UPDATE_NOTIFICATION",
        "BILLING",
        "CLICK",
        "DELIVERY",
        "IDENTITY_CHANGE",
        "INBOUND_MESSAGE",
        "MARKETING_SUBSCRIPTION_UPDATE",
        "PAYMENT_STATUS",
        "SEEN",
        "TEMPLATE_UPDATE",
    ),
    "ZALO": ("CLICK", "DELIVERY", "INBOUND_MESSAGE"),
}

# IDs are "used as part of a URL path and must not include any characters that require URL
# encoding": RFC 3986's unreserved characters.
_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")


def _url_safe(value: str) -> str | None:
    if _URL_SAFE.fullmatch(value):
        return None
    return "must only contain letters, digits and . _ ~ -"


def _no_control(value: str) -> str | None:
    # RFC 7617: user-id and password are text without control characters; a header built
    # from them would be broken.
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return "must not contain control characters (RFC 7617)"
    return None


def _basic_user(value: str) -> str | None:
    # RFC 7617: the user-id ends at the first ':', so it cannot contain one.
    if ":" in value:
        return "must not contain ':' (RFC 7617: the user-id ends at the first colon)"
    return _no_control(value)


def _id(required: bool = True) -> Str:
    return Str(required, 1, 255, check=_url_safe)


SECURITY = Obj(
    {
        "authId": _id(),
        "type": Str(enum=("BASIC", "HMAC", "OAUTH")),
        "credentials": Obj(
            {
                "username": Str(min_len=1, max_len=255, check=_basic_user),
                "password": Str(min_len=1, max_len=255, check=_no_control),
                # HmacCredentials' limits are not published; the connector takes 4,096.
                "secretKey": Str(min_len=1, max_len=4096),
            }
        ),
    }
)
PROFILE = Obj(
    {
        "profileId": _id(),
        "webhook": Obj(
            {
                "notifyUrl": Str(True, 1, 512, not_blank=True),
                # Infobip takes any type here; the sandbox only writes JSON bodies.
                "contentType": Str(enum=("application/json",)),
            }
        ),
        "security": SECURITY,
        "maxBucketSize": Int(minimum=1, maximum=2000),
        "windowSize": Int(minimum=20, maximum=10000),
        "connectTimeout": Int(minimum=300, maximum=30000),
        "readTimeout": Int(minimum=300, maximum=30000),
        "rateLimit": Int(minimum=1),
    }
)
SUBSCRIPTION = Obj(
    {
        "subscriptionId": _id(),
        "name": Str(min_len=1, max_len=255),
        # A subscription without events could never post.
        "events": Arr(Str(not_blank=True), required=True, min_items=1),
        "resources": Arr(Str(min_len=1, max_len=255)),
        "users": Arr(Str(min_len=1, max_len=255)),
        "criteria": Arr(
            Obj({"applicationId": Str(min_len=1, max_len=255), "entityId": Str(max_len=255)})
        ),
        "profile": PROFILE,
    }
)

# What each credentials type needs; OAUTH would make the sandbox call a token endpoint.
_CREDENTIALS: dict[str, tuple[str, ...]] = {
    "BASIC": ("username", "password"),
    "HMAC": ("secretKey",),
}


def security_problems(security: Mapping[str, Any], path: str) -> Errors:
    """Rules between ``type`` and ``credentials`` that the field rules cannot say, for
    security settings being defined (with ``credentials``)."""
    kind = security.get("type")
    credentials = security.get("credentials") or {}
    if kind is None:
        return {f"{path}.type": ["must not be null when credentials are given"]}
    if kind == "OAUTH":
        return {f"{path}.type": ["OAUTH is not emulated by the sandbox; use BASIC or HMAC"]}
    needed = _CREDENTIALS[str(kind)]
    problems: Errors = {}
    for name in needed:
        if name not in credentials:
            problems[f"{path}.credentials.{name}"] = [f"must not be null for type {kind}"]
    for name in credentials:
        if name not in needed:
            problems[f"{path}.credentials.{name}"] = [f"is not a {kind} credential"]
    return problems


@dataclass(frozen=True)
class Hook:
    """Where one event goes: a subscription's webhook and how to authenticate the post."""

    subscription_id: str
    url: str
    content_type: str
    security: dict[str, Any] | None


@dataclass
class SubscriptionBook:
    """Subscriptions by (channel, ID), profiles by ID and security settings by ID."""

    subscriptions: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    security: dict[str, dict[str, Any]] = field(default_factory=dict)

    def clear(self) -> None:
        self.subscriptions.clear()
        self.profiles.clear()
        self.security.clear()

    def conflicts(self, channel: str, body: Mapping[str, Any]) -> tuple[int, Errors]:
        """(status, problems) that stop ``body`` from being created on ``channel``: a taken
        ID is a 400, a named profile or security setting that does not exist a 404."""
        problems: Errors = {}
        if (channel, body["subscriptionId"]) in self.subscriptions:
            problems["subscriptionId"] = ["a subscription with this ID already exists"]
        unknown_events = [e for e in body["events"] if e not in EVENTS[channel]]
        if unknown_events:
            problems["events"] = [f"not events of {channel}: " + ", ".join(unknown_events)]
        repeated = sorted({e for e in body["events"] if body["events"].count(e) > 1})
        if repeated:
            problems.setdefault("events", []).append("each event once: " + ", ".join(repeated))
        profile = body.get("profile")
        if profile is None:
            problems["profile"] = ["must not be null"]
            return 400, problems
        defines = "webhook" in profile
        if defines and profile["profileId"] in self.profiles:
            problems["profile.profileId"] = ["a profile with this ID already exists"]
        if not defines and profile["profileId"] not in self.profiles and not problems:
            return 404, {"profile.profileId": ["no profile with this ID"]}
        security = profile.get("security")
        if not defines or security is None:
            return 400, problems
        if "credentials" in security:
            problems.update(security_problems(security, "profile.security"))
            if security["authId"] in self.security:
                problems["profile.security.authId"] = ["security settings with this ID exist"]
        elif security["authId"] not in self.security and not problems:
            return 404, {"profile.security.authId": ["no security settings with this ID"]}
        return 400, problems

    def create(self, channel: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Keep a checked subscription (its inline profile and security settings too);
        returns Infobip's answer ``{subscriptionId, profile: {profileId, security?}}``."""
        kept: dict[str, Any] = copy.deepcopy(dict(body))
        profile = kept.pop("profile")
        profile_id = profile["profileId"]
        if "webhook" in profile:
            security = profile.pop("security", None)
            if security is not None:
                if "credentials" in security:
                    self.security[security["authId"]] = security
                profile["authId"] = security["authId"]
            self.profiles[profile_id] = profile
        kept["channel"] = channel
        kept["profileId"] = profile_id
        self.subscriptions[(channel, kept["subscriptionId"])] = kept
        return self.summary(kept)

    def summary(self, subscription: Mapping[str, Any]) -> dict[str, Any]:
        """The subscription as Infobip answers it: IDs and the profile's security ID."""
        profile = self.profiles.get(subscription["profileId"], {})
        shown: dict[str, Any] = {"profileId": subscription["profileId"]}
        if profile.get("authId"):
            shown["security"] = {"authId": profile["authId"]}
        answer = {k: v for k, v in subscription.items() if k not in ("channel", "profileId")}
        return {**answer, "profile": shown}

    def hooks(
        self, channel: str, event: str, resource: str | None, platform: Mapping[str, Any]
    ) -> list[Hook]:
        """The webhooks that ``event`` on ``channel`` goes to, in order of creation.

        ``resource`` is the account's number involved (the number a message was sent from or
        to); ``platform`` holds the event's ``applicationId`` / ``entityId``.
        """
        found: list[Hook] = []
        for (kind, subscription_id), subscription in self.subscriptions.items():
            if kind != channel or event not in subscription["events"]:
                continue
            resources = subscription.get("resources")
            if resources and resource not in resources:
                continue
            if not _meets(subscription.get("criteria"), platform):
                continue
            profile = self.profiles.get(subscription["profileId"])
            if profile is None:
                continue
            webhook = profile["webhook"]
            security = self.security.get(profile.get("authId") or "")
            found.append(
                Hook(
                    subscription_id,
                    webhook["notifyUrl"],
                    webhook.get("contentType") or "application/json",
                    security,
                )
            )
        return found

    def profile_in_use(self, profile_id: str) -> bool:
        return any(s["profileId"] == profile_id for s in self.subscriptions.values())

    def security_in_use(self, auth_id: str) -> bool:
        return any(p.get("authId") == auth_id for p in self.profiles.values())


def _meets(criteria: list[dict[str, Any]] | None, platform: Mapping[str, Any]) -> bool:
    """Whether the event's application and entity match one criterion (or there is none)."""
    if not criteria:
        return True
    return any(
        all(platform.get(name) == wanted for name, wanted in criterion.items())
        for criterion in criteria
    )
