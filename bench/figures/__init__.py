"""One module per figure; each turns worker outcomes into a report section."""

from __future__ import annotations

from collections.abc import Callable

from bench.context import Context
from bench.figures import bulk, cli_bulk, concurrency, hosts, overhead, sequential, startup
from bench.report import Section

FIGURES: dict[int, Callable[[Context], Section]] = {
    1: overhead.run,
    2: sequential.run,
    3: concurrency.run,
    4: bulk.run,
    5: startup.run,
    6: cli_bulk.run,
    7: hosts.run,
}
