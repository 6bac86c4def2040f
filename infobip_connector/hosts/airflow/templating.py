"""Which values Airflow still renders when a task runs, so a check at DAG parse time leaves
them for the run (where the connector checks the rendered values). No Airflow import."""

from __future__ import annotations

from typing import Any

#: What starts a Jinja expression, statement or comment in Airflow's default environment.
JINJA_MARKS = ("{{", "{%", "{#")


def is_templated(value: Any) -> bool:
    """Whether ``value`` is only known when the task runs: Jinja text, an XComArg or any
    other object Airflow resolves, anywhere in it (lists, tuples, dict values)."""
    if isinstance(value, str):
        return any(mark in value for mark in JINJA_MARKS)
    if isinstance(value, list | tuple):
        return any(is_templated(item) for item in value)
    if isinstance(value, dict):
        return any(is_templated(item) for item in value.values())
    return not (value is None or isinstance(value, bool | int | float))
