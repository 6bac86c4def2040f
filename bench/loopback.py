"""Start and stop the loopback server process, and watch how busy it is.

The server's CPU time while a party runs is recorded next to the figures: a server
far from one full core is not what limits them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import TracebackType

from bench.paths import ROOT

_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    # utime and stime are fields 14 and 15; split after the parenthesised command name.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


class LoopbackServer:
    """``python -m bench.server`` in a process of its own, on a free port."""

    backend = "Python http.server (ThreadingHTTPServer, one sendall per answer)"

    def __init__(self, bulk_size: int) -> None:
        self.bulk_size = bulk_size
        self.port = 0
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> LoopbackServer:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.server", "--bulk-size", str(self.bulk_size)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.strip().isdigit():
            self.close()
            raise RuntimeError("loopback server did not start")
        self.port = int(line)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far."""
        assert self._process is not None
        return _cpu_seconds(self._process.pid)
