"""How the sandbox authenticates what it posts to a subscription's webhook, as Infobip does.

A subscription's notification profile may carry security settings (Subscriptions API,
``POST /subscriptions/1/security``: ``type`` BASIC, HMAC or OAUTH with ``credentials``):

- BASIC ``{username, password}``: ``Authorization: Basic base64(username ":" password)``
  (RFC 7617, UTF-8), as Infobip documents.
- HMAC ``{secretKey}``: Infobip's public documentation names the type but not the header,
  algorithm or encoding, so the project assumes (and the connector's receiver checks) an
  HMAC-SHA256 over the exact body bytes posted, keyed with the secret's UTF-8 bytes, sent as
  ``X-Hub-Signature-256: sha256=<lowercase hex>``.

OAUTH would need a token endpoint to call, which the sandbox never contacts; it is refused
when the security settings are created.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

SIGNATURE_HEADER = "X-Hub-Signature-256"
SIGNATURE_PREFIX = "sha256="


def hmac_signature(secret: str, data: bytes) -> str:
    """``sha256=`` and the lowercase hex HMAC-SHA256 of ``data`` keyed with ``secret`` (UTF-8;
    a lone surrogate, which JSON can spell, as its backslash escape, as the notify URL's
    credentials are)."""
    digest = hmac.new(secret.encode("utf-8", "backslashreplace"), data, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def basic_authorization(username: str, password: str) -> str:
    """The ``Authorization`` value of RFC 7617 Basic authentication, UTF-8 (a lone surrogate
    as its backslash escape)."""
    pair = f"{username}:{password}".encode("utf-8", "backslashreplace")
    token = base64.b64encode(pair).decode("ascii")
    return f"Basic {token}"


def security_headers(security: Mapping[str, Any] | None, data: bytes) -> dict[str, str]:
    """The headers that authenticate ``data`` (the exact bytes posted) under ``security``
    (the stored ``{authId, type, credentials}``); none without security settings."""
    if not security:
        return {}
    credentials = security.get("credentials") or {}
    if security.get("type") == "BASIC":
        return {
            "Authorization": basic_authorization(
                str(credentials["username"]), str(credentials["password"])
            )
        }
    if security.get("type") == "HMAC":
        return {SIGNATURE_HEADER: hmac_signature(str(credentials["secretKey"]), data)}
    return {}
