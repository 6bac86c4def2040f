"""Every action mirrors its Infobip operation's request: each property of the published request
schema (at every depth, every header and button variant) is declared in connector.yaml, every
value the spec's enums allow is offered, and nothing is declared that the spec does not have.

The request schemas come from the slices in tests/fixtures/openapi (written by
scripts/extract_openapi_slices.py), so the comparison runs on a clone without the OpenAPI
description; the query and path parameters are compared with the description itself, where
it is present (test_actions_follow_the_definition.py).
Anything left out on purpose is in an allow-list below, with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.definition.model import Property
from infobip_connector.definition.schemas import property_schema

from .conftest import FIXTURES
from .operations import OPERATIONS

BODY_ACTIONS = [name for name in component.action_names if OPERATIONS[name].request_slice]

# Request properties of the spec the definition leaves out on purpose: (action, path) -> why.
# A path stands for itself and everything below it. An entry that no longer matches a
# missing property fails the test, so the list only shrinks as properties are added.
# Paths do not show a member's type: test_every_member_takes_the_json_types_of_the_spec
# compares those (an ORDER_DETAILS payment's callbackData is a list of strings for PG_PAYU
# and a map of strings for PG_RAZORPAY: a ONE_OF of both forms).
NOT_MIRRORED: dict[tuple[str, str], str] = {}

# Members whose JSON types differ from the spec's on purpose: (action, path) -> why.
TYPES_DIFFER: dict[tuple[str, str], str] = {
    ("sendSms", "messages[].sendAt"): "sendAt's parts, sent as one string",
    ("rescheduleSms", "sendAt"): "sendAt's parts, sent as one string",
}

# Properties the definition declares that the spec's request schema does not have: why.
NOT_IN_SPEC: dict[tuple[str, str], str] = {
    # sendAt is declared as {dateTime, zoneId} (or one string); the executor sends the one
    # date-time string with an offset that Infobip takes (runtime/timeutil.py).
    ("sendSms", "messages[].sendAt.dateTime"): "sendAt's parts, sent as one string",
    ("sendSms", "messages[].sendAt.zoneId"): "sendAt's parts, sent as one string",
    ("rescheduleSms", "sendAt.dateTime"): "sendAt's parts, sent as one string",
    ("rescheduleSms", "sendAt.zoneId"): "sendAt's parts, sent as one string",
}

# Enum values of the spec the definition does not offer on purpose: (action, path) -> why.
VALUES_NOT_OFFERED: dict[tuple[str, str], tuple[frozenset[Any], str]] = {
    ("updateScheduledSmsStatus", "status"): (
        frozenset({"PENDING", "FINISHED", "FAILED"}),
        "the spec's enum is shared with the status answer; a bulk can only be paused, resumed "
        "or canceled (the other values are states Infobip reaches, not requests)",
    ),
}


def _walk(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, schema) of every property a request schema describes, ``[]`` marking list items;
    the variants of a union (``oneOf``/``anyOf``/``allOf``, the ``if``/``then`` of a
    discriminator) all count. A discriminator's ``if`` is yielded as its value's own
    ``{"enum": [value]}`` schema at the discriminating property."""
    for keyword in ("oneOf", "anyOf", "allOf"):
        for alternative in schema.get(keyword, []):
            yield from _walk(alternative, path)
    for name, rule in schema.get("if", {}).get("properties", {}).items():
        yield f"{path}.{name}" if path else name, {"enum": [rule["const"]]}
    if "then" in schema:
        yield from _walk(schema["then"], path)
    for name, sub in schema.get("properties", {}).items():
        where = f"{path}.{name}" if path else name
        yield where, sub
        yield from _walk(sub, where)
    if isinstance(schema.get("items"), dict):
        yield from _walk(schema["items"], path + "[]")


def spec_properties(schema: dict[str, Any]) -> set[str]:
    """The path of every property the request schema describes."""
    return {where for where, _ in _walk(schema)}


def spec_enums(schema: dict[str, Any]) -> dict[str, set[Any]]:
    """Every value the spec allows at a path that has a list of them."""
    values: dict[str, set[Any]] = {}
    for where, sub in _walk(schema):
        values.setdefault(where, set()).update(sub.get("enum", ()))
    return {where: found for where, found in values.items() if found}


def declared(properties: list[Property], path: str = "") -> Iterator[tuple[str, Property]]:
    for prop in properties:
        where = f"{path}.{prop.name}" if path else str(prop.name)
        yield where, prop
        yield from declared(prop.properties or [], where)
        if prop.items is not None:
            yield from declared(prop.items.properties or [], where + "[]")


