"""``infobip-connector``: the component from the command line, JSON in and JSON out.

Exit codes: 0 success, 2 invalid input or usage (nothing sent), 3 rejected or rate
limited by Infobip (nothing sent), 4 outcome unknown (check before resending),
5 unreachable or authentication failed (nothing sent), 1 internal error.
Errors go to stderr as one JSON object ``{"error": {"type", "message", "details"}}``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from . import outcome, safejson
from ._version import __version__
from .errors import ConnectorError, InputError, InternalError
from .redaction import RedactingFilter, redact

MAX_INPUT_BYTES = 50 * 1024 * 1024
SANDBOX_NOTICE = (
    "No API key given (--connection or INFOBIP_API_KEY): running against the embedded "
    "sandbox. Nothing is sent to Infobip."
)


class UsageError(InputError):
    type = "usage"

    def __init__(self, errors: list[dict[str, str]], message: str | None = None) -> None:
        shown = "; ".join(f"{e['path'] + ': ' if e['path'] else ''}{e['message']}" for e in errors)
        super().__init__(errors, message or shown)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes come out as the same JSON error object as every other failure."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        _fail(UsageError([{"path": "", "message": message}], f"usage: {message}"))


def _dump(data: Any, out: TextIO, pretty: bool = True) -> None:
    json.dump(data, out, indent=2 if pretty else None, ensure_ascii=False)
    out.write("\n")


def _fail(error: ConnectorError) -> NoReturn:
    # Strict JSON: an engine reading stderr must be able to parse it (details are JSON-safe).
    text = json.dumps(error.to_dict(), ensure_ascii=False, allow_nan=False)
    sys.stderr.write(redact(text) + "\n")
    raise SystemExit(error.exit_code)


def _read_json(source: str, what: str) -> Any:
    """JSON from a file path or ``-`` (stdin), refusing anything over the size limit."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            path = Path(source)
            if path.stat().st_size > MAX_INPUT_BYTES:
                raw = b"x" * (MAX_INPUT_BYTES + 1)
            else:
                raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(
            [{"path": "", "message": f"cannot read {what} {source}: {exc.strerror}"}]
        ) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError([{"path": "", "message": f"{what} is larger than 50 MB; split it up"}])
    try:
        return safejson.loads(raw)
    except safejson.JsonError as exc:
        raise InputError([{"path": "", "message": f"{what} {exc}"}]) from None


