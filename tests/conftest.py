from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CANARY = "canary-TOKEN-5f1c9e0b7d"


@pytest.fixture()
def canary() -> str:
    return CANARY


@pytest.fixture()
def connection() -> dict[str, str]:
    return {"token": CANARY, "baseUrl": "https://xyz12.api.infobip.com"}
