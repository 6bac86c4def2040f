"""``get_provider_info()``: what Airflow learns about this provider, from ``connector.yaml``.

Airflow calls it through the entry point ``apache_airflow_provider`` while it starts (for
``airflow providers list``, the connection form, hook discovery), so it imports no Airflow
module and derives everything from the definition: the connection type and its form
(``connection_form``), and the modules holding the operators (one per action), the sensor,
the trigger and the notifier.
"""

from __future__ import annotations

from typing import Any

from ... import component
from ..._version import __version__
from .connection_form import conn_fields, field_behaviour, layout

PACKAGE = "infobip_connector.hosts.airflow"
#: The distribution's name: Airflow refuses provider info whose package-name differs.
DISTRIBUTION = "infobip-connector"


def get_provider_info() -> dict[str, Any]:
    """The provider info dict Airflow validates against its ``provider_info.schema.json``."""
    definition = component.definition
    integration = definition.title
    return {
        "package-name": DISTRIBUTION,
        "name": integration,
        "description": definition.description,
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": integration,
                "external-doc-url": "https://www.infobip.com/docs/api",
                "tags": ["service"],
            }
        ],
        "hooks": [{"integration-name": integration, "python-modules": [f"{PACKAGE}.hook"]}],
        "operators": [
            {"integration-name": integration, "python-modules": [f"{PACKAGE}.operators"]}
        ],
        "sensors": [{"integration-name": integration, "python-modules": [f"{PACKAGE}.sensor"]}],
        "triggers": [{"integration-name": integration, "python-modules": [f"{PACKAGE}.triggers"]}],
        "notifications": [f"{PACKAGE}.notifier.InfobipNotifier"],
        "connection-types": [
            {
                "connection-type": layout().conn_type,
                "hook-class-name": f"{PACKAGE}.hook.InfobipHook",
                "hook-name": integration,
                "conn-fields": conn_fields(),
                "ui-field-behaviour": field_behaviour(),
            }
        ],
    }
