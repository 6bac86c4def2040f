"""``infobip-connector mcp``: its options, their checks, and the start of the server.

Importable without the ``mcp`` extra (the CLI builds its parser from here); the SDK is
imported only when the command runs, and its absence is a usage error saying what to
install. Everything that can be wrong with the command line is found before the server
starts, so a client that launches it sees a clear error on stderr and exit 2 rather
than a server that fails its first call.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...errors import UsageError
from ..cliflags import GRACE, grace_seconds
from ..startcheck import check_connection
from .httpguard import guard_for

if TYPE_CHECKING:
    import httpx

HELP = "serve the actions as MCP tools to AI agents over stdio (or --http); needs the mcp extra"
INSTALL = 'pip install "infobip-connector[mcp]"'
#: Modules of the extra: a missing one means the extra is not installed.
SDK_MODULES = frozenset({"mcp", "mcp_types", "uvicorn", "starlette", "sse_starlette"})
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

Connect = Callable[[], "tuple[dict[str, Any], httpx.BaseTransport | None]"]
#: ``(error, host, port)`` to the usage error saying why the address cannot be bound.
CannotListen = Callable[[OSError, str, int], UsageError]


def add_arguments(parser: argparse.ArgumentParser, port: Callable[[str], int]) -> None:
    """The command's options; ``port`` parses ``--port`` as the other servers do, and
    ``--grace`` is read as ``serve`` reads its own."""
    parser.add_argument(
        "--read-only", action="store_true", help="offer only the tools that change nothing"
    )
    parser.add_argument(
        "--actions", metavar="A,B", help="offer only these actions (comma-separated names)"
    )
    parser.add_argument(
        "--confirm-sends",
        action="store_true",
        help="send tools take an argument confirm that must be true, or nothing is sent",
    )
    parser.add_argument(
        "--http", action="store_true", help="serve streamable HTTP at /mcp instead of stdio"
    )
    parser.add_argument(
        "--host", default=None, help=f"with --http: address to listen on (default: {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port",
        type=port,
        default=None,
        help=f"with --http: default {DEFAULT_PORT}; 0 picks a free one",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        metavar="NAME[:PORT]",
        help="with --http: also answer requests whose Host header names this, on PORT (without "
        "one: no port, 80, 443 or the server's own) (repeatable; default: the --host address "
        "and localhost only, against DNS rebinding)",
    )
    parser.add_argument(
        "--allowed-origin",
        action="append",
        metavar="URL",
        help="with --http: also answer browser requests from this origin, such as "
        "https://app.example.com (without a port: the scheme's default, 443 or 80, only) "
        "(repeatable; default: the allowed hosts' http(s) origins on the server's port)",
    )
    parser.add_argument(
        "--grace",
        type=grace_seconds,
        default=GRACE,
        help="seconds the calls in flight get once the server stops (SIGTERM, SIGINT, SIGHUP, "
        "or the end of input over stdio) before they are cancelled, and over stdio the answers "
        f"the client has not read yet at the end (default: {GRACE:g})",
    )
    parser.add_argument("--connection", help="JSON file with token and baseUrl")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="use the embedded sandbox (ignores INFOBIP_API_KEY and INFOBIP_BASE_URL)",
    )


def run(args: argparse.Namespace, connect: Connect, cannot_listen: CannotListen) -> None:
    """Check the options, then serve until the client leaves (stdio) or a signal (HTTP).

    ``connect()`` gives the connection values and the sandbox's transport, or raises
    UsageError when there is no key and no ``--sandbox``; values that cannot work (a key
    too short, a base URL not https) are a UsageError too (``startcheck.py``). Raises
    UsageError for a missing extra, for options that do not go together, and (through
    ``cannot_listen``) for an address that cannot be bound. Over HTTP only the ``Host``
    and ``Origin`` values of ``httpguard.py`` are answered.
    """
    host, port = _address(args)
    # Checked with the other options, before anything starts.
    guard = guard_for(host or DEFAULT_HOST, args.allowed_host, args.allowed_origin)
    from ... import component
    from .calls import ToolRunner
    from .resources import build_resources
    from .tools import build_tools, pick_actions

    names = pick_actions(component, args.actions, read_only=args.read_only)
    server_module = _sdk()
    connection, transport = connect()
    if not args.sandbox:
        check_connection(connection, connection_file=args.connection, server="mcp")
    runner = ToolRunner(
        component,
        build_tools(component, names, confirm_sends=args.confirm_sends),
        connection,
        transport,
        sandbox=args.sandbox,
    )
    del connection  # its token would show in tracebacks rendered with their locals
    in_flight = server_module.InFlight(runner, args.grace)
    server = server_module.build_server(runner, build_resources(component), in_flight)
    if host is None:
        server_module.serve_stdio(server, in_flight)
        return
    try:
        sock = server_module.listen(host, port)
    except OSError as exc:
        raise cannot_listen(exc, host, port) from None
    server_module.serve_http(server, sock, guard, in_flight)


def _sdk() -> Any:
    """The server module, importing the SDK; UsageError when the extra is missing."""
    try:
        from . import server
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SDK_MODULES:
            raise
        message = f"needs the MCP SDK, which is not installed: {INSTALL}"
        raise UsageError([{"path": "mcp", "message": message}]) from None
    return server


def _address(args: argparse.Namespace) -> tuple[str | None, int]:
    """``(host, port)`` to serve HTTP on, or ``(None, 0)`` for stdio.

    A host other than loopback is allowed when given explicitly, with a warning on stderr:
    whoever reaches it can send with this server's key.
    """
    if not args.http:
        given = [
            f"--{name.replace('_', '-')}"
            for name in ("host", "port", "allowed_host", "allowed_origin")
            if getattr(args, name, None) is not None
        ]
        if given:
            message = "goes with --http only (stdio has no address)"
            raise UsageError([{"path": given[0], "message": message}])
        return None, 0
    from ...sandbox.server import is_address, is_loopback_host

    host = DEFAULT_HOST if args.host is None else args.host
    if not is_address(host):
        message = (
            f"{host!r} is not a host name or an IP address written in full "
            "(such as 127.0.0.1 or localhost)"
        )
        raise UsageError([{"path": "--host", "message": message}])
    if not is_loopback_host(host):
        sys.stderr.write(
            f"warning: --host {host} is not a loopback address: other machines can reach this "
            "MCP server, which has no authentication, and send through its connection; it "
            "answers only Host headers naming this address or localhost, and those given "
            "with --allowed-host (the name clients use)\n"
        )
    return host, DEFAULT_PORT if args.port is None else args.port