def _body_properties(action: str) -> dict[str, Property]:
    tops = [p for p in component.definition.action(action).properties if p.location == "body"]
    return dict(declared(tops))


def _request_schema(action: str) -> dict[str, Any]:
    name = OPERATIONS[action].request_slice
    assert name is not None
    loaded: dict[str, Any] = json.loads((FIXTURES / "openapi" / name).read_text(encoding="utf-8"))
    return loaded


def _allowed(action: str, where: str, allow: dict[tuple[str, str], str]) -> str | None:
    for (listed_action, prefix), _why in allow.items():
        below = where.startswith((prefix + ".", prefix + "[]"))
        if listed_action == action and (where == prefix or below):
            return prefix
    return None


@pytest.mark.parametrize("action", BODY_ACTIONS)
def test_every_request_property_of_the_spec_is_declared(action: str) -> None:
    spec = spec_properties(_request_schema(action))
    missing = sorted(spec - set(_body_properties(action)))
    unexplained = [where for where in missing if not _allowed(action, where, NOT_MIRRORED)]
    assert unexplained == [], "declare these in connector.yaml (or list them, with the reason)"
    used = {_allowed(action, where, NOT_MIRRORED) for where in missing}
    stale = [p for (a, p) in NOT_MIRRORED if a == action and p not in used]
    assert stale == [], "these are declared now: take them off NOT_MIRRORED"


@pytest.mark.parametrize("action", BODY_ACTIONS)
def test_nothing_is_declared_that_the_spec_does_not_have(action: str) -> None:
    spec = spec_properties(_request_schema(action))
    extra = sorted(set(_body_properties(action)) - spec)
    assert extra == sorted(p for (a, p) in NOT_IN_SPEC if a == action)


@pytest.mark.parametrize("action", BODY_ACTIONS)
def test_every_value_the_spec_allows_is_offered(action: str) -> None:
    properties = _body_properties(action)
    for where, allowed in spec_enums(_request_schema(action)).items():
        prop = properties.get(where)
        if prop is None:
            continue  # a property not mirrored at all is the other test's business
        if prop.type == "ARRAY" and prop.items is not None:
            prop = prop.items
        offered = {option.value for option in prop.options or []}
        left_out, _why = VALUES_NOT_OFFERED.get((action, where), (frozenset(), ""))
        assert allowed - offered == set(left_out), f"{action} {where}"
        assert offered <= allowed, f"{action} {where} offers values the spec does not have"


def spec_types(schema: dict[str, Any]) -> dict[str, set[str]]:
    """The JSON types the spec gives each path, over all its variants (a member that is a
    list for one discriminated type and a map for another has both)."""
    types: dict[str, set[str]] = {}
    for where, sub in _walk(schema):
        given = sub.get("type")
        if given is not None:
            types.setdefault(where, set()).update([given] if isinstance(given, str) else given)
    return types


def declared_types(prop: Property) -> set[str]:
    """The JSON types the derived schema gives a declared property (each of a ONE_OF's
    forms); a number that must be a multiple of 1 is an integer."""
    schema = property_schema(prop)
    if schema.get("multipleOf") == 1:
        return {"integer"}
    given = schema["type"]
    return {given} if isinstance(given, str) else set(given)


@pytest.mark.parametrize("action", BODY_ACTIONS)
def test_every_member_takes_the_json_types_of_the_spec(action: str) -> None:
    spec = spec_types(_request_schema(action))
    differ = {
        where: (sorted(declared_types(prop)), sorted(spec[where]))
        for where, prop in _body_properties(action).items()
        if where in spec and declared_types(prop) != spec[where]
    }
    assert differ.keys() == {p for (a, p) in TYPES_DIFFER if a == action}, differ


def test_the_type_comparison_sees_each_variants_form() -> None:
    # callbackData is an array in the PG_PAYU variant and an object in PG_RAZORPAY's: were
    # only one variant read, the member could take one form and still pass.
    where = "messages[].content.templateData.buttons[].action.payment.callbackData"
    assert spec_types(_request_schema("sendWhatsappTemplateMessage"))[where] == {"array", "object"}


def test_the_comparison_sees_discriminated_variants() -> None:
    # The button variants are only in the slice's if/then branches: were they not walked, a
    # missing variant member could never be noticed.
    paths = spec_properties(_request_schema("sendWhatsappTemplateMessage"))
    assert "messages[].content.templateData.buttons[].parameter" in paths
    assert "messages[].content.templateData.header.latitude" in paths
