"""Shared by the trigger tests: Infobip's published webhook examples and signed requests."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from infobip_connector import component
from infobip_connector.triggers.recent import RecentKeys
from infobip_connector.triggers.security import signature
from infobip_connector.triggers.webhook import WebhookAnswer, WebhookRequest, WebhookSettings

WEBHOOKS = Path(__file__).resolve().parent / "fixtures" / "webhooks"
SECRET = "hmac-secret-7c1d0e"
USER, PASSWORD = "infobip", "basic-password-93ab"
HMAC = WebhookSettings(hmac_secret=SECRET)
BASIC = WebhookSettings(basic_auth=(USER, PASSWORD))


def examples(trigger: str, kind: str = "application/json") -> dict[str, Any]:
    """Infobip's published example bodies of ``trigger``'s webhook, by example name."""
    source = component.definition.trigger(trigger).webhook
    assert source is not None
    data: dict[str, dict[str, Any]] = json.loads(
        (WEBHOOKS / f"{source.operation}.json").read_text(encoding="utf-8")
    )
    return data[kind]


def signed(
    body: bytes | str | dict[str, Any],
    *,
    kind: str = "application/json",
    secret: str = SECRET,
    method: str = "POST",
    **headers: str,
) -> WebhookRequest:
    """A request as Infobip's HMAC security is assumed to send it."""
    data = _bytes(body)
    given = {"Content-Type": kind, "X-Hub-Signature-256": signature(data, secret), **headers}
    return WebhookRequest(method, given, data)


def basic(
    body: bytes | str | dict[str, Any], user: str = USER, password: str = PASSWORD
) -> WebhookRequest:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    headers = {"Content-Type": "application/json", "Authorization": f"Basic {token}"}
    return WebhookRequest("POST", headers, _bytes(body))


def _bytes(body: bytes | str | dict[str, Any]) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body).encode("utf-8")


def answer(
    trigger: str,
    request: WebhookRequest,
    settings: WebhookSettings | dict[str, Any] = HMAC,
    seen: RecentKeys | None = None,
    now: float | None = None,
) -> WebhookAnswer:
    """``component.handle_webhook`` with a repeat window of its own unless one is given, at
    ``now`` or else just after the latest time in the body (Infobip's published examples are
    years old; the maximum event age is tested on its own, in test_trigger_replay.py)."""
    return component.handle_webhook(
        trigger,
        request,
        settings,
        seen=seen if seen is not None else RecentKeys(),
        now=now if now is not None else latest_time(request.body),
    )


def latest_time(body: bytes) -> float | None:
    """Just after the latest date-time written in ``body``, None when it holds none."""
    found = [_time(text) for text in _TIMES.findall(body.decode("utf-8", "replace"))]
    times = [when for when in found if when is not None]
    return max(times) + 60 if times else None


_TIMES = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)")


def _time(text: str) -> float | None:
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None
