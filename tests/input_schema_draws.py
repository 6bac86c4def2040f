"""Values valid under an action's derived input schema, drawn by hypothesis.

A small JSON-Schema-to-strategy walker rather than hypothesis-jsonschema: hypothesis-jsonschema
0.23.1 calls ``many.more()``, which current hypothesis (6.170) no longer has, so it fails on
any object schema. The walker covers exactly the keywords the derived schemas use and fails
loudly on any other, so a new keyword cannot be silently ignored. Fields whose rules live
outside the schema are drawn by hand-made strategies (``input_field_draws.py``), given as
``overrides`` by path.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from infobip_connector import component
from infobip_connector.definition.model import format_path

# Every action of connector.yaml; tests/operations.py names its Infobip operation and the
# slice of its published request schema (a missing row fails test_actions_follow_the_definition).
ACTIONS = tuple(component.action_names)
# A fixed "now": sendAt is generated relative to it, and prepare() is told to use it, so a slow
# run can never push a generated time into the past.
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)

Path_ = tuple[str | int, ...]
Schema = dict[str, Any]

# Each draw a new {} or []: sampled_from hands out the very objects of its list, and a value
# drawn here may be changed in place afterwards (see assert_drawn_anew).
_EMPTY: st.SearchStrategy[Any] = st.sampled_from([None, "", {}, []]).map(copy.copy)
_KNOWN = {
    "$schema",
    "$comment",
    "x-maxLengthUtf16",
    "$id",
    "title",
    "description",
    "examples",
    "default",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "multipleOf",
    "x-presentation",  # an editor hint: constrains nothing
    "x-optionsFrom",  # where an editor gets the choices: constrains nothing
}

Override = Callable[[Schema], st.SearchStrategy[Any]]


def from_schema(schema: Schema, path: Path_, overrides: dict[Path_, Override]) -> Any:
    """A strategy for values valid under ``schema`` (the subset the derived schemas use)."""
    unknown = set(schema) - _KNOWN
    assert not unknown, f"{format_path(path)}: generator does not know {unknown}"
    override = overrides.get(path)
    if override is not None:
        return override(schema)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema["type"]
    if kind == "object":
        return _object(schema, path, overrides)
    if kind == "array":
        items = from_schema(schema["items"], (*path, "*"), overrides)
        unique = bool(schema.get("uniqueItems"))
        most = min(schema.get("maxItems", 3), 3)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=most, unique=unique)
    if kind == "string":
        return strings_of(schema)
    if kind == "integer":
        # Given as int or as an integral float (5.0, -0.0): both are valid, and both must
        # reach Infobip as an integer (see input_oracle._expect).
        low, high = schema.get("minimum"), schema.get("maximum")
        ints = st.integers(low, high)
        zero = (low is None or low <= 0) and (high is None or high >= 0)
        return st.one_of(ints, ints.map(float), *([st.just(-0.0)] if zero else []))
    if kind == "number":
        low, high = schema["minimum"], schema["maximum"]  # every NUMBER here is bounded
        if schema.get("multipleOf") == 1:
            # Whole numbers, given as int or as an integral float: both are valid.
            whole = st.integers(math.ceil(low), math.floor(high))
            return st.one_of(whole, whole.map(float))
        return st.floats(low, high, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    raise AssertionError(f"{format_path(path)}: generator does not know type {kind!r}")


def strings_of(schema: Schema) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    units = schema.get("x-maxLengthUtf16")
    if "pattern" in schema:
        return st.from_regex(str(schema["pattern"]), fullmatch=True).filter(
            lambda s: (
                len(s) >= low
                and (high is None or len(s) <= high)
                and (units is None or len(s.encode("utf-16-le")) // 2 <= units)
            )
        )
    # Any Unicode text except lone surrogates (which are not JSON), control characters included.
    return st.text(min_size=low, max_size=min(high or 40, 40))


def _object(schema: Schema, path: Path_, overrides: dict[Path_, Override]) -> Any:
    # Child strategies are built once here, not per draw: building them dominates otherwise.
    required = set(schema.get("required", []))
    fields = [
        (key, key in required, from_schema(sub, (*path, key), overrides))
        for key, sub in schema.get("properties", {}).items()
    ]

    @st.composite
    def values(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, is_required, strategy in fields:
            choice = 3 if is_required else draw(st.integers(0, 5))
            if choice == 0:
                # Editors send untouched fields as null, "", {} or []: treated as not given.
                out[key] = draw(_EMPTY)
            elif choice >= 3:
                out[key] = draw(strategy)
        return out

    return values()
