"""What the command line sets up for its process: SIGTERM and SIGHUP raised as
``Terminated``, and the stderr log handler (redacted)."""

from __future__ import annotations

import logging
import signal
import sys
from typing import Any

from ..redaction import RedactingFilter


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the process is, like Ctrl-C's KeyboardInterrupt.

    Engines stop a task with SIGTERM (Airflow, Docker, systemd) or SIGHUP (a closed
    terminal); ending the process there silently would lose the IDs of a request in
    flight. As a KeyboardInterrupt it takes the path Ctrl-C takes: the client attaches the
    IDs and ``main`` prints the ``outcome_unknown`` error (exit 4).
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_terminated(signum: int, _frame: object) -> None:
    raise Terminated(signum)


def catch_termination() -> None:
    """Turn SIGTERM and SIGHUP into ``Terminated`` for the rest of this process."""
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)  # no SIGHUP on Windows
        if number is not None:
            signal.signal(number, _raise_terminated)


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to ``sys.stderr`` as it is when a record comes, not as it was at set-up.

    ``main`` may run many times in one process (tests, an embedding host) while
    ``sys.stderr`` is swapped and closed in between; a stream kept from an earlier call
    would turn each later record into a logging error.
    """

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def setup_logging(verbose: bool) -> None:
    root = logging.getLogger("infobip_connector")
    for earlier in [h for h in root.handlers if isinstance(h, _Stderr)]:
        root.removeHandler(earlier)  # one handler however often main runs
    handler = _Stderr()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
