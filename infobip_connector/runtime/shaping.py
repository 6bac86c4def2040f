"""Projecting Infobip's answer onto an action's declared output.

Most answers already match: they pass the compiled output schema and are returned
untouched (a 100,000-message answer is not copied). Only an answer that does not
match is rebuilt: undeclared fields dropped, numbers and strings coerced to the
declared type where that loses nothing.
"""

from __future__ import annotations

from typing import Any

from ..definition.model import Property


def project(value: Any, prop: Property) -> Any:
    if prop.type == "OBJECT":
        if not isinstance(value, dict):
            return None
        out = {}
        for child in prop.properties or []:
            if child.name in value:
                shaped = project(value[child.name], child)
                if shaped is not None:
                    out[child.name] = shaped
        return out
    if prop.type == "ARRAY":
        if not isinstance(value, list):
            return None
        assert prop.items is not None
        return [project(item, prop.items) for item in value]
    return _coerce(value, prop.type)


def _coerce(value: Any, kind: str) -> Any:
    if kind in ("STRING", "DATE_TIME"):
        if isinstance(value, str):
            return value
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )
    if kind == "INTEGER":
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        return None
    if kind == "NUMBER":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return None
    if kind == "BOOLEAN":
        return value if isinstance(value, bool) else None
    return None
