"""Is a webhook call from Infobip? HTTP Basic and HMAC checks, in constant time.

Infobip's Subscriptions API sets a webhook's security to ``BASIC`` (``username``,
``password``: an ``Authorization: Basic`` header, RFC 7617) or ``HMAC``
(https://infobip.com/docs/api/platform/subscriptions-api/create-security-settings). Its
public documentation does not spell out the HMAC header, algorithm or encoding; the
connector assumes (README, "Triggers"): HMAC-SHA256 of the exact body bytes, keyed with the
secret's UTF-8 bytes, in ``X-Hub-Signature-256: sha256=<hex>``. The same digest is also
accepted without the ``sha256=`` prefix, in upper-case hex or in base64, and in the header
``X-Infobip-Signature``.

Every comparison is ``hmac.compare_digest`` on bytes, and every candidate is compared (no
early exit on the first that fails), so the time taken says nothing about the secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping

#: Headers that may carry the HMAC signature, first the one the connector assumes.
SIGNATURE_HEADERS = ("x-hub-signature-256", "x-infobip-signature")
_PREFIX = "sha256="


def basic_ok(headers: Mapping[str, str], username: str, password: str) -> bool:
    """Whether ``headers`` (lower-case names) carry ``Authorization: Basic`` with these
    credentials. The username and the password are both compared, whatever the first gave."""
    given = headers.get("authorization", "")
    scheme, _, token = given.strip().partition(" ")
    try:
        decoded = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    user, colon, secret = decoded.partition(b":")
    # RFC 7617: the user-id holds no colon, so the first one separates the password.
    user_ok = hmac.compare_digest(user, username.encode("utf-8"))
    secret_ok = hmac.compare_digest(secret, password.encode("utf-8"))
    return scheme.lower() == "basic" and bool(colon) and user_ok & secret_ok


def signature(body: bytes, secret: str) -> str:
    """The value Infobip's HMAC security is assumed to send for ``body``: ``sha256=<hex>``."""
    return _PREFIX + _digest(body, secret).hex()


def hmac_ok(
    headers: Mapping[str, str], body: bytes, secret: str, names: tuple[str, ...] = SIGNATURE_HEADERS
) -> bool:
    """Whether one of the headers ``names`` (lower-case) signs ``body`` with ``secret``."""
    expected = _digest(body, secret)
    ok = False
    for name in names:
        value = headers.get(name)
        if value is not None:
            ok |= hmac.compare_digest(_decoded(value), expected)
    return ok


def _digest(body: bytes, secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()


def _decoded(value: str) -> bytes:
    """The digest a header value spells (hex or base64, ``sha256=`` optional); ``b""`` if none.

    Another algorithm's prefix (``sha1=``) is not stripped, so it never decodes to a match.
    """
    text = value.strip()
    if text[: len(_PREFIX)].lower() == _PREFIX:
        text = text[len(_PREFIX) :]
    if len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            return b""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""
