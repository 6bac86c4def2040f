"""What the outcome tests share: a two-message bulk with known IDs, and CLI run arguments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: Send SMS to two destinations with the IDs fixed, so an error can be checked for them.
SMS_TWO = {
    "bulkId": "B1",
    "messages": [
        {
            "destinations": [
                {"to": "41793026727", "messageId": "M1"},
                {"to": "41793026728", "messageId": "M2"},
            ],
            "text": "Hi",
        }
    ],
}


def run_args(folder: Path, values: Any, connection: Any, action: str = "sendSms") -> list[str]:
    """``run`` arguments for the CLI, with the input and connection written as files."""
    (folder / "input.json").write_text(json.dumps(values))
    (folder / "connection.json").write_text(json.dumps(connection))
    return [
        "run",
        action,
        "--input",
        str(folder / "input.json"),
        "--connection",
        str(folder / "connection.json"),
    ]
