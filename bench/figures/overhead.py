"""Figure 1: one small Send SMS in process, against an httpx.MockTransport (no socket)."""

from __future__ import annotations

from bench.context import Context
from bench.parties import OURS, RAW
from bench.report import Section, Target, number, times
from bench.stats import ratio, summarize

HEADERS = ["Party", "Wall µs/send", "CPU µs/send", "CPU ÷ raw"]


def run(ctx: Context) -> Section:
    s = ctx.settings
    spec = {"scenario": "inproc", "n": s.inproc_sends, "warmup": s.inproc_warmup}
    section = Section(
        "1. Overhead of one small send, in process",
        f"{s.inproc_sends:,} single-destination Send SMS per repetition, {s.reps} repetitions, "
        "answered by `httpx.MockTransport` with the canned body. Raw = `httpx.Client.post` of "
        'the pre-built JSON body + `response.json()`; ours = `component.execute("sendSms", '
        "...)` (validation, checks, IDs, request building, client, output shaping).",
        HEADERS,
    )
    raw, ours = ctx.run_rounds([RAW, OURS], spec, s.reps, loopback=False)
    base = summarize(raw) if raw.ok else None
    value = None
    for outcome in (raw, ours):
        if not outcome.ok:
            section.rows.append([outcome.party.label, "failed", "", ""])
            section.notes.append(f"{outcome.party.label}: {outcome.error}")
            continue
        got = summarize(outcome)
        cpu_ratio = ratio(got.cpu, base.cpu if base else None)
        if outcome.party is OURS:
            value = cpu_ratio
        section.rows.append(
            [outcome.party.label, number(got.wall * 1e6), number(got.cpu * 1e6), times(cpu_ratio)]
        )
    section.targets.append(Target("1. in-process send, ours ÷ raw CPU", value, 1.25, at_most=True))
    return section
