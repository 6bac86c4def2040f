"""Run one worker process and collect what it measured."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from typing import Any

from bench.loopback import LoopbackServer
from bench.parties import Party
from bench.paths import ROOT


@dataclass
class Outcome:
    party: Party
    reps: list[dict[str, Any]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    # Server CPU seconds per measured wall second. Warm-up and start-up are in the
    # numerator only, so this overstates how busy the server was: a safe upper bound.
    server_busy: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.reps)


def run_worker(
    party: Party,
    spec: dict[str, Any],
    server: LoopbackServer | None = None,
    timeout: float = 900,
) -> Outcome:
    env = dict(os.environ)
    if not party.is_peer:
        # Ours is imported from the source tree, whether or not it is installed.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if server is not None:
        spec = {**spec, "port": server.port}
    server_cpu = server.cpu_seconds() if server else 0.0
    try:
        done = subprocess.run(
            [str(party.python), str(party.script), json.dumps(spec)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Outcome(party, error=f"{type(error).__name__}: {error}"[:300])
    outcome = _parse(party, done)
    if server is not None and outcome.ok:
        measured = sum(rep["wall"] for rep in outcome.reps)
        outcome.server_busy = (server.cpu_seconds() - server_cpu) / max(measured, 1e-9)
    return outcome


def _parse(party: Party, done: subprocess.CompletedProcess[str]) -> Outcome:
    lines = done.stdout.strip().splitlines()
    try:
        data = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Outcome(party, error=f"worker exited {done.returncode}: {tail}"[:300])
    if "error" in data:
        return Outcome(party, error=data["error"])
    reps = data.pop("reps")
    versions = data.pop("versions", {})
    return Outcome(party, reps=reps, versions=versions, extra=data)
