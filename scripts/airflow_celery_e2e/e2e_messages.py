"""The messages of the Celery end-to-end run: one SMS per mapped task, the same in the DAG
and in the check that counts them (``scripts/airflow-celery-e2e``).

Kept free of Airflow imports so the check can build the expected inputs without it.
"""

from __future__ import annotations

import os
from typing import Any

DAG_ID = "infobip_celery_e2e"
TASK_ID = "send"


def message_count() -> int:
    """How many mapped send tasks the DAG fans out (``E2E_MESSAGES``, default 200)."""
    return int(os.environ.get("E2E_MESSAGES", "200"))


def inputs(index: int) -> dict[str, Any]:
    """The sendSms input of mapped task ``index``: one SMS to a number of its own.

    The numbers are Swiss mobile numbers (+41 79 302 xx xx) that differ in their last four
    digits, so a message counted twice at the sandbox cannot be two different tasks'.
    """
    return {
        "messages": [
            {
                "from": "InfoSMS",
                "destinations": [{"to": f"+4179302{index:04d}"}],
                "text": f"Celery end-to-end message {index}",
            }
        ]
    }
