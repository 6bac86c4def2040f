"""Starting ``serve``: its options, the default connection, stdin and stdout, signals.

The protocol's stdout is a copy of file descriptor 1, taken before descriptor 1 is
pointed at stderr: whatever else writes to stdout (a library's print, a C extension)
lands in the log instead of corrupting the answers.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import stopsignals
from ..cliflags import GRACE, grace_seconds
from .output import output_closed

if TYPE_CHECKING:
    from ..lineout import Output
    from .lost import Summary
    from .methods import Methods

#: Default bound on requests in flight: the pooled async client's connections.
MAX_IN_FLIGHT = 100
#: Default longest request line, the CLI's limit on an input file.
MAX_LINE_BYTES = 50 * 1024 * 1024


def _bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r}: give a whole number from {low} to {high}")
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``serve``."""
    parser.add_argument("--connection", help="default connection: JSON file with token and baseUrl")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="send everything to the embedded sandbox (requests may then carry no connection)",
    )
    parser.add_argument(
        "--max-in-flight",
        type=_bounded_int(1, 10_000),
        default=MAX_IN_FLIGHT,
        help=f"requests run at once; more wait unread (default: {MAX_IN_FLIGHT})",
    )
    parser.add_argument(
        "--max-line-bytes",
        type=_bounded_int(1024, 1 << 30),
        default=MAX_LINE_BYTES,
        help="longest request line; a longer one is answered with an error (default: 50 MiB)",
    )
    parser.add_argument(
        "--grace",
        type=grace_seconds,
        default=GRACE,
        help="seconds requests in flight get after SIGTERM, and the answers the client has "
        f"not read yet at the end (default: {GRACE:g})",
    )


def run(args: argparse.Namespace, *, read_json: Callable[[str, str], Any]) -> None:
    """Serve until the end of stdin or a stop signal. Raises UsageError for wrong options."""
    from ... import component
    from ...redaction import get_logger
    from ..eventloop import loop_factory, loop_name
    from ..eventloop import run as run_loop
    from .connections import Connections
    from .methods import Methods

    factory = loop_factory()  # before anything starts: a wrong choice is a usage error
    get_logger("infobip_connector.serve").debug("event loop: %s", loop_name(factory))
    connections = Connections.from_options(
        connection_file=args.connection,
        sandbox=args.sandbox,
        environ=os.environ,
        read_json=read_json,
        notices=sys.stderr,
    )
    methods = Methods(component, connections)
    sys.stdout.flush()
    answers = os.dup(1)
    os.dup2(2, 1)
    try:
        run_loop(_serve(methods, answers, args), factory)
    finally:
        os.close(answers)


async def _serve(methods: Methods, answers: int, args: argparse.Namespace) -> None:
    # Imported here, as the other commands' modules are: `run` never needs asyncio.
    import asyncio

    from ..lineout import output_on

    with output_on(answers, asyncio.get_running_loop()) as output:
        await _serve_on(methods, output, answers, args)


async def _serve_on(
    methods: Methods, output: Output[Summary], answers: int, args: argparse.Namespace
) -> None:
    import asyncio

    from ... import aclose_pooled_clients
    from .lines import LineReader
    from .worker import Worker

    loop = asyncio.get_running_loop()
    worker = Worker(
        methods,
        output,
        max_in_flight=args.max_in_flight,
        grace=args.grace,
        output_closed=output_closed(answers),
    )
    await stopsignals.keep_from_loop_threads()
    try:
        # A signal that came during start-up stops the worker before it reads anything: the
        # lines already waiting in the pipe are answered `stopped`, none of them run.
        with stopsignals.handling(worker.stop, pending_first=True):
            reader = LineReader(sys.stdin.fileno(), args.max_line_bytes, loop, worker.take_now)
            reader.start()
            try:
                await worker.serve(reader.next, reader.ready)
            finally:
                # Its last lines are answered: a later write fails at once (EPIPE).
                reader.close()
    finally:
        await aclose_pooled_clients()
