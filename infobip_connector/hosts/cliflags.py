"""Flags every JSON-printing command shares, and help texts made from the definition.

``--compact`` means the same wherever JSON is printed: one line instead of indented. The
commands that print JSON lines (``listen``, ``poll``) accept it too, so a script can pass
it to any command; their output is one compact object per line either way.

Help that names actions or triggers is generated from the definition when help is shown
(``LazyHelp``), so it lists every one of them and never drifts; reading the definition on
every start would cost what ``--help`` alone needs.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import Any

COMPACT_HELP = "one-line JSON output (default: indented)"
LINES_COMPACT_HELP = "accepted as by every JSON command: the output is always one JSON per line"


def add_compact(p: argparse.ArgumentParser, *, lines: bool = False) -> None:
    """``--compact`` on ``p``; ``lines``: the command prints JSON lines, always compact."""
    p.add_argument(
        "--compact", action="store_true", help=LINES_COMPACT_HELP if lines else COMPACT_HELP
    )


class LazyHelp(str):
    """A help text completed when help is formatted: ``fill(parser)`` appends the names
    ``names()`` gives (which may read the definition) to each such argument's help. As a
    ``str`` it reads as its plain start wherever argparse shows it unfilled."""

    names: Callable[[], list[str]]

    def __new__(cls, start: str, names: Callable[[], list[str]]) -> LazyHelp:
        made = super().__new__(cls, start)
        made.names = names
        return made

    @staticmethod
    def fill(parser: argparse.ArgumentParser) -> None:
        """Complete the lazy help of ``parser``'s arguments (before formatting its help)."""
        for action in parser._actions:  # argparse has no public list of them
            if isinstance(action.help, LazyHelp):
                whole = f"{action.help}{', '.join(action.help.names())}"
                action.help = whole.replace("%", "%%")


def action_names(start: str, wanted: Callable[[Any], bool] = lambda _a: True) -> LazyHelp:
    """``start`` followed by the installed component's actions for which ``wanted``."""

    def names() -> list[str]:
        from .. import component

        return [a.name for a in component.definition.actions if wanted(a)]

    return LazyHelp(start, names)


def trigger_names(start: str, wanted: Callable[[Any], bool]) -> LazyHelp:
    """``start`` followed by the installed component's triggers for which ``wanted``."""

    def names() -> list[str]:
        from .. import component

        return [t.name for t in component.definition.triggers if wanted(t)]

    return LazyHelp(start, names)


#: Seconds the requests in flight get once ``serve`` or ``mcp`` is told to stop (``--grace``;
#: Docker waits 10 before SIGKILL).
GRACE = 5.0


def grace_seconds(text: str) -> float:
    """``--grace``: seconds from 0 to 3600 (``serve`` and ``mcp`` read it alike).

    Raises ``argparse.ArgumentTypeError`` naming the value and the range otherwise.
    """
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and 0 <= value <= 3600):
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds from 0 to 3600")
    return value
