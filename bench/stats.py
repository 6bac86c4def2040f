"""Medians over repetitions, per request."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from bench.runner import Outcome


@dataclass(frozen=True)
class Summary:
    reps: int
    wall: float  # seconds per request
    cpu: float  # client CPU seconds per request
    rate: float  # requests per second
    peak_kib: float | None  # peak RSS growth, one-shot runs only


def summarize(outcome: Outcome) -> Summary:
    reps = outcome.reps
    peaks = [rep["peak_kib"] for rep in reps if "peak_kib" in rep]
    return Summary(
        reps=len(reps),
        wall=median(rep["wall"] / rep["n"] for rep in reps),
        cpu=median(rep["cpu"] / rep["n"] for rep in reps),
        rate=median(rep["n"] / rep["wall"] for rep in reps),
        peak_kib=median(peaks) if peaks else None,
    )


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator
