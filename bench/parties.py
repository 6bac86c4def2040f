"""Who is measured, with which interpreter, and how the peers' environments are made.

Peers pin pydantic versions of their own, so each lives in a virtual environment
under bench/.venvs/, created on first use and reused afterwards.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

from bench.paths import ROOT, VENVS, WORKERS


@dataclass(frozen=True)
class Party:
    key: str
    label: str
    worker: str
    requirement: str | None = None  # pip requirement; None = the current interpreter
    probe: str | None = None  # module whose import proves the environment works

    @property
    def is_peer(self) -> bool:
        return self.requirement is not None

    @property
    def venv(self) -> Path:
        return VENVS / self.key

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python" if self.is_peer else Path(sys.executable)

    @property
    def script(self) -> Path:
        return WORKERS / self.worker


RAW = Party("raw", "raw httpx", "raw_httpx.py")
RAW_AIOHTTP = Party("raw-aiohttp", "raw aiohttp", "raw_aiohttp.py")
OURS = Party("ours", "infobip-connector (ours)", "ours.py")
# Ours through its long-lived hosts (serve, mcp), figure 7.
HOSTS = Party("hosts", "infobip-connector hosts", "hosts.py")
SDK = Party(
    "infobip-api-python-sdk",
    "infobip-api-python-sdk (community)",
    "community_sdk.py",
    requirement="infobip-api-python-sdk>=5,<6",
    probe="infobip_channels",
)
OFFICIAL = Party(
    "infobip-api-python-client",
    "infobip-api-python-client (official)",
    "official_client.py",
    requirement="infobip-api-python-client>=6,<7",
    probe="infobip_api_client",
)
PEERS = (SDK, OFFICIAL)


def _works(party: Party) -> bool:
    if not party.python.exists():
        return False
    # Finding the package is enough: importing the official client takes seconds.
    code = (
        f"import importlib.util, sys; sys.exit(importlib.util.find_spec({party.probe!r}) is None)"
    )
    check = subprocess.run([str(party.python), "-c", code], capture_output=True, cwd=ROOT)
    return check.returncode == 0


def ensure_installed(party: Party, log: Path) -> str | None:
    """Make the peer's environment usable; return None, or why it could not be."""
    if _works(party):
        return None
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(party.venv)
        with log.open("w") as out:
            subprocess.run(
                [str(party.python), "-m", "pip", "install", "--quiet", str(party.requirement)],
                stdout=out,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=600,
            )
    except (OSError, subprocess.SubprocessError) as error:
        return f"install failed ({type(error).__name__}; see {log.relative_to(ROOT)})"
    return None if _works(party) else f"installed but {party.probe} is not found"