def _connection(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """The connection values and, for the sandbox, the in-process transport to use."""
    values: dict[str, Any]
    if args.connection:
        loaded = _read_json(args.connection, "connection")
        if not isinstance(loaded, dict):
            raise UsageError([{"path": "", "message": "the connection file must hold an object"}])
        values = loaded
    else:
        values = {}
        if os.environ.get("INFOBIP_API_KEY"):
            values["token"] = os.environ["INFOBIP_API_KEY"]
        if os.environ.get("INFOBIP_BASE_URL"):
            values["baseUrl"] = os.environ["INFOBIP_BASE_URL"]
    if args.sandbox or not values.get("token"):
        if not args.sandbox:
            sys.stderr.write(SANDBOX_NOTICE + "\n")
        from .sandbox import Sandbox

        return {"token": values.get("token") or "sandbox"}, Sandbox().transport()
    return values, None


def _summarise_rejections(output: dict[str, Any]) -> None:
    from .runtime import rejected_messages

    rejected = rejected_messages(output)
    if not rejected:
        return
    total = len(output.get("messages", [output]))
    sys.stderr.write(f"warning: Infobip rejected {len(rejected)} of {total} message(s):\n")
    for entry in rejected[:20]:
        status = entry.get("status", {})
        sys.stderr.write(
            f"  {entry.get('messageId')} to {entry.get('to')}: {status.get('name')}"
            f" ({status.get('description', '')})\n"
        )


def cmd_definition(args: argparse.Namespace) -> None:
    from . import component

    _dump(component.definition_json(), sys.stdout)


def cmd_schema(args: argparse.Namespace) -> None:
    from . import component

    if args.action == "connection":
        _dump(component.connection_schema(), sys.stdout)
        return
    _check_action(args.action)
    schema = (
        component.output_schema(args.action) if args.output else component.input_schema(args.action)
    )
    _dump(schema, sys.stdout)


def cmd_schemas(args: argparse.Namespace) -> None:
    from . import component

    folder = Path(args.dir)
    stale = []
    for name, schema in component.schemas().items():
        text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        target = folder / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            stale.append(name)
            if not args.check:
                folder.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    if args.check and stale:
        raise UsageError(
            [
                {"path": str(folder / n), "message": "out of date; run `infobip-connector schemas`"}
                for n in stale
            ]
        )
    print(f"{'checked' if args.check else 'wrote'} {len(component.schemas())} schemas in {folder}")


def cmd_docs(args: argparse.Namespace) -> None:
    from . import component
    from .reference import render_reference

    text = render_reference(component.definition)
    target = Path(args.output)
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            raise UsageError(
                [{"path": str(target), "message": "out of date; run `infobip-connector docs`"}]
            )
        print(f"{target} is up to date")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")


def _check_action(name: str) -> None:
    from . import component

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
    from . import component

    _check_action(args.action)
    inputs = _read_json(args.input, "input")
    connection, transport = _connection(args)
    output = component.execute(args.action, inputs, connection, transport=transport)
    _dump(output, sys.stdout, pretty=not args.compact)
    _summarise_rejections(output)


def cmd_check(args: argparse.Namespace) -> None:
    from . import component

    connection, transport = _connection(args)
    answer = component.test_connection(connection, transport=transport)
    _dump({"ok": True, **answer}, sys.stdout)


def cmd_sandbox(args: argparse.Namespace) -> None:
    from .sandbox import run_server

    run_server(args.host, args.port, args.api_key)


def cmd_demo(args: argparse.Namespace) -> None:
    from .demo import run_demo

    run_demo(as_json=args.json)


def cmd_editor(args: argparse.Namespace) -> None:
    from .editor.server import run_editor

    run_editor(args.port, open_browser=args.open)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="infobip-connector",
        description="Infobip SMS and WhatsApp actions for workflow engines.",
        epilog='Connection: --connection FILE with {"token", "baseUrl"}, or the environment '
        "variables INFOBIP_API_KEY and INFOBIP_BASE_URL. Without a key, run and check use the "
        "embedded sandbox.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests (key redacted)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, handler: Callable[[argparse.Namespace], None], text: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        p.set_defaults(handler=handler)
        return p

    add("definition", cmd_definition, "print the component definition as JSON")
    p = add("schema", cmd_schema, "print an action's input (or output) JSON Schema")
    p.add_argument("action", help="action name, or 'connection'")
    p.add_argument("--output", action="store_true", help="the output schema instead")
    p = add("schemas", cmd_schemas, "write every derived JSON Schema into a folder")
    p.add_argument("--dir", default="schemas", help="target folder (default: schemas)")
    p.add_argument("--check", action="store_true", help="only check they are up to date")
    p = add("docs", cmd_docs, "regenerate the property reference from connector.yaml")
    p.add_argument("--output", default="docs/reference.md", help="default: docs/reference.md")
    p.add_argument("--check", action="store_true", help="only check it is up to date")
    for name, handler, text in (
        ("run", cmd_run, "execute an action and print its output as JSON"),
        ("check", cmd_check, "test the connection (account balance)"),
    ):
        p = add(name, handler, text)
        if name == "run":
            p.add_argument("action", help="sendSms or sendWhatsappTextMessage")
            p.add_argument("--input", required=True, help="JSON file of property values, or -")
            p.add_argument("--compact", action="store_true", help="one-line JSON output")
        p.add_argument("--connection", help="JSON file with token and baseUrl")
        p.add_argument("--sandbox", action="store_true", help="use the embedded sandbox")
    p = add("sandbox", cmd_sandbox, "serve the Infobip emulator over HTTP (development only)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--api-key", default=None, help="accept only this key (default: any)")
    p = add("demo", cmd_demo, "run a two-step workflow against the embedded sandbox")
    p.add_argument("--json", action="store_true", help="print the outputs as JSON")
    p = add("editor", cmd_editor, "serve the visual editor preview on loopback")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--open", action="store_true", help="open it in the default browser")
    return parser


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("infobip_connector")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
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
        raise SystemExit(130) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
    except Exception as exc:
        _fail(InternalError(f"internal error: {type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    main()
