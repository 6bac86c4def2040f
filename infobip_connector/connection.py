"""Connection values → checked settings; the base-URL policy that keeps the key with Infobip."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from .errors import ConfigurationError
from .redaction import MIN_SECRET_LENGTH, register_secret

DEFAULT_BASE_URL = "https://api.infobip.com"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(?!\d)")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?)*$")


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything needed to talk to Infobip; the token never shows in its repr."""

    token: SecretStr = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 60.0
    max_attempts: int = 3

    @property
    def is_loopback(self) -> bool:
        return _is_loopback(urlsplit(self.base_url).hostname or "")


def _fail(path: str, message: str) -> ConfigurationError:
    return ConfigurationError([{"path": path, "message": message}])


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(raw: str, *, allow_custom_host: bool = False) -> str:
    """``xxxxx.api.infobip.com`` → ``https://xxxxx.api.infobip.com``; refuse unsafe targets."""
    text = raw.strip()
    if not text:
        raise _fail("baseUrl", "must not be empty")
    scheme_match = _SCHEME.match(text)
    if scheme_match is None:
        text = "https://" + text
    elif scheme_match.group(1).lower() not in ("http", "https"):
        raise _fail("baseUrl", f"scheme {scheme_match.group(1)!r} is not allowed; use https://")
    if any(c in text for c in "?#") or any(c.isspace() for c in text):
        raise _fail("baseUrl", "must not contain a query, a fragment or spaces")
    parts = urlsplit(text)
    if "@" in parts.netloc:
        raise _fail(
            "baseUrl", "must not contain a user name or password; the key is sent as a header"
        )
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        raise _fail("baseUrl", "has an invalid port (1 to 65535)")
    bracketed = host.startswith("[") or ":" in host
    if not host or (not bracketed and not _HOST.match(host) and not _is_ip(host)):
        raise _fail("baseUrl", f"{raw.strip()!r} has no valid host name")
    loopback = _is_loopback(host)
    if scheme == "http" and not loopback:
        raise _fail(
            "baseUrl", "plain http:// is only allowed for loopback (the sandbox); use https://"
        )
    infobip = host == "api.infobip.com" or host.endswith(".api.infobip.com")
    if not (infobip or loopback or allow_custom_host):
        raise _fail(
            "baseUrl",
            f"{host} is not an Infobip host: the key is only sent to api.infobip.com or "
            "*.api.infobip.com (set allowCustomHost for a proxy of your own)",
        )
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _number(values: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = values.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise _fail(key, f"must be a number from {low:g} to {high:g}")
    return float(value)


def connection_from_values(values: Mapping[str, Any]) -> ConnectionSettings:
    """Checked settings from the connection's property values (``token``, ``baseUrl``, ...).

    Engines pass the same connection to every execution, so results are cached.
    """
    if isinstance(values, Mapping):
        try:
            key = tuple(sorted(values.items()))
            hash(key)
        except TypeError:
            return _parse_connection(values)
        return _cached_connection(key)
    return _parse_connection(values)


# Smaller than the redaction registry, so every cached key is still being masked.
@lru_cache(maxsize=128)
def _cached_connection(key: tuple[tuple[str, Any], ...]) -> ConnectionSettings:
    return _parse_connection(dict(key))


def _parse_connection(values: Mapping[str, Any]) -> ConnectionSettings:
    if not isinstance(values, Mapping):
        raise _fail("", 'the connection must be an object such as {"token": "..."}')
    known = {
        "token",
        "baseUrl",
        "allowCustomHost",
        "connectTimeout",
        "readTimeout",
        "deadline",
        "maxAttempts",
    }
    unknown = sorted(set(values) - known)
    if unknown:
        raise _fail(
            unknown[0], f"unknown connection property; expected one of: {', '.join(sorted(known))}"
        )
    token = values.get("token")
    if isinstance(token, SecretStr):
        token = token.get_secret_value()
    if not isinstance(token, str) or not token.strip():
        raise _fail("token", "is required: the API key from the Infobip web interface")
    if token != token.strip() or any(c.isspace() or ord(c) < 32 for c in token):
        raise _fail("token", "must not contain spaces or control characters")
    if len(token) < MIN_SECRET_LENGTH:
        # A key this short could not be masked in logs without mangling ordinary words.
        raise _fail(
            "token",
            f"is too short to be an Infobip API key (at least {MIN_SECRET_LENGTH} characters)",
        )
    register_secret(token)
    allow = values.get("allowCustomHost", False)
    if not isinstance(allow, bool):
        raise _fail("allowCustomHost", "must be true or false")
    base = values.get("baseUrl") or DEFAULT_BASE_URL
    if not isinstance(base, str):
        raise _fail("baseUrl", "must be text such as xxxxx.api.infobip.com")
    attempts = values.get("maxAttempts", 3)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not 1 <= attempts <= 10:
        raise _fail("maxAttempts", "must be a whole number from 1 to 10")
    return ConnectionSettings(
        token=SecretStr(token),
        base_url=normalize_base_url(base, allow_custom_host=allow),
        connect_timeout=_number(values, "connectTimeout", 5.0, 0.1, 120),
        read_timeout=_number(values, "readTimeout", 30.0, 0.1, 600),
        deadline=_number(values, "deadline", 60.0, 0.1, 3600),
        max_attempts=attempts,
    )
