"""``infobip-connector``: the component from the command line, JSON in and JSON out.

Exit codes: 0 success, 2 invalid input or usage (nothing sent), 3 rejected or rate
limited by Infobip (nothing sent), 4 outcome unknown (check before resending),
5 unreachable or authentication failed (nothing sent), 1 internal error.
Errors go to stderr as one JSON object ``{"error": {"type", "message", "details"}}``.
"""

from __future__ import annotations

import argparse
import gc
import os
import shlex
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from .. import outcome
from .._version import __version__
from ..errors import ConnectorError, InternalError, UsageError
from . import stopsignals
from .clidefinition import (
    check_action,
    chosen_project,
    cmd_definition,
    cmd_docs,
    cmd_schema,
    cmd_schemas,
    has_options,
    loaded_component,
)
from .cliflags import LazyHelp, action_names, add_compact
from .clijson import MAX_INPUT_BYTES as MAX_INPUT_BYTES
from .clijson import dump_json, fail, read_json
from .cliprocess import Terminated as Terminated
from .cliprocess import catch_termination, setup_logging
from .localservers import cannot_listen, cmd_editor, cmd_sandbox, grace_period_seconds, tcp_port
from .retryhint import REPEATED_ALONE, REPEATED_HELP, retry_hint
from .serve.command import add_arguments as serve_arguments

VERBOSE_HELP = "log requests on stderr (key redacted)"
# Commands that run until stopped: they keep the cycle collector (see ``main``).
SERVERS = frozenset({"sandbox", "editor", "mcp", "serve", "listen"})


