"""Which ``Host`` and ``Origin`` headers the MCP server's HTTP transport answers.

DNS rebinding: a web page the operator opens can make a name of the attacker's resolve to
the server's address, and the browser then posts to the server with ``Host:`` (and
``Origin:``) naming the attacker's site. The server has no authentication of its own and
sends with its key, so it answers only the names it is known by. The SDK turns its check
on by itself for ``127.0.0.1``, ``localhost`` and ``::1`` only; here it is on for every
address: the bound address and the loopback names by default, plus what ``--allowed-host``
and ``--allowed-origin`` add (the name other machines use, a browser client's page). It is
never switched off. Plain data (no SDK): ``server.py`` hands the lists to the SDK's
``TransportSecuritySettings``, whose patterns are exact values or ``value:*`` (any port).

The SDK compares the header's text with the patterns, and only on ``/mcp``: ``Host:
LOCALHOST`` was refused, ``127.0.0.1:PORT@evil.com`` and a second ``Host`` or ``Origin``
header let through, and the port of ``Host`` never compared. So :func:`guarded` checks
every request first, on every path, and hands the SDK the canonical values: exactly one
``Host``, naming an allowed host in any case, with no user part, on the server's own port
(or a ``name:port`` given with ``--allowed-host``; no port is port 80, so a bare
``localhost`` is the server only on port 80); at most one ``Origin``, one origin (not a
comma-joined list), of the server's own names on its own port (another local web app, a
dev server on :3000, must not drive the tools through a browser), or one given with
``--allowed-origin`` on its port (given without one: the scheme's default, 80 or 443, as a
browser's ``Origin`` without a port means; the same app on another port is another origin).
A name given with ``--allowed-host`` without a port comes without one (a proxy's) or with
the server's own port, or with 80 or 443 written out.
Otherwise 421 (Host) or 403 (Origin), as the SDK answers.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from ...errors import UsageError

#: Names every HTTP server is reached by on its own machine.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_SCHEMES = ("http", "https")
#: The port a Host or Origin without one names.
_DEFAULT_PORTS = {"http": 80, "https": 443}
# ``name``, ``name:port``, ``[v6]`` or ``[v6]:port``.
_HOST = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[^:\[\]/]+)(?::(?P<port>[0-9]{1,5}))?")
# A Host header: a DNS name or address (no user part, no path), with an optional port.
_HOST_HEADER = re.compile(
    r"(?P<name>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(?P<port>[0-9]{1,5}))?"
)
# An Origin header: one serialized origin, scheme://host[:port].
_ORIGIN = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>[^/?#,\s]+)")


@dataclass(frozen=True)
class HttpGuard:
    """The ``Host`` and ``Origin`` patterns the server answers (others: 421 and 403).

    ``hosts`` and ``origins`` are the SDK's patterns; ``own`` the names the server is known
    by without flags (its address, the loopback names), which a ``Host`` or ``Origin`` must
    name with the server's own port (no port: the scheme's default); ``given_origins`` the
    origins of ``--allowed-origin``, each with its port, written without it when it is the
    scheme's default (``https://app.example``, as a browser sends it).
    """

    hosts: tuple[str, ...]
    origins: tuple[str, ...]
    own: tuple[str, ...] = ()
    given_origins: tuple[str, ...] = ()


def guard_for(bound: str, hosts: list[str] | None, origins: list[str] | None) -> HttpGuard:
    """The patterns for a server bound to ``bound`` with the flags' values added.

    Raises UsageError at ``--allowed-host`` / ``--allowed-origin`` for a value that is not
    a host name or address (with an optional port), or not ``http(s)://host[:port]``.
    """
    names = [_bracketed(bound), *LOOPBACK_NAMES]
    allowed_hosts = [pattern for name in names for pattern in (name, f"{name}:*")]
    allowed_origins = [
        pattern
        for name in names
        for scheme in _SCHEMES
        for pattern in (f"{scheme}://{name}", f"{scheme}://{name}:*")
    ]
    for given in hosts or []:
        allowed_hosts.extend(_host_patterns(given, "--allowed-host", given))
    given_origins: list[str] = []
    for given in origins or []:
        scheme, separator, rest = given.partition("://")
        if scheme.lower() not in _SCHEMES or not separator:
            raise _wrong("--allowed-origin", given, "http://NAME or https://NAME[:PORT]")
        # One origin: its port, the scheme's default when none is given (not any port).
        name, port = _name_port(rest, "--allowed-origin", given)
        given_origins.append(_origin(scheme.lower(), name, port))
    return HttpGuard(
        tuple(dict.fromkeys(allowed_hosts)),
        tuple(dict.fromkeys(allowed_origins + given_origins)),
        tuple(dict.fromkeys(names)),
        tuple(dict.fromkeys(given_origins)),
    )


def _host_patterns(text: str, option: str, given: str) -> list[str]:
    """``name:port`` as itself; a name without a port as itself and with any port."""
    name, port = _name_port(text, option, given)
    return [f"{name}:{port}"] if port is not None else [name, f"{name}:*"]


def _name_port(text: str, option: str, given: str) -> tuple[str, int | None]:
    """``(name, port)`` of ``name[:port]``, the name in lower case (an IPv6 address in
    brackets); raises UsageError at ``option`` when it is not a host name or address."""
    from ...sandbox.server import is_address

    if _is_v6(text):  # written without brackets: its colons are not a port
        text = f"[{text}]"
    found = _HOST.fullmatch(text)
    if found is None or not is_address(found["name"]) or int(found["port"] or 1) > 65535:
        raise _wrong(option, given, "a host name or address, with an optional :PORT")
    port = found["port"]
    return _bracketed(found["name"]).lower(), None if port is None else int(port)


def _origin(scheme: str, name: str, port: int | None) -> str:
    """The origin as a browser serializes it: no port when it is the scheme's default."""
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{name}"
    return f"{scheme}://{name}:{port}"


