"""The CLI's trigger commands: ``listen`` (a webhook) and ``poll`` (a pull with a state file).

Both print events as JSON lines (one compact object per line) on stdout, so a shell pipeline
or an engine reads them as they come. Errors are the CLI's JSON error objects and exit codes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .cliconnection import BASIC_AUTH_VARIABLE, HMAC_SECRET_VARIABLE
from .cliflags import add_compact, trigger_names

if TYPE_CHECKING:
    from ..component import Component

Add = Callable[[str, Callable[[argparse.Namespace], None], str], argparse.ArgumentParser]


def _trigger(component: Component, name: str, way: str) -> None:
    """UsageError unless ``name`` is a trigger that can be used ``way`` (webhook, polling)."""
    names = component.trigger_names
    if name not in names:
        message = f"unknown trigger {name!r}; one of: {', '.join(names)}"
        raise UsageError([{"path": "trigger", "message": message}])
    declared = component.definition.trigger(name)
    if getattr(declared, way) is None:
        able = [n for n in names if getattr(component.definition.trigger(n), way) is not None]
        verb = "has no webhook" if way == "webhook" else "cannot be polled"
        message = f"{name} {verb}; these can: {', '.join(able)}"
        raise UsageError([{"path": "trigger", "message": message}])


def _secret_file(path: str | None, option: str) -> str | None:
    """The first line of ``path`` (trailing newline dropped), or None without a path."""
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read(8192)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise UsageError([{"path": option, "message": f"cannot read {path}: {reason}"}]) from None
    return text.rstrip("\r\n")


def _either(value: str | None, file_value: str | None, option: str) -> str | None:
    if value is not None and file_value is not None:
        raise UsageError([{"path": option, "message": f"give {option} or {option}-file, not both"}])
    return value if value is not None else file_value


def cmd_listen(args: argparse.Namespace) -> None:
    from .. import component
    from .cli import _connection
    from .cliprocess import catch_termination

    # Imported here: aiohttp's web server costs a tenth of a second that `run` never needs.
    from .listen import Listener, check_path, listen, warn_if_reachable, webhook_settings
    from .localservers import cannot_listen

    _trigger(component, args.trigger, "webhook")
    path = check_path(args.path)
    settings = webhook_settings(
        basic_auth=_either(
            args.basic_auth, _secret_file(args.basic_auth_file, "--basic-auth-file"), "--basic-auth"
        ),
        hmac_secret=_either(
            args.hmac_secret,
            _secret_file(args.hmac_secret_file, "--hmac-secret-file"),
            "--hmac-secret",
        ),
        allow_unauthenticated=args.allow_unauthenticated,
        environ=os.environ,
        max_event_age=args.max_event_age,
    )
    register: Callable[[str], dict[str, Any]] | None = None
    unregister: Callable[[dict[str, Any]], None] = lambda _registration: None  # noqa: E731
    if args.register:
        connection, transport = _connection(args)
        public = args.url

        def register(url: str) -> dict[str, Any]:
            # The receiver's settings, also when they waive authentication explicitly.
            return component.register_webhook(
                args.trigger, public or url, connection, security=settings, transport=transport
            )

        def unregister(registration: dict[str, Any]) -> None:
            component.unregister_webhook(
                args.trigger, registration, connection, transport=transport
            )
    elif args.url is not None:
        raise UsageError([{"path": "--url", "message": "goes with --register"}])
    warn_if_reachable(args.host, sys.stderr)
    if threading.current_thread() is threading.main_thread():
        catch_termination()  # SIGTERM ends it like Ctrl-C: registrations are removed
    try:
        listener = Listener(
            component,
            args.trigger,
            settings,
            host=args.host,
            port=args.port,
            path=path,
            state=args.state,
        )
    except OSError as exc:
        raise cannot_listen(exc, args.host, args.port) from None
    listen(
        listener,
        args.trigger,
        register=register,
        unregister=unregister,
        notices=sys.stderr,
        out=sys.stdout,
    )
    # Only a closed stdout ends it this way: keep the interpreter's last flush quiet.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def cmd_poll(args: argparse.Namespace) -> None:
    from .. import component
    from .cli import _connection
    from .pollcmd import poll_once, read_state

    _trigger(component, args.trigger, "polling")
    read_state(args.state)  # a bad state file is refused before a connection is made
    connection, transport = _connection(args)
    poll_once(component, args.trigger, args.state, connection, transport, sys.stdout)


def _connection_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--connection", help="JSON file with token and baseUrl")
    p.add_argument(
        "--sandbox",
        action="store_true",
        help="use the embedded sandbox (ignores INFOBIP_API_KEY and INFOBIP_BASE_URL)",
    )


def add_commands(add: Add, port: Callable[[str], int]) -> None:
    """Register ``listen`` and ``poll`` with the CLI's ``add`` (name, handler, help)."""
    p = add("listen", cmd_listen, "serve a trigger's webhook and print its events as JSON lines")
    p.add_argument(
        "trigger", help=trigger_names("a trigger with a webhook: ", lambda t: t.webhook is not None)
    )
    add_compact(p, lines=True)
    p.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback only)")
    p.add_argument("--port", type=port, default=8090, help="default: 8090; 0 picks a free one")
    p.add_argument("--path", default="/hook", help="the webhook's path (default: /hook)")
    p.add_argument(
        "--basic-auth",
        metavar="USER:PASS",
        help=f"accept calls with these Basic credentials (or set {BASIC_AUTH_VARIABLE}, or "
        "use --basic-auth-file: a secret in argv is visible to other local users)",
    )
    p.add_argument("--basic-auth-file", metavar="FILE", help="read USER:PASS from FILE")
    p.add_argument(
        "--hmac-secret",
        metavar="SECRET",
        help=f"accept calls signed with this HMAC secret (or set {HMAC_SECRET_VARIABLE}, or "
        "use --hmac-secret-file)",
    )
    p.add_argument("--hmac-secret-file", metavar="FILE", help="read the HMAC secret from FILE")
    p.add_argument(
        "--allow-unauthenticated",
        action="store_true",
        help="accept calls without credentials (local tests only: anyone could start workflows)",
    )
    p.add_argument(
        "--max-event-age",
        type=float,
        metavar="SECONDS",
        help="refuse events whose own time is older (default: 604800, a week; bounds replay)",
    )
    p.add_argument(
        "--state",
        metavar="FILE",
        help="keep the repeat window in FILE, so a restart does not return events again",
    )
    p.add_argument(
        "--register",
        action="store_true",
        help="register the webhook with Infobip (or the --sandbox) on start, remove it on exit",
    )
    p.add_argument(
        "--url", help="with --register: the public URL Infobip calls (default: the local one)"
    )
    _connection_options(p)
    p = add("poll", cmd_poll, "print a trigger's new events as JSON lines, keeping a state file")
    p.add_argument(
        "trigger",
        help=trigger_names("a trigger that can be polled: ", lambda t: t.polling is not None),
    )
    add_compact(p, lines=True)
    p.add_argument(
        "--state",
        required=True,
        metavar="FILE",
        help="the state kept between polls (created on the first; replaced atomically)",
    )
    _connection_options(p)
