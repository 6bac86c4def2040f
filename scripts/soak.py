"""Soak: many concurrent sends through the connector against the sandbox over real sockets,
with a share of the answers faulted at random, then an account of every message.

    python scripts/soak.py                 # full size: 10,000 sends, concurrency 50, 5 % faults
    python scripts/soak.py --sends 1000    # the size CI runs (tests/test_reliability_soak.py)

Every message must end in exactly one place: accepted (a PENDING status in the output), rejected
(a REJECTED status, or an error that proves nothing was processed) or outcome unknown (an
``OutcomeUnknownError`` naming its messageId). The sandbox's own record is the referee: it must
not have received any messageId in two requests unless every earlier one was answered 429 (not
processed), and it must not hold an accepted message the connector reported as rejected.
Leaks are measured too: file descriptors and loopback connections after the pooled clients are
closed, and traced memory of the connector and httpx in the second half of the run against the
first. The sandbox runs in a child process so that its threads, sockets and ever-growing
request record are not counted against the connector.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infobip_connector import (
    ConnectorError,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    UnreachableError,
    aclose_pooled_clients,
    component,
)
from infobip_connector.sandbox import Sandbox, SandboxServer
from infobip_connector.transport import exchange

SMS = "/sms/2/text/advanced"
WA = "/whatsapp/1/message/text"
REJECTED_GROUP = 5
NUMBERS = ["41793026727", "+385 91 234 5678", "447911123456", "0049 1512 3456789", "14155552671"]
# Memory is traced only where a leak of the connector would show: its own code and the HTTP stack
# (the sandbox runs in a child process, so its growing record is not in this one).
TRACED = (
    "*/infobip_connector/*",
    "*/httpx/*",
    "*/httpcore/*",
    "*/h11/*",
    "*/anyio/*",
    "*/asyncio/*",
)


@dataclass
class Figures:
    sends: int = 0
    messages: int = 0
    concurrency: int = 0
    fault_rate: float = 0.0
    requests_received: int = 0
    faults_injected: int = 0
    accepted: int = 0
    rejected: int = 0
    unknown: int = 0
    unknown_but_accepted_by_sandbox: int = 0
    unaccounted: int = 0
    duplicates: int = 0
    accepted_not_in_sandbox: int = 0
    sandbox_accepted_unreported: int = 0
    unexpected_errors: int = 0
    unknown_without_ids: int = 0
    leaked_fds: int = 0
    open_client_connections: int = 0
    memory_first_half_kib: float = 0.0
    memory_second_half_kib: float = 0.0
    seconds: float = 0.0
    cores: int = 0
    errors_by_type: dict[str, int] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """What makes this run a failure; empty when everything is accounted for."""
        found = []
        for name in (
            "unaccounted",
            "duplicates",
            "accepted_not_in_sandbox",
            "sandbox_accepted_unreported",
            "unexpected_errors",
            "unknown_without_ids",
            "leaked_fds",
            "open_client_connections",
        ):
            if getattr(self, name):
                found.append(f"{name} = {getattr(self, name)}")
        if self.accepted + self.rejected + self.unknown != self.messages:
            found.append("accepted + rejected + unknown != messages")
        if self.fault_rate and not self.faults_injected:
            found.append("no fault was injected: the run proves nothing about faults")
        # Generous: after warm-up the connector holds no per-send state, so the second half
        # may not grow much more than the first (which still fills caches).
        limit = max(self.memory_first_half_kib, 0.0) * 2 + 1024
        if self.memory_second_half_kib > limit:
            found.append(f"memory grew {self.memory_second_half_kib:.0f} KiB in the second half")
        return found


def _values(rng: random.Random) -> tuple[str, dict[str, Any]]:
    if rng.random() < 0.3:
        return "sendWhatsappTextMessage", {
            "from": "441134960000",
            "to": rng.choice(NUMBERS),
            "content": {"text": f"soak {rng.random()}"},
        }
    messages = [
        {
            "destinations": [{"to": rng.choice(NUMBERS)} for _ in range(rng.randint(1, 3))],
            "text": f"soak {rng.random()}",
        }
        for _ in range(rng.randint(1, 2))
    ]
    return "sendSms", {"messages": messages}


def _own(text: str) -> str:
    """A copy of ``text`` allocated here: the account of IDs this script keeps would otherwise be
    traced as memory held by the connector's JSON parser and ID generator."""
    return text.encode().decode()