def _bracketed(host: str) -> str:
    """An IPv6 address as it is written in a Host header: in brackets."""
    return f"[{host.strip('[]')}]" if _is_v6(host.strip("[]")) else host


def _is_v6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _wrong(option: str, given: str, expected: str) -> UsageError:
    shown = given if len(given) <= 100 else given[:100] + "…"
    return UsageError([{"path": option, "message": f"{shown!r}: give {expected}"}])


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def canonical_host(values: list[str], guard: HttpGuard, port: int) -> str | None:
    """The ``Host`` to pass on (lower case), or None to refuse: ``values`` are the request's
    Host headers, ``port`` the server's own."""
    if len(values) != 1:
        return None
    found = _HOST_HEADER.fullmatch(values[0].strip())
    if found is None:
        return None
    name, given = found["name"].lower(), found["port"]
    if given is None:
        # No port is port 80: a name of the server's own only when that is its port; a
        # name given with --allowed-host without a port as it is (a proxy in front).
        if name in guard.own:
            return name if port == _DEFAULT_PORTS["http"] else None
        return name if name in guard.hosts else None
    shown = f"{name}:{int(given)}"
    if shown in guard.hosts or (int(given) == port and f"{name}:*" in guard.hosts):
        return shown
    if int(given) in _DEFAULT_PORTS.values() and name in guard.hosts and name not in guard.own:
        return shown  # a name given without a port, its default port written out
    return None


def canonical_origin(values: list[str], guard: HttpGuard, port: int) -> str | None:
    """The ``Origin`` to pass on (lower case), or None to refuse; ``values`` are the
    request's Origin headers (at least one), ``port`` the server's own.

    A page of the server's own names must be on its port (another local web app, a dev
    server on :3000, must not drive the tools); one ``--allowed-origin`` gives as given.
    """
    if len(values) != 1:
        return None
    found = _ORIGIN.fullmatch(values[0].strip())
    if found is None or found["scheme"].lower() not in _SCHEMES:
        return None
    host = _HOST_HEADER.fullmatch(found["host"])
    if host is None:
        return None
    scheme, name = found["scheme"].lower(), host["name"].lower()
    named = _DEFAULT_PORTS[scheme] if host["port"] is None else int(host["port"])
    shown = _origin(scheme, name, named)
    if shown in guard.given_origins:
        return shown
    if name not in guard.own:
        return None
    return shown if named == port else None


def guarded(app: App, guard: HttpGuard, port: int) -> App:
    """``app`` (ASGI) behind the Host and Origin check, for a server on ``port``."""

    async def check(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
        hosts = [v.decode("latin-1") for k, v in headers if k.lower() == b"host"]
        origins = [v.decode("latin-1") for k, v in headers if k.lower() == b"origin"]
        host = canonical_host(hosts, guard, port)
        if host is None:
            await _refuse(send, 421, "Invalid Host header")
            return
        origin = canonical_origin(origins, guard, port) if origins else None
        if origins and origin is None:
            await _refuse(send, 403, "Invalid Origin header")
            return
        kept = [(k, v) for k, v in headers if k.lower() not in (b"host", b"origin")]
        kept.append((b"host", host.encode("ascii")))
        if origin is not None:
            kept.append((b"origin", origin.encode("ascii")))
        await app({**scope, "headers": kept}, receive, send)

    return check


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", b"%d" % len(body)),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
