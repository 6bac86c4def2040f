"""Figure 6: one Send SMS to a very large number of destinations through the CLI.

Whole process against whole process, start-up and printing included: ``infobip-connector
run sendSms --input FILE`` against a plain script that posts the same body with httpx and
prints the parsed answer. Both write their JSON to a file, as an engine reading the output
would get it; both outputs are checked to list every destination.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from bench.context import Context, progress
from bench.paths import ROOT, WORKERS
from bench.report import Section, Target, number, times
from bench.stats import ratio
from bench.workers import _payloads as p

OURS = "`infobip-connector run sendSms --input bulk.json`"
PLAIN = "plain script: httpx post, print the parsed answer"


def _command_lines(folder: Path, port: int) -> dict[str, list[str]]:
    return {
        PLAIN: [sys.executable, str(WORKERS / "plain_script.py"), str(port), str(folder / "body")],
        OURS: [
            sys.executable,
            "-m",
            "infobip_connector",
            "run",
            "sendSms",
            "--input",
            str(folder / "bulk.json"),
        ],
    }


def process_env(port: int) -> dict[str, str]:
    """The environment of a CLI process: the source tree, the key and the loopback URL."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "INFOBIP_API_KEY": p.TOKEN,
        "INFOBIP_BASE_URL": f"http://127.0.0.1:{port}",
    }


def timed_process(
    command: list[str], output: Path, env: dict[str, str]
) -> tuple[float | None, str]:
    """Wall seconds of one process writing to ``output``, or None and why it failed."""
    with output.open("wb") as out:
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.PIPE)
        wall = time.perf_counter() - started
    if done.returncode != 0:
        tail = (done.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
        return None, f"exit {done.returncode}: {tail}"[:300]
    return wall, ""


def _lists_every_destination(output: Path, size: int) -> bool:
    printed = json.loads(output.read_bytes())
    return len(printed.get("messages", [])) == size


def run(ctx: Context) -> Section:
    s = ctx.settings
    section = Section(
        f"6. Bulk through the CLI: one Send SMS to {s.bulk_size:,} destinations",
        "Whole process against whole process (start-up, reading the input, sending, printing "
        f"the {s.bulk_size:,}-entry JSON to a file): {OURS} against a plain script that posts "
        "the pre-built body with httpx and prints the parsed answer as indented JSON with "
        f"orjson. {s.bulk_reps} fresh processes each, the two taking turns; medians.",
        ["Command", "Median wall s", "÷ plain script"],
    )
    server = ctx.server
    env = process_env(server.port)
    walls: dict[str, list[float]] = {PLAIN: [], OURS: []}
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as temp:
        folder = Path(temp)
        (folder / "bulk.json").write_bytes(p.dumps(p.bulk_inputs(s.bulk_size)))
        (folder / "body").write_bytes(p.bulk_body(s.bulk_size))
        commands = _command_lines(folder, server.port)
        # One untimed run each: the page cache, bytecode and the server's first answer.
        for rep in range(s.bulk_reps + 1):
            for label, command in commands.items():
                output = folder / "output.json"
                wall, error = timed_process(command, output, env)
                if wall is None or not _lists_every_destination(output, s.bulk_size):
                    problem = error or "the output does not list every destination"
                    section.notes.append(f"{label}: {problem}")
                    ctx.failures.append(f"figure 6, {label}: {problem}")
                    return _finish(section, walls)
                if rep:
                    walls[label].append(wall)
            progress(f"  cli bulk repetition {rep}/{s.bulk_reps} done")
    return _finish(section, walls)


def _finish(section: Section, walls: dict[str, list[float]]) -> Section:
    medians = {label: median(values) if values else None for label, values in walls.items()}
    base = medians[PLAIN]
    for label, value in medians.items():
        section.rows.append([label, number(value, 3), times(ratio(value, base))])
    section.targets.append(
        Target(
            "6. bulk through the CLI, wall ÷ plain script", ratio(medians[OURS], base), 1.5, True
        )
    )
    return section
