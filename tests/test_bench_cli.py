"""``python -m bench`` measures the CLI bulk figure (a quick run, as a smoke check)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_bench_prints_the_cli_bulk_figure(tmp_path: Path) -> None:
    report = tmp_path / "latest.md"
    command = ["-m", "bench", "--quick", "--skip-peers", "--only", "6", "--output", str(report)]
    done = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "6. Bulk through the CLI" in done.stdout
    # A measured ratio for ours against the plain script, not "n/a".
    line = next(x for x in done.stdout.splitlines() if x.startswith("| `infobip-connector run"))
    assert re.search(r"\| \d+\.\d{2}× \|$", line), line
    assert report.read_text().strip() == done.stdout.strip()
