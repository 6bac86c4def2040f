"""The results as Markdown: one section per figure, targets with PASS/MISS, a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True)
class Target:
    name: str
    value: float | None
    limit: float
    at_most: bool  # True: value <= limit passes; False: value >= limit passes
    unit: str = TIMES

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "N/A"
        passed = self.value <= self.limit if self.at_most else self.value >= self.limit
        return "PASS" if passed else "MISS"

    def line(self) -> str:
        shown = "n/a" if self.value is None else f"{self.value:.2f}{self.unit}"
        sign = "≤" if self.at_most else "≥"
        limit = f"{sign} {self.limit:g}{self.unit}"
        return f"{self.name}: **{shown}** (target {limit}) **{self.verdict}**"


@dataclass
class Section:
    title: str
    what: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        out = [f"### {self.title}", "", self.what, ""]
        if self.rows:
            out.append(_table(self.headers, self.rows))
            out.append("")
        out.extend(f"- {target.line()}" for target in self.targets)
        out.extend(f"- {note}" for note in self.notes)
        return "\n".join(out).rstrip() + "\n"


def _table(headers: list[str], rows: list[list[str]], numeric: bool = True) -> str:
    # Figures read best right-aligned; the first column is always a label.
    right = [numeric and i > 0 for i in range(len(headers))]
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if r else "---" for r in right) + "|",
    ]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)


def number(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}{TIMES}"


def document(
    header: list[str], sections: list[Section], versions: dict[str, dict[str, str]]
) -> str:
    targets = [t for s in sections for t in s.targets]
    parts = ["## Benchmarks", "", *header, ""]
    if targets:
        rows = [
            [t.name, "n/a" if t.value is None else f"{t.value:.2f}", _limit(t), t.verdict]
            for t in targets
        ]
        parts += ["### Targets", "", _table(["Figure", "Value", "Target", "Verdict"], rows), ""]
    parts += [s.markdown() for s in sections]
    if versions:
        rows = [
            [party, ", ".join(f"{name} {version}" for name, version in found.items())]
            for party, found in versions.items()
        ]
        table = _table(["Party", "Versions"], rows, numeric=False)
        parts += ["### Versions measured", "", table, ""]
    return "\n".join(parts).rstrip() + "\n"


def _limit(target: Target) -> str:
    return f"{'≤' if target.at_most else '≥'} {target.limit:g}{target.unit}"
