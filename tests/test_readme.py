"""Every shell block of the README, run in order in a fresh shell on a copy of the checkout.

A block the README marks with ``<!-- readme-test: not run (reason) -->`` on the line before
its fence is left out, and must say why. Two things differ from a person pasting the blocks
into a terminal, both to keep the test fast and able to run beside other tests:

- the quick start's ``python3 -m venv .venv && .venv/bin/pip install -q . && `` prefix is
  dropped and ``.venv`` is a link to the environment running this test, which was installed
  from the same checkout (CI creates it with ``pip install ".[test]"`` in a fresh venv, the
  quick start's second command; the first command's ``pip install .`` is a subset of it);
- the sandbox's port 8080 becomes a free port.

The shell starts with a minimal environment: no ``INFOBIP_*`` variables, and a ``PATH``
without this test's environment, so a command that works only with a venv already active
fails here as it would for a newcomer.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

README = ROOT / "README.md"
SHELLS = {"bash", "sh", "shell", "console"}
MARKER = re.compile(r"<!--\s*readme-test:\s*not run\s*\((?P<reason>[^)]+)\)\s*-->")
FENCE = re.compile(r"^```(?P<lang>\S*)\s*$")
VENV_PREFIX = re.compile(r"^python3 -m venv \.venv && \.venv/bin/pip install -q \S+ && ")
SANDBOX_PORT = "8080"
# What a fresh copy of the checkout does not need: build products, caches, environments.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".venvs",
    "results",
    "artifacts",
    "__pycache__",
    "*.egg-info",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
)


@dataclass(frozen=True)
class Block:
    line: int  # 1-based line of the opening fence
    code: str
    skipped_because: str | None


def shell_blocks(text: str) -> list[Block]:
    """The README's shell blocks in order, with the reason a marked one is not run."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        start, body = i, []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        if fence["lang"] not in SHELLS:
            continue
        marker = MARKER.search(lines[start - 1]) if start else None
        blocks.append(
            Block(start + 1, "\n".join(body), marker["reason"].strip() if marker else None)
        )
    return blocks


def script_of(blocks: list[Block], port: int) -> str:
    """One bash script: every block not marked, in order, stopping at the first failure."""
    parts = [
        "set -euo pipefail",
        # Background servers a block started and did not stop must not outlive the test.
        "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
    ]
    for block in blocks:
        if block.skipped_because is not None:
            continue
        code = "\n".join(VENV_PREFIX.sub("", line) for line in block.code.splitlines())
        parts += [f"echo '### README line {block.line}' >&2", code.replace(SANDBOX_PORT, str(port))]
    return "\n".join(parts) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_every_block_not_run_says_why() -> None:
    blocks = shell_blocks(README.read_text(encoding="utf-8"))
    assert [b for b in blocks if b.skipped_because is None], "no README block would be run"
    for block in blocks:
        assert block.skipped_because is None or len(block.skipped_because) > 10, block.line
    # A marker must sit right before a shell block, or it marks nothing.
    text = README.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(text):
        if MARKER.search(line):
            assert FENCE.match(text[number + 1]), f"README line {number + 1}: marker on no block"


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="needs the project's virtual environment")
def test_the_readme_commands_work_pasted_in_order(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    shutil.copytree(ROOT, clone, ignore=NOT_COPIED, symlinks=True)
    (clone / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    script = script_of(shell_blocks(README.read_text(encoding="utf-8")), free_port())
    (tmp_path / "readme.sh").write_text(script, encoding="utf-8")
    venv_bin = str(Path(sys.prefix) / "bin")
    path = [p for p in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep) if p != venv_bin]
    env = {
        "PATH": os.pathsep.join(path),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "TMPDIR": str(tmp_path),
    }
    shell = subprocess.Popen(
        ["bash", str(tmp_path / "readme.sh")],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = shell.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(shell.pid, signal.SIGKILL)
        out, err = shell.communicate()
        pytest.fail(
            f"a README command did not finish (a server in the foreground?):\n{err[-2000:]}"
        )
    finally:
        # Whatever the script left running (a server it failed to stop) goes with it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGKILL)
    assert shell.returncode == 0, f"{err[-3000:]}\n--- stdout ---\n{out[-2000:]}"
    # The --sandbox run and the run against the sandbox server each printed an output.
    assert out.count('"PENDING_ACCEPTED"') >= 2
