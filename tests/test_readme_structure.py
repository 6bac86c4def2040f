"""The README renders as written: every code block is closed, and no section is swallowed.

A fence left open turns the prose and headings after it into code, and pairs every later
fence the wrong way (a reader copying an example takes prose with it). Fences are read as
CommonMark reads them: a block opens with three backticks and closes only at a line of
backticks alone. A fence with a language inside a block is part of that block for
CommonMark, but in this README it always means the block before was left open: it is
reported as such.
"""

from __future__ import annotations

import re

from .conftest import ROOT

FENCE = re.compile(r"^ {0,3}(?P<ticks>`{3,})(?P<info>[^`]*)$")
# The sections a user looks for, in this order (others may come between them).
SECTIONS = (
    "Quick start",
    "Using it from an engine",
    "Triggers",
    "Use from AI agents",
    "Use from any language",
    "What is checked before sending",
    "The embedded sandbox",
    "Reliability",
)


def outline(text: str) -> tuple[list[str], list[int]]:
    """The ``##`` headings outside code blocks, and the opening lines of blocks not closed
    (before the end, or before a fence that opens a block with a language)."""
    headings: list[str] = []
    unclosed: list[int] = []
    open_at: int | None = None
    ticks = ""
    for number, line in enumerate(text.splitlines(), start=1):
        fence = FENCE.match(line)
        if open_at is None:
            if fence:
                open_at, ticks = number, fence["ticks"]
            elif line.startswith("## "):
                headings.append(line[3:].strip())
        elif fence and fence["info"].strip():
            unclosed.append(open_at)
            open_at, ticks = number, fence["ticks"]
        elif fence and len(fence["ticks"]) >= len(ticks):
            open_at = None
    return headings, unclosed + ([] if open_at is None else [open_at])


def test_every_code_block_of_the_readme_is_closed() -> None:
    _, unclosed = outline((ROOT / "README.md").read_text(encoding="utf-8"))
    assert unclosed == [], f"README: the code block opened at line {unclosed} is never closed"


def test_the_readme_sections_are_headings_not_code() -> None:
    headings, _ = outline((ROOT / "README.md").read_text(encoding="utf-8"))
    found = [heading for heading in headings if heading in SECTIONS]
    assert found == list(SECTIONS)


def test_an_unclosed_block_is_found() -> None:
    text = "## A\n```python\nx = 1\n\n## B\n```bash\necho\n```\n"
    assert outline(text) == (["A"], [2])
    assert outline("## A\n```python\nx = 1\n") == (["A"], [2])
    assert outline("## A\n```python\nx = 1\n```\n## B\n") == (["A", "B"], [])
