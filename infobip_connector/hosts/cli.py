"""``infobip-connector``: the component from the command line, JSON in and JSON out.

Exit codes: 0 success, 2 invalid input or usage (nothing sent), 3 rejected or rate
limited by Infobip (nothing sent), 4 outcome unknown (check before resending),
5 unreachable or authentication failed (nothing sent), 1 internal error.
Errors go to stderr as one JSON object ``{"error": {"type", "message", "details"}}``.
"""

from __future__ import annotations

import argparse
import errno
import gc
import json
import logging
import os
import shlex
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .. import outcome, safejson
from .._version import __version__
from ..errors import ConnectorError, InputError, InternalError, UsageError
from ..redaction import RedactingFilter, redact, sent_ids
from . import jsonout, stopsignals
from .cliflags import LazyHelp, action_names, add_compact
from .retryhint import REPEATED_ALONE, REPEATED_HELP, retry_hint
from .serve.command import add_arguments as serve_arguments
from .uniquejson import loads_unique

if TYPE_CHECKING:
    from ..component import Component
    from ..definition.model import Action
    from ..definition.project import Project

MAX_INPUT_BYTES = 50 * 1024 * 1024
VERBOSE_HELP = "log requests on stderr (key redacted)"
# Commands that run until stopped: they keep the cycle collector (see ``main``).
SERVERS = frozenset({"sandbox", "editor", "mcp", "serve", "listen"})


class _Parser(argparse.ArgumentParser):
    """Usage mistakes come out as the same JSON error object as every other failure."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        _fail(UsageError([{"path": "", "message": message}], f"usage: {message}"))

    def format_help(self) -> str:
        LazyHelp.fill(self)
        return super().format_help()


def _dump(data: Any, pretty: bool = True) -> None:
    jsonout.write(data, pretty=pretty)


def _fail(error: ConnectorError) -> NoReturn:
    # Strict JSON: an engine reading stderr must be able to parse it (details are JSON-safe).
    text = json.dumps(error.to_dict(), ensure_ascii=False, allow_nan=False)
    sys.stderr.write(redact(text, sent_ids(error.details)) + "\n")
    raise SystemExit(error.exit_code)


def _read_json(source: str, what: str) -> Any:
    """JSON from a file path or ``-`` (stdin), refusing anything over the size limit.

    Read with a bound whatever the source is: a device (``/dev/zero``) or a FIFO reports
    size 0 and would otherwise be read without end. ``what`` is ``input`` or ``connection``;
    errors name its option: the input's are input errors (exit 2), a connection file's
    usage errors at ``--connection`` (exit 2).
    """
    option = f"--{what}"
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(source, "rb") as file:
                raw = file.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(
            [{"path": option, "message": f"cannot read {what} {source}: {exc.strerror}"}]
        ) from None
    error = InputError if option == "--input" else UsageError
    path = "" if option == "--input" else option
    if len(raw) > MAX_INPUT_BYTES:
        raise error([{"path": path, "message": f"{what} is larger than 50 MB; split it up"}])
    try:
        return loads_unique(raw)  # a member named twice is refused, never half-read
    except safejson.JsonError as exc:
        raise error([{"path": path, "message": f"{what} {exc}"}]) from None


def _connection(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """The connection values and, for ``--sandbox``, the in-process transport to use."""
    from .cliconnection import resolve_connection

    return resolve_connection(
        connection_file=args.connection,
        sandbox=args.sandbox,
        environ=os.environ,
        read_json=_read_json,
        notices=sys.stderr,
    )


def _project(args: argparse.Namespace, *, installed_by_default: bool) -> Project:
    """The definition a command reads: ``--definition``, a checkout's, or the installed one."""
    from ..definition.project import Project, find_project

    if installed_by_default and args.definition is None:
        from ..definition.model import default_definition_path

        path = default_definition_path()
        return Project(path, Path.cwd(), installed=True)
    return find_project(args.definition)


def _component(project: Project) -> Component:
    """The component of ``project``'s definition, loaded now so a broken file is a usage error."""
    from ..component import Component
    from ..definition.model import DefinitionError

    component = Component(project.definition)
    try:
        component.definition  # noqa: B018 (loads and checks the file)
    except DefinitionError as exc:
        raise UsageError([{"path": str(project.definition), "message": str(exc)}]) from None
    return component


