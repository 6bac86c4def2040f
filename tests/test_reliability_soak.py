"""Soak: concurrent sends against a faulty sandbox over real sockets, every message accounted for.

The work is in ``scripts/soak.py`` (the full 10,000-send run is ``python scripts/soak.py``); CI
runs 1,000 sends here, or ``SOAK_SENDS`` of them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.mark.soak
def test_soak_every_message_accounted_for_no_duplicates_no_leaks(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    # On sys.path (not loaded from a file) so the spawned sandbox process can import it too.
    monkeypatch.syspath_prepend(str(SCRIPTS))
    sys.modules.pop("soak", None)
    import soak

    sends = int(os.environ.get("SOAK_SENDS", "1000"))
    figures = soak.run_soak(sends, concurrency=50, fault_rate=0.05)

    shown = ", ".join(f"{k}={v}" for k, v in asdict(figures).items())
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # past output capture: always seen
            reporter.write_line(f"\nsoak ({sends:,} sends): {shown}")
    assert figures.sends == sends
    assert figures.faults_injected > 0
    assert figures.requests_received >= sends
    assert figures.problems() == []
