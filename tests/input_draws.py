"""Valid inputs of any action: drawn from its schema, then fixed up where the definition
declares a rule between values (IDs unique in a request, no commas in log filters, ...)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from hypothesis import strategies as st

from infobip_connector import component
from infobip_connector.definition.model import Property

from .input_field_draws import overrides
from .input_schema_draws import ACTIONS, Path_, from_schema

_SCHEMA_STRATEGIES = {a: from_schema(component.input_schema(a), (), overrides(a)) for a in ACTIONS}


@st.composite
def valid_inputs(draw: st.DrawFn, action: str) -> dict[str, Any]:
    """A valid input of any action; the fix-ups follow what the definition declares."""
    values: dict[str, Any] = draw(_SCHEMA_STRATEGIES[action])
    root = component.definition.action(action).as_property()
    seen: set[str] = set()
    for path, prop in _declared(root, values):
        parent, key = _parent(values, path), path[-1]
        if "noComma" in prop.rules and isinstance(parent[key], str):
            parent[key] = parent[key].replace(",", "_")  # Infobip's log filters split at commas
        if prop.generatedId and isinstance(parent[key], str) and parent[key]:
            # IDs must differ within a request: a repeat is an input error.
            if parent[key] in seen:
                del parent[key]
            else:
                seen.add(parent[key])
        elif isinstance(parent[key], tuple):
            # input_field_draws._send_at returns (value, instant meant): keep the value,
            # remember the instant.
            parent[key], parent[_MEANT + str(key)] = parent[key]
        elif "previewUrlNeedsLink" in prop.rules and isinstance(parent[key], dict):
            content = parent[key]  # the rule is on the object holding text and previewUrl
            text = content.get("text", "")
            if content.get("previewUrl") is True and not re.search(r"https?://\S", text):
                content["text"] = text[:4000] + " https://example.com/x"
    for child in root.properties or []:
        if child.location != "body" and child.name in values and _absent(values[child.name]):
            # A filter given empty is refused, not "not given" (test_empty_filters.py).
            del values[child.name]
    for rule in root.rules:
        _BETWEEN_INPUTS[rule](values)
    return values


def _absent(value: Any) -> bool:
    return value in (None, "", [], {})


def _mnc_with_mcc(values: dict[str, Any]) -> None:
    if not _absent(values.get("mnc")) and _absent(values.get("mcc")):
        del values["mnc"]


def _since_before_until(values: dict[str, Any]) -> None:
    since, until = values.get("sentSince"), values.get("sentUntil")
    if _absent(since) or _absent(until):
        return
    if datetime.fromisoformat(since.replace("Z", "+00:00")) >= datetime.fromisoformat(
        until.replace("Z", "+00:00")
    ):
        del values["sentUntil"]


#: What keeps a generated input clear of each rule declared on an action (between its inputs).
_BETWEEN_INPUTS: dict[str, Callable[[dict[str, Any]], None]] = {
    "mncNeedsMcc": _mnc_with_mcc,
    "sentSinceBeforeUntil": _since_before_until,
}


_MEANT = "_meant_"
Meant = dict[Path_, datetime]


def _declared(prop: Property, value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Property]]:
    """Each place of ``value`` that the definition declares, with its property (root excluded).

    Collected before yielding, so a caller may change the values it is given.
    """
    found: list[tuple[Path_, Property]] = []
    if isinstance(value, dict) and prop.type == "OBJECT":
        for child in prop.properties or []:
            if child.name in value:
                found.append(((*path, child.name), child))
                found.extend(_declared(child, value[child.name], (*path, child.name)))
    elif isinstance(value, list) and prop.items is not None:
        for index, item in enumerate(value):
            found.append(((*path, index), prop.items))
            found.extend(_declared(prop.items, item, (*path, index)))
    return iter(found)


def _parent(values: Any, path: Path_) -> Any:
    for part in path[:-1]:
        values = values[part]
    return values


def take_meant(values: Any, path: Path_ = ()) -> Meant:
    """Remove the test's private markers, returning the instant meant by each sendAt's path."""
    meant: Meant = {}
    if isinstance(values, dict):
        for key in [k for k in values if k.startswith(_MEANT)]:
            meant[(*path, key.removeprefix(_MEANT))] = values.pop(key)
        for key, item in values.items():
            meant.update(take_meant(item, (*path, key)))
    elif isinstance(values, list):
        for index, item in enumerate(values):
            meant.update(take_meant(item, (*path, index)))
    return meant
