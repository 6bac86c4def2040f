"""Figure 5: start-up cost of fresh interpreter processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from statistics import median

from bench.context import Context, progress
from bench.paths import ROOT
from bench.report import Section, Target, number, times
from bench.stats import ratio

DEPENDENCIES = "pydantic, httpx, jsonschema, yaml, jsonschema_rs, phonenumbers"
# The package may defer loading to first use; this line shows what that first use costs.
READY = (
    "from infobip_connector import component; "
    "component.validate_input('sendSms', {'messages': [{'destinations': [{'to': '41793026727'}], "
    "'text': 'x'}]})"
)
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    f"python -c 'import {DEPENDENCIES}'": ["-c", f"import {DEPENDENCIES}"],
    "python -c 'import infobip_connector'": ["-c", "import infobip_connector"],
    "python -c 'import infobip_connector' + first validate_input": ["-c", READY],
    "python -m infobip_connector definition": ["-m", "infobip_connector", "definition"],
}


def timed(args: list[str], runs: int) -> tuple[float | None, str | None]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return None, f"exit {done.returncode}: {tail}"[:300]
    return median(walls), None


def run(ctx: Context) -> Section:
    runs = ctx.settings.startup_runs
    section = Section(
        "5. Start-up",
        f"Median wall time of {runs} fresh processes each (the project's interpreter, "
        "bytecode already cached). The dependency line imports what the package depends on, "
        "so the ratio is what the package itself adds. The first-use line imports the package "
        "and validates one small Send SMS: the cost of being ready to send, whatever the "
        "package defers.",
        ["Command", "Median ms", "÷ dependencies"],
    )
    medians: dict[str, float | None] = {}
    for label, args in COMMANDS.items():
        medians[label], error = timed(args, runs)
        progress(f"  {label:<70} {'ok' if error is None else 'FAILED: ' + error}")
        if error:
            section.notes.append(f"`{label}`: {error}")
            ctx.failures.append(f"{label}: {error}")
    deps = medians[f"python -c 'import {DEPENDENCIES}'"]
    for label, value in medians.items():
        shown = number(value * 1000 if value is not None else None)
        section.rows.append([f"`{label}`", shown, times(ratio(value, deps))])
    ours = medians["python -c 'import infobip_connector'"]
    definition = medians["python -m infobip_connector definition"]
    section.targets.append(Target("5. import, ours ÷ dependencies", ratio(ours, deps), 1.2, True))
    section.targets.append(Target("5. `definition` command", definition, 0.5, True, unit=" s"))
    return section
