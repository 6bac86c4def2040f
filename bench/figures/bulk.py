"""Figure 4: one Send SMS to a very large number of destinations, a fresh process each time."""

from __future__ import annotations

from bench.context import Context
from bench.parties import OURS, RAW
from bench.report import Section, Target, number, times
from bench.stats import ratio, summarize

HEADERS = ["Party", "Wall s", "CPU s", "Peak RSS growth MiB", "Wall ÷ raw", "Memory ÷ raw"]


def run(ctx: Context) -> Section:
    s = ctx.settings
    section = Section(
        f"4. Bulk: one Send SMS to {s.bulk_size:,} destinations",
        f"One request, {s.bulk_size:,} destinations, answered with a {s.bulk_size:,}-entry "
        f"response; {s.bulk_reps} repetitions, each in a fresh process after one small warm-up "
        "send. Ours = validation, checks, request building, sending and shaping the "
        f"{s.bulk_size:,}-entry output; raw = posting the pre-built body and parsing the answer. "
        "Memory = how far the call lifts the peak resident set above the resident set "
        "before it (Linux high-water mark, reset just before the call).",
        HEADERS,
    )
    spec = {"scenario": "bulk", "size": s.bulk_size}
    raw, ours = ctx.run_rounds([RAW, OURS], spec, s.bulk_reps, process_per_rep=True)
    base = summarize(raw) if raw.ok else None
    wall_ratio = memory_ratio = None
    for outcome in (raw, ours):
        if not outcome.ok:
            section.rows.append([outcome.party.label, "failed", "", "", "", ""])
            section.notes.append(f"{outcome.party.label}: {outcome.error}")
            continue
        got = summarize(outcome)
        peak = got.peak_kib / 1024 if got.peak_kib is not None else None
        w = ratio(got.wall, base.wall if base else None)
        m = ratio(got.peak_kib, base.peak_kib if base else None)
        if outcome.party is OURS:
            wall_ratio, memory_ratio = w, m
        section.rows.append(
            [
                outcome.party.label,
                number(got.wall, 3),
                number(got.cpu, 3),
                number(peak, 1),
                times(w),
                times(m),
            ]
        )
    section.targets.append(Target("4. bulk, ours ÷ raw wall time", wall_ratio, 1.5, True))
    section.targets.append(Target("4. bulk, ours ÷ raw peak memory", memory_ratio, 2, True))
    return section
