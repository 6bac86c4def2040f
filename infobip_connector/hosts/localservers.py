"""The commands that start a local HTTP server (``sandbox``, ``editor``) and the option types
and bind errors every server command shares (``--port``, ``--grace-period``)."""

from __future__ import annotations

import argparse
import errno
import socket

from ..errors import UsageError


def tcp_port(text: str) -> int:
    """``--port`` of the servers: 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a port; give a number from 1 to 65535 (0 picks a free one)"
        )
    return port


def grace_period_seconds(text: str) -> float:
    """``--grace-period``: a number of seconds above 0."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return seconds


def cannot_listen(exc: OSError, host: str, port: int) -> UsageError:
    """What to do when ``host:port`` cannot be bound; re-raises errors of another kind."""
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return UsageError(
            [{"path": "--host", "message": f"{host} is not an address of this machine"}]
        )
    if exc.errno == errno.EADDRINUSE:
        message = f"port {port} is in use; choose another with --port (0 picks a free one)"
    elif exc.errno == errno.EACCES:
        message = f"port {port} needs privileges; choose a port above 1023 with --port"
    else:
        raise exc
    return UsageError([{"path": "--port", "message": message}])


def cmd_sandbox(args: argparse.Namespace) -> None:
    from ..sandbox import run_server
    from ..sandbox.server import is_address, is_loopback_host

    if not is_address(args.host):
        message = (
            f"{args.host!r} is not a host name or an IP address written in full "
            "(such as 127.0.0.1 or localhost)"
        )
        raise UsageError([{"path": "--host", "message": message}])
    if not is_loopback_host(args.host) and not args.allow_non_loopback:
        message = (
            f"{args.host} is not a loopback address: the sandbox would be reachable from other "
            "machines; add --allow-non-loopback if that is what you want"
        )
        raise UsageError([{"path": "--host", "message": message}])
    if args.grace_period is not None and not args.idempotent_sending:
        message = "applies only with --idempotent-sending"
        raise UsageError([{"path": "--grace-period", "message": message}])
    try:
        run_server(
            args.host,
            args.port,
            args.api_key,
            allow_non_loopback=args.allow_non_loopback,
            idempotent_sending=args.idempotent_sending,
            grace_period=args.grace_period,
        )
    except OSError as exc:
        raise cannot_listen(exc, args.host, args.port) from None


def cmd_editor(args: argparse.Namespace) -> None:
    from .editor.server import run_editor

    try:
        run_editor(args.port, host=args.host, open_browser=args.open)
    except ValueError as exc:
        raise UsageError([{"path": "--host", "message": str(exc)}]) from None
    except OSError as exc:
        raise cannot_listen(exc, args.host, args.port) from None
