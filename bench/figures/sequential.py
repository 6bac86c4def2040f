"""Figure 2: sequential sends over loopback from one thread, every party."""

from __future__ import annotations

from bench.context import Context
from bench.parties import OFFICIAL, OURS, RAW, Party
from bench.report import Section, Target, number, times
from bench.runner import Outcome
from bench.stats import ratio, summarize

HEADERS = [
    "Channel",
    "Party",
    "Sends/s",
    "Wall µs/send",
    "CPU µs/send",
    "CPU ÷ raw",
    "Sends/s ÷ raw",
]
CHANNELS = {"SMS": "seq_sms", "WhatsApp": "seq_whatsapp"}


def parties(ctx: Context, channel: str) -> list[Party]:
    peers = [p for p in ctx.peers if channel == "SMS" or p is not OFFICIAL]
    return [RAW, OURS, *peers]


def spec(ctx: Context, scenario: str) -> dict[str, object]:
    s = ctx.settings
    return {"scenario": scenario, "n": s.sequential_sends, "warmup": s.sequential_warmup}


def record_peer_rate(ctx: Context, outcome: Outcome) -> None:
    if outcome.ok and outcome.party.is_peer:
        ctx.peer_sms_rates[outcome.party.label] = summarize(outcome).rate


def run(ctx: Context) -> Section:
    s = ctx.settings
    section = Section(
        "2. Sequential sends over loopback, one thread",
        f"{s.sequential_sends:,} single-destination sends per repetition, {s.reps} repetitions, "
        "one after another from one thread to the loopback server. Raw httpx posts the same "
        "body ours puts on the wire. The community SDK sends SMS to `/sms/2/text/advanced` "
        "and WhatsApp to `/whatsapp/1/message/text`; the official client sends SMS to "
        "`/sms/3/messages` and has no WhatsApp text call.",
        HEADERS,
    )
    for channel, scenario in CHANNELS.items():
        outcomes = ctx.run_rounds(parties(ctx, channel), spec(ctx, scenario), s.reps)
        base = summarize(outcomes[0]) if outcomes[0].ok else None
        for outcome in outcomes:
            if channel == "SMS":
                record_peer_rate(ctx, outcome)
            if not outcome.ok:
                section.rows.append([channel, outcome.party.label, "failed", "", "", "", ""])
                section.notes.append(f"{outcome.party.label} ({channel}): {outcome.error}")
                continue
            got = summarize(outcome)
            cpu_ratio = ratio(got.cpu, base.cpu if base else None)
            section.rows.append(
                [
                    channel,
                    outcome.party.label,
                    number(got.rate),
                    number(got.wall * 1e6),
                    number(got.cpu * 1e6),
                    times(cpu_ratio),
                    times(ratio(got.rate, base.rate if base else None)),
                ]
            )
            if outcome.party is OURS:
                section.targets.append(
                    Target(f"2. sequential {channel}, ours ÷ raw CPU", cpu_ratio, 1.25, True)
                )
        if not any(o.ok and o.party is OURS for o in outcomes):
            name = f"2. sequential {channel}, ours ÷ raw CPU"
            section.targets.append(Target(name, None, 1.25, True))
    for key, problem in ctx.peer_problems.items():
        section.notes.append(f"{key} not measured: {problem}")
    return section
