"""Test-only actions of kinds ``read`` and ``consume``, with query/path parameters and options.

They exercise the mechanisms on real Infobip operations; ``actions.yaml`` declares them and
``definition()`` joins them to the packaged connection block.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from infobip_connector.definition.model import default_definition_path

HERE = Path(__file__).resolve().parent


def definition_text() -> str:
    """A connector.yaml: the packaged connection and these test actions."""
    packaged = yaml.safe_load(default_definition_path().read_text(encoding="utf-8"))
    actions: list[dict[str, Any]] = yaml.safe_load((HERE / "actions.yaml").read_text("utf-8"))
    packaged["actions"] = actions
    # The packaged triggers poll packaged actions, which these replace.
    packaged.pop("triggers", None)
    packaged["icon"] = str(default_definition_path().parent / packaged["icon"])
    return yaml.safe_dump(packaged, sort_keys=False)


def write_definition(folder: Path) -> Path:
    path = folder / "connector.yaml"
    path.write_text(definition_text(), encoding="utf-8")
    return path
