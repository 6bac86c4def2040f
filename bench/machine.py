"""A description of the machine the figures come from."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path


def _first(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(":" if ":" in line else "=")
            if name.strip() == key:
                return value.strip().strip('"')
    except OSError:
        pass
    return None


def _memory() -> str:
    kib = _first("/proc/meminfo", "MemTotal")
    return f"{int(kib.split()[0]) / 1024**2:.0f} GiB" if kib else "unknown"


def describe() -> list[str]:
    cpu = _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown CPU"
    system = _first("/etc/os-release", "PRETTY_NAME") or platform.system()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {cpu}, {os.cpu_count()} cores, {_memory()} RAM; load average at start {load}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{system}, kernel {platform.release()}",
    ]
