"""An Airflow DAG: an SMS bulk, a wait for its delivery, a WhatsApp template to the delivered.

1. ``send_sms`` sends one SMS to two recipients (``InfobipSendSmsOperator``);
2. ``wait_for_delivery`` waits until both have a final status, reading the SMS logs
   (``InfobipDeliveryReportSensor``, deferrable: it waits in the triggerer);
3. ``follow_up_inputs`` picks the recipients reported delivered and builds the input of
4. ``send_whatsapp``, a WhatsApp template message to each (``InfobipSendWhatsappTemplate-
   MessageOperator``).

Put this file in your DAGs folder and give Airflow a connection ``infobip_default`` of type
``infobip`` (your API key as password, your base URL as host), e.g.::

    export AIRFLOW_CONN_INFOBIP_DEFAULT='{"conn_type": "infobip",
        "host": "xxxxx.api.infobip.com", "password": "<API key>"}'

Run as a script (``python examples/airflow_sms_then_whatsapp.py``), it tests the DAG once
with ``dag.test()`` against the embedded sandbox: nothing is sent, no account is needed.
The numbers, sender and template below are the sandbox's; use your own with an account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException

from infobip_connector.hosts.airflow.operators import (
    InfobipSendSmsOperator,
    InfobipSendWhatsappTemplateMessageOperator,
)
from infobip_connector.hosts.airflow.sensor import InfobipDeliveryReportSensor

RECIPIENTS = ["+41 79 302 67 27", "+385 91 123 4567"]
WHATSAPP_SENDER = "+44 7860 099299"

with DAG(
    dag_id="infobip_sms_then_whatsapp",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["infobip"],
) as dag:
    send_sms = InfobipSendSmsOperator(
        task_id="send_sms",
        inputs={
            "messages": [
                {
                    "from": "InfoSMS",
                    "destinations": [{"to": to} for to in RECIPIENTS],
                    "text": "Order #1042 of {{ ds }} has shipped.",
                }
            ]
        },
    )
    wait_for_delivery = InfobipDeliveryReportSensor(
        task_id="wait_for_delivery",
        message_ids=send_sms.output,
        poke_interval=10,
        timeout=3600,
        deferrable=True,
    )

    @task
    def follow_up_inputs(delivery: dict[str, Any]) -> dict[str, Any]:
        """A WhatsApp template message for each recipient reported delivered."""
        delivered = [
            entry["destination"]
            for entry in delivery["results"]
            if entry["status"]["groupName"] == "DELIVERED"
        ]
        if not delivered:
            raise AirflowSkipException("no recipient was reported delivered")
        return {
            "messages": [
                {
                    "from": WHATSAPP_SENDER,
                    "to": to,
                    "content": {
                        "templateName": "order_update",
                        "language": "en",
                        "templateData": {
                            "body": {"placeholders": ["#1042", "shipped", "tomorrow"]},
                            "header": {"type": "TEXT", "placeholder": "#1042"},
                            "buttons": [
                                {"type": "URL", "parameter": "1042"},
                                {"type": "QUICK_REPLY", "parameter": "support-1042"},
                            ],
                        },
                    },
                }
                for to in delivered
            ]
        }

    send_whatsapp = InfobipSendWhatsappTemplateMessageOperator(
        task_id="send_whatsapp", inputs=follow_up_inputs(wait_for_delivery.output)
    )


def _test_against_the_sandbox() -> None:
    """``dag.test()`` against a sandbox server of this process, in the Airflow home of the
    environment (``AIRFLOW_HOME``; its database is created or migrated first, as ``airflow
    db migrate`` does), with this file's folder as the DAG bundle."""
    import json
    import os
    import secrets
    from pathlib import Path

    from airflow.configuration import conf
    from airflow.utils import db

    from infobip_connector.sandbox import Sandbox, SandboxServer

    # This folder is the DAG bundle, so the run finds the DAG where the scheduler would.
    bundle = {
        "name": "infobip-examples",
        "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
        "kwargs": {"path": str(Path(__file__).resolve().parent)},
    }
    conf.set("dag_processor", "dag_bundle_config_list", json.dumps([bundle]))
    db.upgradedb()
    with SandboxServer(Sandbox()) as server:
        os.environ["AIRFLOW_CONN_INFOBIP_DEFAULT"] = json.dumps(
            {
                "conn_type": "infobip",
                "host": server.url,
                "password": "sandbox-" + secrets.token_hex(16),
            }
        )
        run = dag.test()
    print(f"DAG run {run.run_id}: {run.state}")
    if run.state != "success":
        raise SystemExit(1)


if __name__ == "__main__":
    _test_against_the_sandbox()