def _summarise_rejections(kind: str, output: dict[str, Any], answerer: str) -> None:
    """Lists on stderr the messages a send's answer reports REJECTED; nothing for other kinds.

    ``answerer`` is who rejected them: ``Infobip``, or ``the sandbox`` under ``--sandbox``.
    """
    from ..runtime.action_runtime import recipient, send_rejections

    rejected, total = send_rejections(kind, output)
    if not rejected:
        return
    sys.stderr.write(f"warning: {answerer} rejected {len(rejected)} of {total} message(s):\n")
    for entry in rejected[:20]:
        status = entry["status"]
        sys.stderr.write(
            f"  {entry.get('messageId')} to {recipient(entry)}: {status.get('name')}"
            f" ({status.get('description', '')})\n"
        )


def cmd_definition(args: argparse.Namespace) -> None:
    component = _component(_project(args, installed_by_default=True))
    _dump(component.definition_json(), pretty=not args.compact)


def cmd_schema(args: argparse.Namespace) -> None:
    component = _component(_project(args, installed_by_default=True))
    if args.action == "connection":
        if args.output:
            raise UsageError(
                [
                    {
                        "path": "--output",
                        "message": "applies to actions only: the connection has one schema",
                    }
                ]
            )
        _dump(component.connection_schema(), pretty=not args.compact)
        return
    _check_action(component, args.action)
    schema = (
        component.output_schema(args.action) if args.output else component.input_schema(args.action)
    )
    _dump(schema, pretty=not args.compact)


def cmd_schemas(args: argparse.Namespace) -> None:
    project = _project(args, installed_by_default=False)
    schemas = _component(project).schemas()
    folder = project.path(args.dir, "schemas")
    problems = []
    for name, schema in schemas.items():
        text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        target = folder / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        if args.check:
            state = "missing" if current is None else "out of date"
            problems.append(
                {"path": str(target), "message": f"{state}; run `infobip-connector schemas`"}
            )
        else:
            folder.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if args.check:
        # A schema left over from a renamed or removed action is as wrong as a stale one.
        problems += [
            {"path": str(extra), "message": f"not derived from {project.describe()}; remove it"}
            for extra in sorted(folder.glob("*.json"))
            if extra.name not in schemas
        ]
    from ..definition.compiled import sync_checked_copy

    problems += sync_checked_copy(project.root, project.definition, check=args.check)
    if problems:
        raise _out_of_sync(problems, project)
    verb = "checked" if args.check else "wrote"
    print(f"{verb} {len(schemas)} schemas in {folder} from {project.describe()}")


def cmd_docs(args: argparse.Namespace) -> None:
    from ..definition.reference import render_reference

    project = _project(args, installed_by_default=False)
    text = render_reference(_component(project).definition)
    target = project.path(args.output, "docs/reference.md")
    if args.check:
        if not target.exists():
            state = "missing"
        elif target.read_text(encoding="utf-8") != text:
            state = "out of date"
        else:
            print(f"{target} is up to date with {project.describe()}")
            return
        problem = {"path": str(target), "message": f"{state}; run `infobip-connector docs`"}
        raise _out_of_sync([problem], project)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} from {project.describe()}")


def _out_of_sync(problems: list[dict[str, str]], project: Project) -> UsageError:
    shown = "; ".join(f"{p['path']}: {p['message']}" for p in problems)
    return UsageError(problems, f"not in sync with {project.describe()}: {shown}")


def _has_options(action: Action) -> bool:
    from ..definition.model import walk

    return any(prop.optionsFrom is not None for _, prop in walk(action.as_property()))


def _check_action(component: Component, name: str) -> None:
    if name not in component.action_names:
        raise UsageError(
            [
                {
                    "path": "action",
                    "message": f"unknown action {name!r}; "
                    f"one of: {', '.join(component.action_names)}",
                }
            ]
        )


def cmd_run(args: argparse.Namespace) -> None:
    from .. import component
    from ..component import checked_idempotency_key

    _check_action(component, args.action)
    key = args.idempotency_key
    if key is not None:
        checked_idempotency_key(key, "--idempotency-key")
    elif args.repeated:
        raise UsageError([{"path": "--repeated", "message": REPEATED_ALONE}])
    inputs = _read_json(args.input, "input")
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
    _dump(output, pretty=not args.compact)
    _summarise_rejections(kind, output, "the sandbox" if args.sandbox else "Infobip")


def cmd_options(args: argparse.Namespace) -> None:
    if args.definition is None:
        from .. import component
    else:
        component = _component(_project(args, installed_by_default=True))
    _check_action(component, args.action)
    inputs = _read_json(args.input, "input") if args.input is not None else {}
    connection, transport = _connection(args)
    options = component.options(args.action, args.property, inputs, connection, transport=transport)
    _dump(options, pretty=not args.compact)
    for note in options.notes():
        sys.stderr.write(f"warning: {note}\n")


