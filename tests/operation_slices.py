"""What the tests need of each action's Infobip operation, kept in the repository.

``tests/fixtures/openapi/operations.json`` holds, per action of ``tests/operations.py``, the
part of its operation in Infobip's OpenAPI description that the conformance tests read: the
``operationId``, whether it is deprecated, and its query and path parameters. So the check
that an action is the operation runs on a fresh clone; where ``../shared`` is present, a test
compares the file with it. After adding an action (or when Infobip's description changes):

    python -m tests.operation_slices [--source DIR]   # DIR: ../shared/infobip-openapi
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from .operations import OPERATIONS

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "tests" / "fixtures" / "openapi" / "operations.json"


def find_shared() -> Path:
    """The folder with Infobip's OpenAPI description and the component spec: ``$INFOBIP_SHARED``
    when set, else the nearest ``shared`` folder beside the checkout or one of its parents (a
    git worktree may sit deeper than the clone), else ``../shared`` (then absent)."""
    named = os.environ.get("INFOBIP_SHARED")
    if named:
        return Path(named)
    for parent in ROOT.parents:
        if (parent / "shared" / "infobip-openapi").is_dir():
            return parent / "shared"
    return ROOT.parent / "shared"


#: Why a test that needs ``../shared`` did not run, and how to run it.
NO_SHARED = (
    "NOT CHECKED against ../shared (Infobip's OpenAPI description, the component spec): not "
    "found here. Set INFOBIP_SHARED=/path/to/shared (the folder holding infobip-openapi/) to "
    "run these checks."
)


def slice_of(action: str, source: Path) -> dict[str, Any]:
    """The operation of ``action`` as ``operations.json`` keeps it, read from ``source``."""
    op = OPERATIONS[action]
    spec = json.loads((source / op.spec).read_text(encoding="utf-8"))
    described = spec["paths"][op.path][op.method.lower()]
    parameters = sorted(
        [p["name"], p["in"]] for p in described.get("parameters", []) if p.get("in") != "header"
    )
    return {
        "spec": op.spec,
        "method": op.method,
        "path": op.path,
        "operationId": described["operationId"],
        "deprecated": bool(described.get("deprecated")),
        "parameters": parameters,
    }


def slices(source: Path) -> dict[str, dict[str, Any]]:
    """Every action's slice, by action name (sorted)."""
    return {action: slice_of(action, source) for action in sorted(OPERATIONS)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=find_shared() / "infobip-openapi")
    args = parser.parse_args()
    text = json.dumps(slices(args.source), indent=2, ensure_ascii=False) + "\n"
    FILE.write_text(text, encoding="utf-8")
    print(f"wrote {FILE.relative_to(ROOT)} ({len(OPERATIONS)} operations)")


if __name__ == "__main__":
    main()
