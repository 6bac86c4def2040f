"""Apache Airflow 3 provider: ``InfobipHook``, ``InfobipOperator`` and one operator per
action, ``InfobipNotifier`` and ``InfobipDeliveryReportSensor`` (with its trigger).

Installed with the ``airflow`` extra and registered through the entry point
``apache_airflow_provider`` (``provider.get_provider_info``). Importing this package loads
neither Airflow nor the definition: Airflow reads the provider info while it starts, and
the classes load from their modules (``hook``, ``operators``, ``notifier``, ``sensor``,
``triggers``) when a DAG imports them.
"""
