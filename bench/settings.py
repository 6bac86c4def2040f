"""Sizes and repetition counts for a full run and for a quick smoke run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    reps: int  # repetitions per figure, split evenly over the rounds
    rounds: int  # worker processes per party, alternating with the other parties
    inproc_sends: int
    inproc_warmup: int
    sequential_sends: int
    sequential_warmup: int
    concurrent_sends: int
    concurrent_warmup: int
    in_flight: int
    bulk_size: int
    bulk_reps: int
    startup_runs: int
    host_steps: int  # figure 7: workflow steps per repetition, per long-lived host
    host_warmup: int
    cli_steps: int  # figure 7: fresh processes per command


FULL = Settings(
    reps=5,
    rounds=5,
    inproc_sends=2_000,
    inproc_warmup=300,
    sequential_sends=2_000,
    sequential_warmup=200,
    concurrent_sends=5_000,
    concurrent_warmup=300,
    in_flight=100,
    bulk_size=100_000,
    bulk_reps=5,
    startup_runs=10,
    host_steps=1_000,
    host_warmup=100,
    cli_steps=10,
)

QUICK = Settings(
    reps=3,
    rounds=1,
    inproc_sends=1_000,
    inproc_warmup=100,
    sequential_sends=200,
    sequential_warmup=20,
    concurrent_sends=300,
    concurrent_warmup=100,
    in_flight=100,
    bulk_size=10_000,
    bulk_reps=3,
    startup_runs=5,
    host_steps=50,
    host_warmup=10,
    cli_steps=1,
)
