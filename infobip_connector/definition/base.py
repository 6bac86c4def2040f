"""The base of the definition's classes and the field metadata they share."""

from __future__ import annotations

from typing import Any, ClassVar


class _Model:
    """Base of the definition's classes: frozen dataclasses whose fields are given by name
    (``kw_only``: a required field may follow optional ones, in the YAML's order)."""

    # What pydantic reads (``checked.py``): unknown keys are errors, and ``in`` may be
    # given by its field name ``location`` too.
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "populate_by_name": True}


# Field constraints (``pattern``, ``ge``, ``alias``...) are in each field's ``metadata``:
# pydantic reads the keys there that are arguments of its ``Field``. A list that defaults
# to a fresh ``[]`` is shown with that default in the meta-schema.
_EMPTY_LIST: dict[str, Any] = {"json_schema_extra": {"default": []}}
