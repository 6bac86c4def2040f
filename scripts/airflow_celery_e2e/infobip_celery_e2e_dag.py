"""The DAG of ``scripts/airflow-celery-e2e``: ``E2E_MESSAGES`` mapped send tasks (200 by
default), each sending one SMS through the connection ``infobip_default``.

Each mapped task sends with its task instance's idempotency key, so a try that runs again
(its worker was killed) sends the same messageId, which the sandbox, with idempotent sending
on, refuses as a duplicate instead of sending twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import DAG
from e2e_messages import DAG_ID, TASK_ID, inputs, message_count

from infobip_connector.hosts.airflow.operators import InfobipSendSmsOperator

with DAG(
    dag_id=DAG_ID,
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_tasks=64,
    default_args={"retries": 3, "retry_delay": timedelta(seconds=2)},
    tags=["infobip", "e2e"],
) as dag:
    InfobipSendSmsOperator.partial(task_id=TASK_ID).expand(
        inputs=[inputs(index) for index in range(message_count())]
    )
