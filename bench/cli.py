"""``python -m bench``: set up, run the chosen figures, print and save the table."""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import signal
import sys
import time
from statistics import median

from bench import machine
from bench.context import Context, progress
from bench.figures import FIGURES
from bench.loopback import LoopbackServer
from bench.parties import PEERS, Party, ensure_installed
from bench.paths import RESULTS, ROOT, WORKERS
from bench.report import Section, document
from bench.settings import FULL, QUICK


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and sizes")
    parser.add_argument("--only", default="", help="comma-separated figure numbers, e.g. 1,3")
    parser.add_argument("--skip-peers", action="store_true", help="do not set up or run peers")
    parser.add_argument(
        "--output", default=str(RESULTS / "latest.md"), help="where to write the Markdown table"
    )
    args = parser.parse_args(argv)
    try:
        args.figures = sorted({int(n) for n in args.only.split(",") if n.strip()} or FIGURES)
    except ValueError:
        parser.error("--only takes figure numbers such as 1,3")
    unknown = set(args.figures) - set(FIGURES)
    if unknown:
        parser.error(f"no figure {sorted(unknown)}; figures are {sorted(FIGURES)}")
    return args


def peers_for(args: argparse.Namespace) -> tuple[list[Party], dict[str, str]]:
    if args.skip_peers or not {2, 3} & set(args.figures):
        reason = "skipped (--skip-peers)" if args.skip_peers else None
        return [], {p.key: reason for p in PEERS} if reason else {}
    ready: list[Party] = []
    problems: dict[str, str] = {}
    for peer in PEERS:
        progress(f"setting up {peer.requirement} in {peer.venv.relative_to(ROOT)}")
        problem = ensure_installed(peer, RESULTS / f"install-{peer.key}.log")
        if problem:
            progress(f"  {problem}; continuing without it")
            problems[peer.key] = problem
        else:
            ready.append(peer)
    return ready, problems


def header(ctx: Context, args: argparse.Namespace) -> list[str]:
    lines = machine.describe()
    mode = "quick smoke run (not for quoting)" if args.quick else "full run"
    lines.append(f"- Run: {mode}; figures {', '.join(map(str, args.figures))}")
    if ctx.server_busy:
        lines.append(
            f"- Loopback server: {LoopbackServer.backend}, own process; busiest while a party "
            f"ran: {max(ctx.server_busy):.0%} of one core (median {median(ctx.server_busy):.0%})"
        )
    lines.append(
        "- Noisy shared machine: read the medians and the ratios, not single runs; "
        "times are per send unless stated."
    )
    return lines


def compile_bytecode() -> None:
    """Compile the package's and the workers' bytecode once, as ``pip install`` does.

    Our parties run from this source tree (``PYTHONPATH``), the peers from installed
    packages. Where ``PYTHONDONTWRITEBYTECODE`` is set, or a module changed since its cache
    was written, every fresh process of ours would compile those modules from source again
    (about a tenth of a CLI step): a cost no installed copy has.
    """
    for folder in (ROOT / "infobip_connector", WORKERS):
        compileall.compile_dir(str(folder), quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if importlib.util.find_spec("httpx") is None:
        progress(
            f"{sys.executable} has no httpx: run with the project's environment "
            "(activate it, or PYTHON=/path/to/venv/bin/python bench/run)"
        )
        return 2
    compile_bytecode()
    # Turn a polite kill into an exception so the loopback server is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    peers, problems = peers_for(args)
    ctx = Context(QUICK if args.quick else FULL, problems, peers)
    sections: list[Section] = []
    with ctx.stack:
        for number in args.figures:
            progress(f"figure {number}")
            sections.append(FIGURES[number](ctx))
    text = document(header(ctx, args), sections, ctx.versions)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w") as out:
        out.write(text)
    print(text)
    progress(f"written to {args.output} in {time.perf_counter() - started:.0f} s")
    for failure in ctx.failures:
        progress(f"failed: {failure}")
    return 1 if ctx.failures else 0
