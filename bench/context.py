"""State shared by the figures of one run: settings, server, peers, versions seen."""

from __future__ import annotations

import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from bench.loopback import LoopbackServer
from bench.parties import Party
from bench.runner import Outcome, run_worker
from bench.settings import Settings


@dataclass
class Context:
    settings: Settings
    peer_problems: dict[str, str]  # peer key -> why it is not measured
    peers: list[Party]  # peers that can be measured
    stack: ExitStack = field(default_factory=ExitStack)
    versions: dict[str, dict[str, str]] = field(default_factory=dict)
    # Fastest sequential SMS rate per peer, shared by figures 2 and 3.
    peer_sms_rates: dict[str, float] = field(default_factory=dict)
    server_busy: list[float] = field(default_factory=list)
    # Failures of ours or raw httpx: the run still reports, but exits non-zero.
    failures: list[str] = field(default_factory=list)
    _server: LoopbackServer | None = None

    @property
    def server(self) -> LoopbackServer:
        if self._server is None:
            self._server = self.stack.enter_context(LoopbackServer(self.settings.bulk_size))
        return self._server

    def run(self, party: Party, spec: dict[str, Any], loopback: bool = True) -> Outcome:
        started = time.perf_counter()
        outcome = run_worker(party, spec, self.server if loopback else None)
        took = time.perf_counter() - started
        status = "ok" if outcome.ok else f"FAILED: {outcome.error}"
        progress(f"  {party.label:<40} {spec['scenario']:<13} {took:6.1f} s  {status}")
        if not outcome.ok and not party.is_peer:
            self.failures.append(f"{party.label} {spec['scenario']}: {outcome.error}")
        if outcome.versions:
            self.versions.setdefault(party.label, {}).update(outcome.versions)
        if outcome.server_busy is not None:
            self.server_busy.append(outcome.server_busy)
        return outcome

    def run_rounds(
        self,
        parties: list[Party],
        spec: dict[str, Any],
        reps: int,
        loopback: bool = True,
        process_per_rep: bool = False,
    ) -> list[Outcome]:
        """``reps`` repetitions per party over the settings' rounds, parties alternating.

        On a shared machine the background load drifts over minutes; alternating puts
        every party under the same drift, which keeps the ratios steady. A quick run
        uses one round to save the worker start-ups.
        """
        rounds = reps if process_per_rep else max(1, min(self.settings.rounds, reps))
        merged = {party: Outcome(party) for party in parties}
        for _ in range(rounds):
            for party, total in merged.items():
                if total.error is not None:
                    continue
                got = self.run(party, {**spec, "reps": reps // rounds}, loopback)
                total.reps.extend(got.reps)
                total.versions.update(got.versions)
                total.extra.update(got.extra)
                total.error = got.error
        return list(merged.values())


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
