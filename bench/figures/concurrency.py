"""Figure 3: many sends with a fixed number in flight, through the async API."""

from __future__ import annotations

import importlib.util

from bench.context import Context
from bench.figures.sequential import record_peer_rate, spec
from bench.parties import OURS, RAW, RAW_AIOHTTP
from bench.report import Section, Target, number, times
from bench.runner import Outcome
from bench.stats import ratio, summarize

HEADERS = ["Party", "Sends/s", "Wall µs/send", "CPU µs/send", "Sends/s ÷ raw"]
UVLOOP = " on uvloop"


def uvloop_installed() -> bool:
    """Whether the project's environment has uvloop (the ``uvloop`` extra): its rows run then."""
    return importlib.util.find_spec("uvloop") is not None


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
        "our async path. All on asyncio's own event loop; when uvloop is installed (the "
        "`uvloop` extra), raw aiohttp and ours are measured again on it.",
        HEADERS,
    )
    conc = {
        "scenario": "concurrent",
        "n": s.concurrent_sends,
        "warmup": s.concurrent_warmup,
        "in_flight": s.in_flight,
    }
    outcomes = ctx.run_rounds([RAW, RAW_AIOHTTP, OURS], {**conc, "loop": "asyncio"}, s.reps)
    rates = _rows(section, outcomes, "")
    base_rate = rates.get(RAW.label)
    ours_rate = rates.get(OURS.label)
    section.targets.append(
        Target("3. concurrent, ours ÷ raw sends/s", ratio(ours_rate, base_rate), 0.8, False)
    )
    on_uvloop: dict[str, float] = {}
    if uvloop_installed():
        uv = ctx.run_rounds([RAW_AIOHTTP, OURS], {**conc, "loop": "uvloop"}, s.reps)
        on_uvloop = _rows(section, uv, UVLOOP, base_rate)
    else:
        section.notes.append(
            'uvloop is not installed (pip install "infobip-connector[uvloop]"): no uvloop rows.'
        )
    for suffix, got in (("", rates), (UVLOOP, on_uvloop)):
        ours_got, floor_got = got.get(OURS.label), got.get(RAW_AIOHTTP.label)
        if ours_got and floor_got:
            section.notes.append(
                f"Ours ÷ raw aiohttp sends/s{suffix or ' on asyncio'}: "
                f"{times(ratio(ours_got, floor_got))} — what validation, checks, IDs, the retry "
                "policy and output shaping cost on top of the transport."
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
    if on_uvloop:
        section.targets.append(
            Target(
                f"3. concurrent ours{UVLOOP} ÷ fastest peer sequential",
                ratio(on_uvloop.get(OURS.label), peer[1] if peer else None),
                3,
                False,
            )
        )
    return section


def _rows(
    section: Section, outcomes: list[Outcome], suffix: str, base_rate: float | None = None
) -> dict[str, float]:
    """One row per outcome, ``suffix`` after its label; the sends/s of each by party label.

    The ratio column is to ``base_rate`` (raw httpx on asyncio) or, when not given, to raw
    httpx's rate among ``outcomes``, which then comes first.
    """
    rates: dict[str, float] = {}
    for outcome in outcomes:
        label = outcome.party.label + suffix
        if not outcome.ok:
            section.rows.append([label, "failed", "", "", ""])
            section.notes.append(f"{label}: {outcome.error}")
            continue
        got = summarize(outcome)
        rates[outcome.party.label] = got.rate
        if base_rate is None and outcome.party is RAW:
            base_rate = got.rate  # raw httpx of the same run is the base
        row = [label, number(got.rate), number(got.wall * 1e6), number(got.cpu * 1e6)]
        section.rows.append([*row, times(ratio(got.rate, base_rate))])
    return rates