def _fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def _client_connections(port: int) -> int:
    """Open TCP sockets of this process whose remote end is the sandbox's port."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            remote_port = int(parts[2].rsplit(":", 1)[1], 16)
            state = parts[3]
            # 06 TIME_WAIT sockets belong to no process; only live sockets of ours count.
            if parts[9] in inodes and remote_port == port and state != "06":
                count += 1
    return count


def _traced_kib() -> float:
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(True, p) for p in TRACED]
    )
    return sum(stat.size for stat in snapshot.statistics("filename")) / 1024


def _ids(action: str, source: dict[str, Any]) -> list[str]:
    if action == "sendSms":
        return list(source.get("messageIds", []))
    return [source["messageId"]] if source.get("messageId") else []


async def _run(
    url: str, sends: int, concurrency: int, seed: int, figures: Figures
) -> dict[str, str]:
    """Sends everything; returns each messageId's outcome (accepted / rejected / unknown)."""
    connection = {"token": "soak-token-3f9a-5e6d7c8b", "baseUrl": url, "readTimeout": 5}
    rng = random.Random(seed)
    jobs = [_values(rng) for _ in range(sends)]
    figures.messages = sum(
        sum(len(m["destinations"]) for m in v["messages"]) if a == "sendSms" else 1 for a, v in jobs
    )
    outcome: dict[str, str] = {}
    errors: Counter[str] = Counter()
    gate = asyncio.Semaphore(concurrency)

    async def one(action: str, values: dict[str, Any]) -> None:
        async with gate:
            try:
                output = await component.execute_async(action, values, connection)
            except OutcomeUnknownError as exc:
                ids = _ids(action, exc.details)
                errors[type(exc).__name__] += 1
                if not ids:
                    figures.unknown_without_ids += 1
                outcome.update(dict.fromkeys(map(_own, ids), "unknown"))
                return
            except (RejectedError, RateLimitedError, UnreachableError) as exc:
                # Provably not processed: every message of the request is rejected.
                errors[type(exc).__name__] += 1
                outcome.update(dict.fromkeys(map(_own, _ids(action, exc.details)), "rejected"))
                return
            except ConnectorError as exc:
                errors[type(exc).__name__] += 1
                figures.unexpected_errors += 1
                return
        entries = output["messages"] if action == "sendSms" else [output]
        for entry in entries:
            rejected = entry["status"]["groupId"] == REJECTED_GROUP
            outcome[_own(entry["messageId"])] = "rejected" if rejected else "accepted"

    async def batch(items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        await asyncio.gather(*(one(a, v) for a, v in items))

    # Warm-up (caches, pools) is outside the measured halves.
    warm = max(sends // 10, 1)
    half = (sends - warm) // 2
    await batch(jobs[:warm])
    base = _traced_kib()
    await batch(jobs[warm : warm + half])
    middle = _traced_kib()
    await batch(jobs[warm + half :])
    end = _traced_kib()
    figures.memory_first_half_kib = round(middle - base, 1)
    figures.memory_second_half_kib = round(end - middle, 1)
    await aclose_pooled_clients()
    figures.open_client_connections = _client_connections(int(url.rsplit(":", 1)[1]))
    figures.errors_by_type = dict(errors)
    return outcome


@dataclass
class SandboxRecord:
    """What the sandbox saw, in a form that crosses the process boundary."""

    requests: list[tuple[str, int | None, str, list[str]]]  # path, status, outcome, messageIds
    accepted: list[str]  # messageIds of accepted messages, in order, repeats kept


def _serve(pipe: Any, fault_rate: float, seed: int) -> None:
    """The child process: serve a faulty sandbox until told to stop, then send its record."""
    sandbox = Sandbox(deliver_reports=False)
    sandbox.fault_rate(fault_rate, seed, paths=[SMS, WA])
    with SandboxServer(sandbox) as server:
        pipe.send(server.url)
        pipe.recv()
    requests = []
    for record in sandbox.requests:
        body = record.body if isinstance(record.body, dict) else {}
        if record.path == SMS:
            ids = [d.get("messageId") for m in body.get("messages", []) for d in m["destinations"]]
        else:
            ids = [body.get("messageId")]
        requests.append((record.path, record.status, record.outcome, [str(i) for i in ids]))
    pipe.send(SandboxRecord(requests, [m.message_id for m in sandbox.accepted_messages]))


def _referee(record: SandboxRecord, outcome: dict[str, str], figures: Figures) -> None:
    """Checks the connector's account against what the sandbox saw."""
    figures.requests_received = len(record.requests)
    figures.faults_injected = sum("fault" in r[2] for r in record.requests)
    seen: dict[str, list[int | None]] = {}
    for _, status, _, ids in record.requests:
        for message_id in ids:
            seen.setdefault(message_id, []).append(status)
    # A messageId in several requests is a duplicate unless every earlier one was a 429.
    figures.duplicates = sum(1 for s in seen.values() if any(st != 429 for st in s[:-1]))
    counts = Counter(record.accepted)
    figures.duplicates += sum(1 for n in counts.values() if n > 1)
    accepted_by_sandbox = set(record.accepted)
    by_kind = Counter(outcome.values())
    figures.accepted = by_kind["accepted"]
    figures.rejected = by_kind["rejected"]
    figures.unknown = by_kind["unknown"]
    figures.unaccounted = figures.messages - len(outcome)
    figures.accepted_not_in_sandbox = sum(
        1 for i, o in outcome.items() if o == "accepted" and i not in accepted_by_sandbox
    )
    figures.sandbox_accepted_unreported = sum(
        1 for i in accepted_by_sandbox if outcome.get(i) not in ("accepted", "unknown")
    )
    figures.unknown_but_accepted_by_sandbox = sum(
        1 for i, o in outcome.items() if o == "unknown" and i in accepted_by_sandbox
    )


def _receive(pipe: Any, child: Any, what: str) -> Any:
    """The child's next message; fails rather than waits forever if the child died."""
    while not pipe.poll(0.5):
        if not child.is_alive():
            raise RuntimeError(
                f"the sandbox process exited ({child.exitcode}) before sending {what}"
            )
    return pipe.recv()


def run_soak(sends: int, concurrency: int = 50, fault_rate: float = 0.05, seed: int = 6) -> Figures:
    figures = Figures(sends=sends, concurrency=concurrency, fault_rate=fault_rate)
    figures.cores = os.cpu_count() or 0
    backoff = exchange.BACKOFF_BASE
    exchange.BACKOFF_BASE = 0.01  # 429s are retried; keep the waits short
    # The sandbox serves from a child process: its threads, sockets and growing record stay out
    # of this process's file descriptors and memory, which are then the connector's alone.
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_serve, args=(theirs, fault_rate, seed), daemon=True)
    child.start()
    try:
        url = _receive(ours, child, "its address")
        fds_before = _fd_count()
        tracemalloc.start()
        started = time.monotonic()
        outcome = asyncio.run(_run(url, sends, concurrency, seed, figures))
        figures.seconds = round(time.monotonic() - started, 1)
        tracemalloc.stop()
        figures.leaked_fds = max(_fd_count() - fds_before, 0)
        ours.send("stop")
        _referee(_receive(ours, child, "its record"), outcome, figures)
    finally:
        tracemalloc.stop()
        exchange.BACKOFF_BASE = backoff
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
        ours.close()
        theirs.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sends", type=int, default=int(os.environ.get("SOAK_SENDS", 10_000)))
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--fault-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = run_soak(args.sends, args.concurrency, args.fault_rate, args.seed)
    if args.json:
        print(json.dumps(asdict(figures), indent=2))
    else:
        for name, value in asdict(figures).items():
            print(f"{name.replace('_', ' '):32} {value}")
    problems = figures.problems()
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
