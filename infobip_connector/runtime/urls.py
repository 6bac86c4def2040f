"""Webhook and link URLs given in an action's input (``format: http-url``), checked whole.

The schema pattern (``texts.HTTP_URL_PATTERN``) only says "http(s)://, a host, no spaces
or control characters". Infobip parses the URL with its own (Java) parser and calls it
later, so a URL it cannot read fails there, out of sight: a delivery report that never
arrives. This module refuses, up front, what RFC 3986 does not allow in an http(s) URL:
an unclosed or invalid IPv6 literal, a port outside 1-65535, a host that is neither a
DNS name nor an IP address (``%00``, ``x.example\\@evil``), a second ``@``, a broken
percent-escape and the characters RFC 3986 excludes (``< > " { } | ^ ` \\``).
"""

from __future__ import annotations

import ipaddress
import re

_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_\-]{0,61}[A-Za-z0-9_])?"
_HOST_NAME = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}\.?", re.ASCII)
_DOTTED_NUMBERS = re.compile(r"[0-9.]+", re.ASCII)
# RFC 3986 section 2: outside every URL component; "%" only as the start of %XX.
_EXCLUDED = re.compile(r'[<>"{}|^`\\]|%(?![0-9A-Fa-f]{2})')
_MAX_HOST = 253


def http_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` (already matching ``HTTP_URL_PATTERN``); None if nothing.

    The message completes "must be an http:// or https:// URL" for the person who wrote it.
    """
    rest = url.split("://", 1)[1]
    bad = _EXCLUDED.search(rest)
    if bad is not None:
        char = bad.group()
        what = "a % not followed by two hex digits" if char == "%" else repr(char)
        return f"it holds {what} at position {bad.start() + len(url) - len(rest) + 1}"
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    userinfo, at, hostport = authority.rpartition("@")
    if at and "@" in userinfo:
        return "it has more than one '@' before the host (write '@' in a user name as %40)"
    return _host_port_problem(hostport)


def _host_port_problem(hostport: str) -> str | None:
    if hostport.startswith("["):
        literal, closed, after = hostport[1:].partition("]")
        if not closed:
            return "its IPv6 address is not closed with ']'"
        if after and not after.startswith(":"):
            return f"unexpected {after[:20]!r} after the IPv6 address"
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return f"[{literal[:60]}] is not an IPv6 address"
        if "%" in literal:
            # A zone ID names an interface of one machine: meaningless to Infobip.
            return f"[{literal[:60]}] has a zone ID (%), which only means something locally"
        port = after[1:] if after else None
    else:
        host, colon, port_text = hostport.partition(":")
        port = port_text if colon else None
        problem = _host_problem(host)
        if problem is not None:
            return problem
    if port and not (port.isascii() and port.isdigit() and 1 <= int(port[:6]) <= 65535):
        return f"its port {port[:20]!r} is not a number from 1 to 65535"
    return None


def _host_problem(host: str) -> str | None:
    if not host:
        return "it has no host"
    name = host
    if not host.isascii():
        try:
            name = host.encode("idna").decode("ascii")
        except UnicodeError:
            return f"its host {host[:60]!r} is not a valid internationalised domain name"
    if len(name) > _MAX_HOST or _HOST_NAME.fullmatch(name) is None:
        return f"its host {host[:60]!r} is not a domain name or IP address"
    if _DOTTED_NUMBERS.fullmatch(name):
        try:
            ipaddress.IPv4Address(name.rstrip("."))
        except ValueError:
            return f"its host {host[:60]!r} is not an IPv4 address (four numbers 0-255)"
    return None


def callback_url_problem(url: str, *, local: bool, basic: bool = False) -> str | None:
    """Why Infobip could not (or should not) call ``url`` (well-formed: ``http_url_problem``
    found nothing), or None. The rules of every URL Infobip calls back, a webhook's or a
    message's ``notifyUrl``:

    - a loopback host (``localhost``, ``127.0.0.1``, ``[::1]``) only when ``local``: the
      connection talks to a sandbox on this machine, the only caller that can reach it;
    - never a private, link-local or reserved IP address: not reachable from the internet;
    - credentials (user information in the URL, or ``basic``: Basic credentials registered
      with it) only over https, or to a loopback host: over http every hop would see them.

    Host names other than ``localhost`` are not resolved: what they lead to is Infobip's to
    find out. The message is for the person who wrote the URL.
    """
    scheme, rest = url.split("://", 1)
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    _userinfo, at, hostport = authority.rpartition("@")
    place = host_kind(hostport)
    if place == "loopback" and not local:
        return (
            "must be a URL Infobip can call: this is a loopback address (only a sandbox on"
            " this machine can post to it)"
        )
    if place == "private":
        return (
            "must be a URL Infobip can call: this is a private, link-local or reserved"
            " address, not reachable from the internet"
        )
    if (basic or at) and scheme.lower() == "http" and place != "loopback":
        what = "Basic credentials are registered" if basic else "it holds user:password@"
        return (
            f"must start with https:// when {what}: over http:// Infobip would send the"
            " password in clear text with every post"
        )
    return None


def host_kind(hostport: str) -> str:
    """``loopback`` (this machine), ``private`` (an IP literal not on the internet) or
    ``public`` for the host of ``hostport`` (``host``, ``host:port``, ``[v6]:port``)."""
    if hostport.startswith("["):
        host = hostport[1:].partition("]")[0]
    else:
        host = hostport.rpartition(":")[0] if ":" in hostport else hostport
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "public"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "loopback"
    return "public" if address.is_global else "private"
