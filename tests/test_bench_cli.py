"""``python -m bench`` runs: quick runs of figures 1 and 6 as smoke checks."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def _quick_run(figure: int, output: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m bench --quick --skip-peers --only FIGURE``, its report written to output."""
    command = ["-m", "bench", "--quick", "--skip-peers", "--only", str(figure)]
    return subprocess.run(
        [sys.executable, *command, "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_bench_prints_the_cli_bulk_figure(tmp_path: Path) -> None:
    report = tmp_path / "latest.md"
    done = _quick_run(6, report)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "6. Bulk through the CLI" in done.stdout
    # A measured ratio for ours against the plain script, not "n/a".
    line = next(x for x in done.stdout.splitlines() if x.startswith("| `infobip-connector run"))
    assert re.search(r"\| \d+\.\d{2}× \|$", line), line
    assert report.read_text().strip() == done.stdout.strip()


def test_bench_measures_ours_in_process(tmp_path: Path) -> None:
    # Figure 1 drives the public API against canned answers: if ours refused them (an ID
    # the answer does not list, say), the run would fail instead of measuring.
    done = _quick_run(1, tmp_path / "latest.md")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "FAILED" not in done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("| 1. in-process"))
    assert "n/a" not in line, line


def test_bench_measures_a_workflow_step_through_each_host(tmp_path: Path) -> None:
    # Figure 7 drives serve, the MCP server and the CLI as a workflow engine would: a
    # host that refused the step or changed its protocol would fail the run, not time it.
    done = _quick_run(7, tmp_path / "latest.md", timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "7. One workflow step through each host" in done.stdout
    rows = [x for x in done.stdout.splitlines() if x.startswith("| 7. ")]
    # serve, MCP (with its extra), the CLI and serve with many in flight, each measured;
    # serve twice more on uvloop when it is installed.
    with_mcp = importlib.util.find_spec("mcp") is not None
    with_uvloop = importlib.util.find_spec("uvloop") is not None
    assert len(rows) == 3 + with_mcp + 2 * with_uvloop, rows
    assert sum("uvloop" in row for row in rows) == 2 * with_uvloop, rows
    for row in rows:
        assert re.search(r"\| \d+\.\d{2} \| [≤≥] ", row), row
