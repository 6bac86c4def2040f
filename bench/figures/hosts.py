"""Figure 7: the cost of one workflow step, one small Send SMS, through each host.

Long-lived hosts (in process, ``serve`` over pipes, MCP ``tools/call`` over stdio) are
timed per step inside one worker each, the scenarios taking turns over the rounds; the CLI
is timed as a fresh process per step against a bare Python process that imports httpx and
posts the same body. Then many sends in flight through one ``serve`` worker against the
in-process async path. Every ratio is between medians of the same run.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from statistics import median

from bench.context import Context, progress
from bench.figures.cli_bulk import process_env, timed_process
from bench.figures.concurrency import uvloop_installed
from bench.parties import HOSTS, OURS
from bench.paths import WORKERS
from bench.report import TIMES, Section, Target, number, times
from bench.runner import Outcome
from bench.stats import ratio, summarize
from bench.workers import _payloads as p

INPROC = "in-process API (`component.execute`)"
SERVE = "`serve`: JSON-RPC `execute` over pipes"
MCP = "`mcp`: MCP `tools/call` over stdio"
CLI = "`infobip-connector run sendSms`, a process per step"
BARE = "bare Python process: import httpx, post the body"
SERVE_MANY = "`serve`, {n:,} sends, {k} in flight"
ASYNC_MANY = "in-process `execute_async`, {n:,} sends, {k} in flight"
ON = ", {loop}"
# Scenario and, for serve, the event loop of its host (MCP runs on its default).
STEP_SCENARIOS: dict[str, dict[str, str]] = {
    INPROC: {"scenario": "step_inproc"},
    SERVE + ON.format(loop="asyncio"): {"scenario": "step_serve", "loop": "asyncio"},
    MCP: {"scenario": "step_mcp"},
}
# Not imported from the package: the bench must load even when the package is broken.
INSTALL = 'pip install "infobip-connector[mcp]"'
HEADERS = ["Host", "Median wall ms/step", "Steps/s", "÷ floor", "Target"]


def run(ctx: Context) -> Section:
    s = ctx.settings
    section = Section(
        "7. One workflow step through each host",
        f"One single-destination Send SMS per step against the loopback server. In process, "
        f"`serve` and MCP: {s.host_steps:,} steps per repetition in one long-lived host, "
        f"{s.reps} repetitions, the hosts taking turns; the floor is the in-process API. "
        f"CLI: {s.cli_steps} fresh processes each, taking turns with a bare Python process "
        "(imports httpx, posts the pre-built body, prints the answer); the floor is that "
        f"process. Then {s.concurrent_sends:,} sends with {s.in_flight} in flight through "
        "one `serve` worker against the in-process async path; the floor is the latter. "
        "`serve` runs on asyncio's own event loop and, when uvloop is installed (the `uvloop` "
        "extra), again on uvloop, as it does by default then; MCP runs on its default.",
        HEADERS,
    )
    scenarios = dict(STEP_SCENARIOS)
    loops = ["asyncio", "uvloop"] if uvloop_installed() else ["asyncio"]
    if len(loops) > 1:
        scenarios[SERVE + ON.format(loop="uvloop")] = {"scenario": "step_serve", "loop": "uvloop"}
    else:
        section.notes.append(
            'uvloop is not installed (pip install "infobip-connector[uvloop]"): no uvloop rows.'
        )
    if importlib.util.find_spec("mcp") is None:
        # The MCP server is an optional extra; without it the other hosts are still measured.
        del scenarios[MCP]
        section.notes.append(f"{MCP}: not measured, the mcp extra is not installed ({INSTALL})")
    steps = _steps(ctx, scenarios)
    floor = steps[INPROC]
    for label, outcome in steps.items():
        limit = 2.0 if label == MCP else 1.3 if label.startswith(SERVE) else None
        _row(section, label, outcome, floor, limit, at_most=True)
    _cli_rows(ctx, section)
    for loop in loops:
        _concurrent_rows(ctx, section, loop)
    section.notes.append(
        "For the rows with sends in flight, wall is per send (total ÷ sends) and the ratio "
        "is of sends per second, so higher is better there; elsewhere lower is better. "
        "Their client runs on the same kind of event loop as the host it drives."
    )
    return section


def _steps(ctx: Context, scenarios: dict[str, dict[str, str]]) -> dict[str, Outcome]:
    s = ctx.settings
    rounds = max(1, min(s.rounds, s.reps))
    merged = {label: Outcome(HOSTS) for label in scenarios}
    for _ in range(rounds):
        for label, scenario in scenarios.items():
            total = merged[label]
            if total.error is not None:
                continue
            spec = {
                **scenario,
                "n": s.host_steps,
                "warmup": s.host_warmup,
                "reps": s.reps // rounds,
            }
            got = ctx.run(HOSTS, spec)
            total.reps.extend(got.reps)
            total.error = got.error
    return merged


def _row(
    section: Section,
    label: str,
    outcome: Outcome,
    floor: Outcome | float | None,
    limit: float | None,
    at_most: bool,
    rate: bool = False,
) -> None:
    """One row: the median, its ratio to the floor's, and the target when there is one."""
    if not outcome.ok:
        section.rows.append([label, "failed", "", "", ""])
        section.notes.append(f"{label}: {outcome.error}")
        if limit is not None:
            section.targets.append(Target(f"7. {label} ÷ floor", None, limit, at_most))
        return
    got = summarize(outcome)
    base = floor if isinstance(floor, float) or floor is None else _median_of(floor, rate)
    value = got.rate if rate else got.wall
    shown = ratio(value, base)
    _add(section, label, got.wall, shown, limit, at_most)