def cmd_check(args: argparse.Namespace) -> None:
    from .. import component

    connection, transport = _connection(args)
    answer = component.test_connection(connection, transport=transport)
    _dump({"ok": True, **answer}, pretty=not args.compact)


def cmd_serve(args: argparse.Namespace) -> None:
    from .serve.command import run

    run(args, read_json=_read_json)


def _port(text: str) -> int:
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


def _seconds(text: str) -> float:
    """``--grace-period``: a number of seconds above 0."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return seconds


def _cannot_listen(exc: OSError, host: str, port: int) -> UsageError:
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
        raise _cannot_listen(exc, args.host, args.port) from None


def cmd_demo(args: argparse.Namespace) -> None:
    from .demo import run_demo

    run_demo(as_json=args.json or args.compact, compact=args.compact)


def cmd_editor(args: argparse.Namespace) -> None:
    from .editor.server import run_editor

    try:
        run_editor(args.port, host=args.host, open_browser=args.open)
    except ValueError as exc:
        raise UsageError([{"path": "--host", "message": str(exc)}]) from None
    except OSError as exc:
        raise _cannot_listen(exc, args.host, args.port) from None


def cmd_mcp(args: argparse.Namespace) -> None:
    from .mcp.command import run

    run(args, lambda: _connection(args), _cannot_listen)


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
            p.add_argument("action", help=action_names("one of: ", _has_options))
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
    p.add_argument("--port", type=_port, default=8080, help="default: 8080; 0 picks a free one")
    p.add_argument("--api-key", default=None, help="accept only this key (default: any)")
    p.add_argument(
        "--idempotent-sending",
        action="store_true",
        help="emulate Infobip's idempotent message sending: a messageId repeated within the "
        "grace period is rejected as a duplicate instead of sent again (default: off)",
    )
    p.add_argument(
        "--grace-period",
        type=_seconds,
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
    p.add_argument("--port", type=_port, default=8000, help="default: 8000; 0 picks a free one")
    p.add_argument("--open", action="store_true", help="open it in the default browser")
    from .mcp import command as mcp_command

    p = add("mcp", cmd_mcp, mcp_command.HELP)
    mcp_command.add_arguments(p, _port)
    from .triggercli import add_commands

    add_commands(add, _port)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the process is, like Ctrl-C's KeyboardInterrupt.

    Engines stop a task with SIGTERM (Airflow, Docker, systemd) or SIGHUP (a closed
    terminal); ending the process there silently would lose the IDs of a request in
    flight. As a KeyboardInterrupt it takes the path Ctrl-C takes: the client attaches the
    IDs and ``main`` prints the ``outcome_unknown`` error (exit 4).
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_terminated(signum: int, _frame: object) -> None:
    raise Terminated(signum)


def _catch_termination() -> None:
    """Turn SIGTERM and SIGHUP into ``Terminated`` for the rest of this process."""
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)  # no SIGHUP on Windows
        if number is not None:
            signal.signal(number, _raise_terminated)


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to ``sys.stderr`` as it is when a record comes, not as it was at set-up.

    ``main`` may run many times in one process (tests, an embedding host) while
    ``sys.stderr`` is swapped and closed in between; a stream kept from an earlier call
    would turn each later record into a logging error.
    """

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _setup_logging(verbose: bool) -> None:
    root = logging.getLogger("infobip_connector")
    for earlier in [h for h in root.handlers if isinstance(h, _Stderr)]:
        root.removeHandler(earlier)  # one handler however often main runs
    handler = _Stderr()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


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
        _catch_termination()
    _setup_logging(args.verbose)
    try:
        args.handler(args)
    except ConnectorError as error:
        _fail(error)
    except KeyboardInterrupt as interrupt:
        # Ctrl-C while a request may have reached Infobip: say which IDs to check (exit 4).
        unknown = getattr(interrupt, outcome.ATTRIBUTE, None)
        if isinstance(unknown, ConnectorError):
            _fail(unknown)
        # The shell's convention: 128 + the signal's number.
        raise SystemExit(128 + getattr(interrupt, "signum", signal.SIGINT)) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
    except Exception as exc:
        _fail(InternalError(f"internal error: {type(exc).__name__}: {exc}"))
    finally:
        if one_shot:
            gc.freeze()


if __name__ == "__main__":
    main()
