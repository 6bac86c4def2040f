"""Figure 3: many sends with a fixed number in flight, through the async API."""

from __future__ import annotations

from bench.context import Context
from bench.figures.sequential import record_peer_rate, spec
from bench.parties import OURS, RAW, RAW_AIOHTTP
from bench.report import Section, Target, number, times
from bench.stats import ratio, summarize

HEADERS = ["Party", "Sends/s", "Wall µs/send", "CPU µs/send", "Sends/s ÷ raw"]


def fastest_peer(ctx: Context) -> tuple[str, float] | None:
    # Figure 2 leaves the peers' rates behind; run just their SMS part when it was skipped.
    if not ctx.peer_sms_rates:
        for peer in ctx.peers:
            for outcome in ctx.run_rounds([peer], spec(ctx, "seq_sms"), ctx.settings.reps):
                record_peer_rate(ctx, outcome)
    if not ctx.peer_sms_rates:
        return None
    return max(ctx.peer_sms_rates.items(), key=lambda item: item[1])


def run(ctx: Context) -> Section:
    s = ctx.settings
    section = Section(
        "3. Concurrency through the async API",
        f"{s.concurrent_sends:,} single-destination Send SMS per repetition, {s.reps} "
        f"repetitions, at most {s.in_flight} in flight (`asyncio.Semaphore`). Ours = "
        "`await component.execute_async(...)` on its pooled aiohttp session; "
        f"raw = one `httpx.AsyncClient` with a pool of {s.in_flight} keep-alive connections; "
        "raw aiohttp = one `aiohttp.ClientSession` posting the pre-built body, the floor of "
        "our async path.",
        HEADERS,
    )
    conc = {
        "scenario": "concurrent",
        "n": s.concurrent_sends,
        "warmup": s.concurrent_warmup,
        "in_flight": s.in_flight,
    }
    raw, floor, ours = ctx.run_rounds([RAW, RAW_AIOHTTP, OURS], conc, s.reps)
    base = summarize(raw) if raw.ok else None
    ours_rate = floor_rate = None
    for outcome in (raw, floor, ours):
        if not outcome.ok:
            section.rows.append([outcome.party.label, "failed", "", "", ""])
            section.notes.append(f"{outcome.party.label}: {outcome.error}")
            continue
        got = summarize(outcome)
        if outcome.party is OURS:
            ours_rate = got.rate
        if outcome.party is RAW_AIOHTTP:
            floor_rate = got.rate
        rate_ratio = ratio(got.rate, base.rate if base else None)
        section.rows.append(
            [
                outcome.party.label,
                number(got.rate),
                number(got.wall * 1e6),
                number(got.cpu * 1e6),
                times(rate_ratio),
            ]
        )
    base_rate = base.rate if base else None
    section.targets.append(
        Target("3. concurrent, ours ÷ raw sends/s", ratio(ours_rate, base_rate), 0.8, False)
    )
    if ours_rate and floor_rate:
        section.notes.append(
            f"Ours ÷ raw aiohttp sends/s: {times(ratio(ours_rate, floor_rate))} — what validation, "
            "checks, IDs, the retry policy and output shaping cost on top of the transport."
        )
    peer = fastest_peer(ctx)
    if peer is None:
        section.notes.append("No peer measured, so no comparison with the fastest peer.")
    else:
        section.notes.append(
            f"Fastest peer sequentially: {peer[0]}, {number(peer[1])} SMS/s (figure 2)."
        )
    section.targets.append(
        Target(
            "3. concurrent ours ÷ fastest peer sequential",
            ratio(ours_rate, peer[1] if peer else None),
            3,
            False,
        )
    )
    return section