def _median_of(outcome: Outcome, rate: bool) -> float | None:
    if not outcome.ok:
        return None
    got = summarize(outcome)
    return got.rate if rate else got.wall


def _add(
    section: Section,
    label: str,
    wall: float | None,
    shown: float | None,
    limit: float | None,
    at_most: bool,
) -> None:
    sign = "≤" if at_most else "≥"
    target = "floor" if shown == 1.0 and limit is None else ""
    if limit is not None:
        target = f"{sign} {limit:g}{TIMES}"
        section.targets.append(Target(f"7. {label} ÷ floor", shown, limit, at_most))
    per_second = None if not wall else 1 / wall
    section.rows.append(
        [
            label,
            number(None if wall is None else wall * 1e3, 3),
            number(per_second),
            times(shown),
            target,
        ]
    )


def _cli_rows(ctx: Context, section: Section) -> None:
    s = ctx.settings
    env = process_env(ctx.server.port)
    walls: dict[str, list[float]] = {BARE: [], CLI: []}
    with tempfile.TemporaryDirectory(prefix="bench-step-") as temp:
        folder = Path(temp)
        (folder / "step.json").write_bytes(p.dumps(p.sms_inputs()))
        (folder / "body").write_bytes(p.sms_body())
        commands = {
            BARE: [sys.executable, str(WORKERS / "plain_script.py"), str(ctx.server.port)],
            CLI: [sys.executable, "-m", "infobip_connector", "run", "sendSms"],
        }
        commands[BARE].append(str(folder / "body"))
        commands[CLI] += ["--input", str(folder / "step.json")]
        # One untimed run each: the page cache and bytecode.
        for rep in range(s.cli_steps + 1):
            for label, command in commands.items():
                wall, error = timed_process(command, folder / "output.json", env)
                if wall is None:
                    section.notes.append(f"{label}: {error}")
                    ctx.failures.append(f"figure 7, {label}: {error}")
                    walls[label].clear()
                    break
                if rep:
                    walls[label].append(wall)
        progress(f"  {s.cli_steps} CLI steps each done")
    medians = {label: median(v) if v else None for label, v in walls.items()}
    _add(section, BARE, medians[BARE], ratio(medians[BARE], medians[BARE]), None, True)
    _add(section, CLI, medians[CLI], ratio(medians[CLI], medians[BARE]), 1.5, True)


def _concurrent_rows(ctx: Context, section: Section, loop: str) -> None:
    s = ctx.settings
    spec = {
        "n": s.concurrent_sends,
        "warmup": s.concurrent_warmup,
        "in_flight": s.in_flight,
        "reps": s.reps,
        "loop": loop,
    }
    rounds = max(1, min(s.rounds, s.reps))
    floor, through = Outcome(OURS), Outcome(HOSTS)
    for _ in range(rounds):
        for total, party, scenario in (
            (floor, OURS, "concurrent"),
            (through, HOSTS, "serve_concurrent"),
        ):
            if total.error is None:
                got = ctx.run(party, {**spec, "scenario": scenario, "reps": s.reps // rounds})
                total.reps.extend(got.reps)
                total.error = got.error
    many = {"n": s.concurrent_sends, "k": s.in_flight}
    on = ON.format(loop=loop)
    _row(section, ASYNC_MANY.format(**many) + on, floor, floor, None, at_most=False, rate=True)
    _row(section, SERVE_MANY.format(**many) + on, through, floor, 0.8, at_most=False, rate=True)
