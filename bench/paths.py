"""Where the harness keeps things."""

from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORKERS = BENCH / "workers"
VENVS = BENCH / ".venvs"
RESULTS = BENCH / "results"
