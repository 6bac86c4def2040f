"""The base-URL policy: where the API key may be sent, read by one strict parser.

URL parsers disagree on malformed input (urllib, httpx and yarl each read
``https://[2001:db8::1%25x.api.infobip.com]``, ``https://api.infobip.com:+80`` or
``http://127.1`` their own way), so the policy does not ask any of them. It accepts a
narrow grammar, ``http(s)://host[:port][/path]`` in visible ASCII with a host that is a
DNS name, a dotted IPv4 address or a bracketed IPv6 address without a zone, and returns
the URL rebuilt from what it checked. On that canonical form every parser agrees, so the
host that was checked is the host the transports connect to.

Errors never quote the value: a key typed into the wrong field must not be printed back.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import ConfigurationError

DEFAULT_BASE_URL = "https://api.infobip.com"
#: Far above any real base URL, far below what URL parsers refuse (httpx: 65,536 with
#: the request path); checked before anything else reads the value.
MAX_BASE_URL_LENGTH = 2048

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(?!\d)")
_AUTHORITY = re.compile(
    r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9.\-]+))(?::(?P<port>[0-9]{1,5}))?"
)
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
# A path segment: unreserved and sub-delimiter characters, no percent escapes.
_SEGMENT = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:]+")


@dataclass(frozen=True)
class _Parts:
    scheme: str  # "http" or "https"
    host: str  # lower-case name or IPv4 address, or an IPv6 address without brackets
    port: int | None
    path: str  # "" or "/segment/..." without a trailing slash

    @property
    def loopback(self) -> bool:
        """Only ``localhost`` itself and literal loopback addresses: ``evil.localhost`` is a
        name any resolver may answer for."""
        if self.host == "localhost":
            return True
        return _is_ip(self.host) and ipaddress.ip_address(self.host).is_loopback

    @property
    def infobip(self) -> bool:
        return self.host == "api.infobip.com" or self.host.endswith(".api.infobip.com")

    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port is None else f":{self.port}"
        return f"{self.scheme}://{host}{port}{self.path}"


def _fail(message: str) -> ConfigurationError:
    return ConfigurationError([{"path": "baseUrl", "message": message}])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _split(raw: str) -> _Parts:
    """The checked parts of a base URL; raises ``ConfigurationError`` for anything else."""
    text = raw.strip()
    if not text:
        raise _fail("must not be empty")
    if len(text) > MAX_BASE_URL_LENGTH:
        raise _fail(f"is longer than {MAX_BASE_URL_LENGTH} characters, which no base URL is")
    if not all("!" <= c <= "~" for c in text):
        raise _fail(
            "must not contain spaces, control or non-ASCII characters "
            "(write an international host name in its xn-- form)"
        )
    scheme_match = _SCHEME.match(text)
    if scheme_match is None:
        text = "https://" + text
    elif scheme_match.group(1).lower() not in ("http", "https"):
        raise _fail("must start with https:// (or http:// for loopback)")
    scheme, _, rest = text.partition(":")
    if not rest.startswith("//"):
        raise _fail("must start with https:// (or http:// for loopback)")
    if any(c in rest for c in "?#"):
        raise _fail("must not contain a query or a fragment")
    authority, slash, path = rest[2:].partition("/")
    if any(c in authority for c in "@\\"):
        raise _fail("must not contain a user name or password; the key is sent as a header")
    found = _AUTHORITY.fullmatch(authority)
    if found is None:
        raise _fail("has no valid host name (or port)")
    host = _host(found.group("ipv6"), found.group("name"))
    port = None if found.group("port") is None else int(found.group("port"))
    if port is not None and not 1 <= port <= 65535:
        raise _fail("has an invalid port (1 to 65535)")
    path = (slash + path).rstrip("/")
    if any(not _SEGMENT.fullmatch(s) or s in (".", "..") for s in path.split("/")[1:]):
        raise _fail(
            "has a path with characters or segments that are not allowed "
            "(no percent escapes, '.' or '..' segments, or empty segments)"
        )
    return _Parts(scheme.lower(), host, port, path)


def _host(ipv6: str | None, name: str | None) -> str:
    if ipv6 is not None:
        try:
            return ipaddress.IPv6Address(ipv6).compressed
        except ValueError:
            raise _fail("has an invalid IPv6 address") from None
    host = (name or "").lower()
    host = host[:-1] if host.endswith(".") else host
    if not _HOST.fullmatch(host):
        raise _fail("has no valid host name")
    if "xn--" in host and not _idna_ok(host):
        raise _fail("has a host name with an invalid international (xn--) label")
    last = host.rpartition(".")[2]
    # Resolvers read a name ending in a number as an IPv4 address, in forms such as
    # 127.1 or 0x7f.1 that parsers expand differently; only the dotted form is accepted.
    if last.isdigit() or last.startswith("0x"):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise _fail("has an IPv4 address not written as four decimal numbers") from None
    return host


def _idna_ok(host: str) -> bool:
    """Whether httpx, which decodes such names when it builds a request, can read it."""
    import httpx  # only for names with an xn-- label; the client imports it anyway

    try:
        httpx.URL(f"https://{host}").host  # noqa: B018 - decoding is the check
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return False
    return True


def normalize_base_url(raw: str, *, allow_custom_host: bool = False) -> str:
    """``xxxxx.api.infobip.com`` → ``https://xxxxx.api.infobip.com``; refuse unsafe targets.

    Accepted: https to ``api.infobip.com`` or ``*.api.infobip.com``; http or https to
    ``localhost`` or a loopback address (the sandbox); https to any other host only with
    ``allow_custom_host``. Raises ``ConfigurationError`` at ``baseUrl`` otherwise.
    """
    parts = _split(raw)
    if parts.scheme == "http" and not parts.loopback:
        raise _fail("plain http:// is only allowed for loopback (the sandbox); use https://")
    if not (parts.infobip or parts.loopback or allow_custom_host):
        raise _fail(
            "is not an Infobip host: the key is only sent to api.infobip.com or "
            "*.api.infobip.com (set allowCustomHost for a proxy of your own)"
        )
    return parts.url()


def is_loopback_url(url: str) -> bool:
    """Whether a base URL points at this machine (``localhost`` or a loopback address).

    Asked on every send (may Infobip call back a loopback URL?) with the same few base
    URLs, and parsing one costs more than the rest of the send's set-up (``ipaddress``
    raises twice on a host name): the answer, which depends on the text alone, is kept
    per URL. Only for an exact ``str`` of a usable length: a subclass may read differently
    each time, and the cache must not keep large values alive.
    """
    if type(url) is str and len(url) <= MAX_BASE_URL_LENGTH:
        return _loopback_text(url)
    return _parsed_loopback(url)


@lru_cache(maxsize=256)
def _loopback_text(url: str) -> bool:
    return _parsed_loopback(url)


def _parsed_loopback(url: str) -> bool:
    try:
        return _split(url).loopback
    except ConfigurationError:
        return False