class _Parser(argparse.ArgumentParser):
    """Usage mistakes come out as the same JSON error object as every other failure."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        fail(UsageError([{"path": "", "message": message}], f"usage: {message}"))

    def format_help(self) -> str:
        LazyHelp.fill(self)
        return super().format_help()


def _connection(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """The connection values and, for ``--sandbox``, the in-process transport to use."""
    from .cliconnection import resolve_connection

    return resolve_connection(
        connection_file=args.connection,
        sandbox=args.sandbox,
        environ=os.environ,
        read_json=read_json,
        notices=sys.stderr,
    )


def _summarise_rejections(kind: str, output: dict[str, Any], answerer: str) -> None:
    """Lists on stderr the messages a send's answer reports REJECTED; nothing for other kinds.

    ``answerer`` is who rejected them: ``Infobip``, or ``the sandbox`` under ``--sandbox``.
    """
    from ..runtime.rejections import recipient, send_rejections

    rejected, total = send_rejections(kind, output)
    if not rejected:
        return
    sys.stderr.write(f"warning: {answerer} rejected {len(rejected)} of {total} message(s):\n")
    for entry in rejected[:20]:
        status = entry["status"]
        # Infobip's texts cut (the output on stdout has them whole).
        message_id, to = _cut(entry.get("messageId")), _cut(recipient(entry))
        sys.stderr.write(
            f"  {message_id} to {to}: {_cut(status.get('name'))}"
            f" ({_cut(status.get('description', ''), 120)})\n"
        )


def _cut(value: Any, limit: int = 60) -> str:
    from ..redaction import snippet

    return snippet(str(value), limit)


def cmd_run(args: argparse.Namespace) -> None:
    from .. import component
    from ..component import checked_idempotency_key

    check_action(component, args.action)
    key = args.idempotency_key
    if key is not None:
        checked_idempotency_key(key, "--idempotency-key")
    elif args.repeated:
        raise UsageError([{"path": "--repeated", "message": REPEATED_ALONE}])
    inputs = read_json(args.input, "input")
    connection, transport = _connection(args)
    kind = component.definition.action(args.action).kind
    hinted = key if kind == "send" else None
    retry = f"with --idempotency-key {shlex.quote(key or '')} --repeated"
    with retry_hint(hinted, detail="idempotencyKey", retry=retry):
        output = component.execute(
            args.action,
            inputs,
            connection,
            transport=transport,
            idempotency_key=key,
            repeated=args.repeated,
        )
    dump_json(output, pretty=not args.compact)
    _summarise_rejections(kind, output, "the sandbox" if args.sandbox else "Infobip")


def cmd_options(args: argparse.Namespace) -> None:
    if args.definition is None:
        from .. import component
    else:
        component = loaded_component(chosen_project(args, installed_by_default=True))
    check_action(component, args.action)
    inputs = read_json(args.input, "input") if args.input is not None else {}
    connection, transport = _connection(args)
    options = component.options(args.action, args.property, inputs, connection, transport=transport)
    dump_json(options, pretty=not args.compact)
    for note in options.notes():
        sys.stderr.write(f"warning: {note}\n")


def cmd_check(args: argparse.Namespace) -> None:
    from .. import component

    connection, transport = _connection(args)
    answer = component.test_connection(connection, transport=transport)
    dump_json({"ok": True, **answer}, pretty=not args.compact)


def cmd_serve(args: argparse.Namespace) -> None:
    from .serve.command import run

    run(args, read_json=read_json)


def cmd_demo(args: argparse.Namespace) -> None:
    from .demo import run_demo

    run_demo(as_json=args.json or args.compact, compact=args.compact)


def cmd_mcp(args: argparse.Namespace) -> None:
    from .mcp.command import run

    run(args, lambda: _connection(args), cannot_listen)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="infobip-connector",
        description="Infobip SMS and WhatsApp actions for workflow engines.",
        epilog='Connection: --connection FILE with {"token", "baseUrl"}, or the environment '
        "variables INFOBIP_API_KEY and INFOBIP_BASE_URL. Without a key, run and check refuse "
        "to start; --sandbox runs them against the embedded sandbox instead.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help=VERBOSE_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, handler: Callable[[argparse.Namespace], None], text: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        p.set_defaults(handler=handler)
        # Also after the command; SUPPRESS keeps a flag given before it from being reset.
        p.add_argument(
            "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP
        )
        return p

    installed = "default: the installed component's connector.yaml, the one run uses"
    p = add("definition", cmd_definition, "print the component definition as JSON")
    p.add_argument("--definition", metavar="FILE", help=f"read this connector.yaml ({installed})")
    add_compact(p)
    p = add("schema", cmd_schema, "print an action's input (or output) JSON Schema")
    p.add_argument("action", help=action_names("'connection' or an action: "))
    add_compact(p)
    p.add_argument("--output", action="store_true", help="the action's output schema instead")
    p.add_argument("--definition", metavar="FILE", help=f"read this connector.yaml ({installed})")
    checkout = (
        "default: connector.yaml in the current folder or the nearest parent that has one, "
        "else the installed copy; default paths are relative to its folder"
    )
    p = add("schemas", cmd_schemas, "write every derived JSON Schema into a folder")
    p.add_argument("--dir", default=None, help="target folder (default: schemas)")
    p.add_argument("--check", action="store_true", help="only check they are up to date")
    p.add_argument("--definition", metavar="FILE", help=f"read this connector.yaml ({checkout})")
    p = add("docs", cmd_docs, "regenerate the property reference from connector.yaml")
    p.add_argument("--output", default=None, help="target file (default: docs/reference.md)")
    p.add_argument("--check", action="store_true", help="only check it is up to date")
    p.add_argument("--definition", metavar="FILE", help=f"read this connector.yaml ({checkout})")
    for name, handler, text in (
        ("run", cmd_run, "execute an action and print its output as JSON"),
        ("options", cmd_options, "list a property's choices from Infobip as [{value, label}]"),
        ("check", cmd_check, "test the connection (account balance)"),
    ):
        p = add(name, handler, text)
        add_compact(p)
        if name == "run":
            p.add_argument("action", help=action_names("one of: "))
            p.add_argument("--input", required=True, help="JSON file of property values, or -")
            p.add_argument(
                "--idempotency-key",
                metavar="KEY",
                help="derive the bulkId and messageIds a send leaves empty from KEY, so "
                "running the same step again reuses them (other actions ignore it)",
            )
            p.add_argument("--repeated", action="store_true", help=REPEATED_HELP)
        if name == "options":
            p.add_argument("action", help=action_names("one of: ", has_options))
            p.add_argument("property", help="its path, e.g. messages[].content.templateName")
            p.add_argument("--input", help="JSON file of the values filled so far, or -")
            p.add_argument(
                "--definition", metavar="FILE", help=f"read this connector.yaml ({installed})"
            )
        p.add_argument("--connection", help="JSON file with token and baseUrl")
        p.add_argument(
            "--sandbox",
            action="store_true",
            help="use the embedded sandbox (ignores INFOBIP_API_KEY and INFOBIP_BASE_URL)",
        )
    p = add("serve", cmd_serve, "answer JSON-RPC 2.0 requests on stdin, one per line")
    serve_arguments(p)
    add_compact(p, lines=True)
    p = add("sandbox", cmd_sandbox, "serve the Infobip emulator over HTTP (development only)")
    p.add_argument("--host", default="127.0.0.1", help="loopback address (default: 127.0.0.1)")
    p.add_argument("--port", type=tcp_port, default=8080, help="default: 8080; 0 picks a free one")
    p.add_argument("--api-key", default=None, help="accept only this key (default: any)")
    p.add_argument(
        "--idempotent-sending",
        action="store_true",
        help="emulate Infobip's idempotent message sending: a messageId repeated within the "
        "grace period is rejected as a duplicate instead of sent again (default: off)",
    )
    p.add_argument(
        "--grace-period",
        type=grace_period_seconds,
        metavar="SECONDS",
        help="with --idempotent-sending: how long a messageId is remembered (default: 86400)",
    )
    p.add_argument(
        "--allow-non-loopback",
        action="store_true",
        help="allow a --host other machines can reach (the sandbox has no real security)",
    )
    p = add("demo", cmd_demo, "run the five-step demo workflow against the embedded sandbox")
    p.add_argument("--json", action="store_true", help="print the outputs as JSON")
    p.add_argument("--compact", action="store_true", help="print the outputs as one-line JSON")
    p = add("editor", cmd_editor, "serve the visual editor preview on loopback")
    p.add_argument("--host", default="127.0.0.1", help="loopback IPv4 address (default: 127.0.0.1)")
    p.add_argument("--port", type=tcp_port, default=8000, help="default: 8000; 0 picks a free one")
    p.add_argument("--open", action="store_true", help="open it in the default browser")
    from .mcp import command as mcp_command

    p = add("mcp", cmd_mcp, mcp_command.HELP)
    mcp_command.add_arguments(p, tcp_port)
    from .triggercli import add_commands

    add_commands(add, tcp_port)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """The command line; ``argv`` defaults to the process's own arguments.

    Called without ``argv`` (as the console script and ``python -m`` do), a command other
    than the two servers is the whole life of the process, so the cycle collector is off
    for it: the data of a bulk is acyclic and freed by reference counting, while each
    collection would walk the whole heap again (with the imports, about a fifth of a
    100,000-destination run). What is left at the end is frozen, so the interpreter's
    final collection skips it too.
    """
    if argv is None and stopsignals.wanted(sys.argv[1:]):
        # Before the slow imports: a stop signal from now on is answered, not fatal.
        stopsignals.hold()
    args = build_parser().parse_args(argv)
    if args.command not in stopsignals.COMMANDS:
        stopsignals.release()
    one_shot = argv is None and args.command not in SERVERS
    if one_shot:
        gc.disable()
        catch_termination()
    setup_logging(args.verbose)
    try:
        args.handler(args)
    except ConnectorError as error:
        fail(error)
    except KeyboardInterrupt as interrupt:
        # Ctrl-C while a request may have reached Infobip: say which IDs to check (exit 4).
        unknown = getattr(interrupt, outcome.ATTRIBUTE, None)
        if isinstance(unknown, ConnectorError):
            fail(unknown)
        # The shell's convention: 128 + the signal's number.
        raise SystemExit(128 + getattr(interrupt, "signum", signal.SIGINT)) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
    except Exception as exc:
        fail(InternalError(f"internal error: {type(exc).__name__}: {exc}"))
    finally:
        if one_shot:
            gc.freeze()


if __name__ == "__main__":
    main()
