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
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from ...errors import UsageError

#: Names every HTTP server is reached by on its own machine.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_SCHEMES = ("http", "https")
# ``name``, ``name:port``, ``[v6]`` or ``[v6]:port``.
_HOST = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[^:\[\]/]+)(?::(?P<port>[0-9]{1,5}))?")


@dataclass(frozen=True)
class HttpGuard:
    """The ``Host`` and ``Origin`` patterns the server answers (others: 421 and 403)."""

    hosts: tuple[str, ...]
    origins: tuple[str, ...]


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
    for given in origins or []:
        scheme, separator, rest = given.partition("://")
        if scheme.lower() not in _SCHEMES or not separator:
            raise _wrong("--allowed-origin", given, "http://NAME or https://NAME[:PORT]")
        prefix = f"{scheme.lower()}://"
        allowed_origins.extend(prefix + p for p in _host_patterns(rest, "--allowed-origin", given))
    return HttpGuard(tuple(dict.fromkeys(allowed_hosts)), tuple(dict.fromkeys(allowed_origins)))


def _host_patterns(text: str, option: str, given: str) -> list[str]:
    """``name:port`` as itself; a name without a port as itself and with any port."""
    from ...sandbox.server import is_address

    if _is_v6(text):  # written without brackets: its colons are not a port
        text = f"[{text}]"
    found = _HOST.fullmatch(text)
    if found is None or not is_address(found["name"]) or int(found["port"] or 1) > 65535:
        raise _wrong(option, given, "a host name or address, with an optional :PORT")
    name = _bracketed(found["name"]).lower()
    if found["port"] is not None:
        return [f"{name}:{int(found['port'])}"]
    return [name, f"{name}:*"]


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
