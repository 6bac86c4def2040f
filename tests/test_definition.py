"""connector.yaml mirrors the component reference, and everything derived from it is in sync."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from infobip_connector import component
from infobip_connector.definition.checked import validate
from infobip_connector.definition.model import (
    DefinitionError,
    Property,
    load_definition,
    parse_definition,
)
from infobip_connector.definition.reference import render_reference
from infobip_connector.definition.schemas import all_schemas

from .conftest import FIXTURES, ROOT, SHARED
from .operation_slices import NO_SHARED

SPEC = FIXTURES / "spec" / "infobip-component.md"


def _rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|:") and "Control Type" not in line:
            rows.append(
                [re.sub(r"\s+", " ", c.strip()) for c in line.strip().strip("|").split("|")]
            )
    return rows


def test_spec_copy_matches_shared() -> None:
    shared = SHARED / "spec" / "infobip-component.md"
    if not shared.exists():
        pytest.skip(NO_SHARED)
    assert shared.read_text() == SPEC.read_text()


# Request properties of Infobip's operations that the component reference (which predates
# them) leaves out; the definition mirrors the operation, so the reference's rows are compared
# with the definition minus these (action, path).
BEYOND_THE_COMPONENT_REFERENCE = {
    ("sendSms", "messages.campaignReferenceId"),
    ("sendSms", "messages.regional.indiaDlt.telemarketerId"),
    ("sendSms", "messages.regional.southKorea.title"),
    ("sendWhatsappTextMessage", "context"),
}


def _pruned(props: list[Property], action: str, path: str = "") -> list[Property]:
    kept = []
    for prop in props:
        where = f"{path}.{prop.name}" if path else str(prop.name)
        if (action, where) in BEYOND_THE_COMPONENT_REFERENCE:
            continue
        update: dict[str, Any] = {}
        if prop.properties:
            update["properties"] = _pruned(prop.properties, action, where)
        if prop.items is not None and prop.items.properties:
            items = replace(prop.items, properties=_pruned(prop.items.properties, action, where))
            update["items"] = items
        kept.append(replace(prop, **update))
    return kept


def _as_in_the_component_reference() -> Any:
    definition = component.definition
    actions = [replace(a, properties=_pruned(a.properties, a.name)) for a in definition.actions]
    return replace(definition, actions=actions)


def test_properties_beyond_the_component_reference_are_declared() -> None:
    # Each exception names a property the definition has, so the list cannot go stale.
    for action, path in BEYOND_THE_COMPONENT_REFERENCE:
        props = component.definition.action(action).properties
        for name in path.split("."):
            prop = next(p for p in props if p.name == name)
            props = prop.properties or (prop.items.properties if prop.items else None) or []


def test_reference_carries_every_row_of_the_spec() -> None:
    spec_rows = _rows(SPEC.read_text())
    ours = _rows(render_reference(_as_in_the_component_reference()))
    assert len(spec_rows) == 22
    missing = [row for row in spec_rows if row not in ours]
    assert missing == []


def test_every_spec_property_has_the_spec_type_and_control_type() -> None:
    """Walk the spec tables section by section and find each row in the definition."""
    text = SPEC.read_text()
    definition = _as_in_the_component_reference()
    sections = re.split(r"^### ", text, flags=re.M)[1:]
    checked = 0
    for section in sections:
        title = section.splitlines()[0].strip()
        if title == "Output":
            continue
        if title == "API Key":
            props = definition.authorization.properties
        else:
            action = next(a for a in definition.actions if a.title.lower() == title.lower())
            props = action.properties
        by_label = {p.label: p for p in props}
        for name, type_sig, control, description in _rows(section.split("### Output")[0]):
            prop = by_label[name]
            from infobip_connector.definition.reference import signature

            assert signature(prop) == type_sig, name
            assert prop.controlType == control, name
            assert re.sub(r"\s+", " ", prop.description).strip() == description, name
            checked += 1
    assert checked == 16


def test_whatsapp_description_is_corrected() -> None:
    action = component.definition.action("sendWhatsappTextMessage")
    assert action.title == "Send WhatsApp Text Message"
    assert "SMS" not in action.description
    assert "24 hours" in action.description


def test_outputs_are_declared_as_in_the_spec() -> None:
    # The one member beyond the spec, in each send's output: which messages an earlier attempt
    # got accepted (idempotent sending); the entries keep the spec's shape.
    extra = "confirmedByDuplicateRejection"
    sms = component.definition.action("sendSms").output
    assert [p.name for p in sms.properties] == ["bulkId", "messages", extra]
    item = sms.properties[1].items
    assert item is not None and [p.name for p in item.properties or []] == [
        "messageId",
        "status",
        "to",
        "smsCount",
    ]
    wa = component.definition.action("sendWhatsappTextMessage").output
    assert [p.name for p in wa.properties] == ["to", "messageCount", "messageId", "status", extra]


def test_samples_match_output_schemas() -> None:
    for action in component.definition.actions:
        Draft202012Validator(component.output_schema(action.name)).validate(action.output.sample)


def test_checked_in_schemas_are_derived_from_connector_yaml() -> None:
    for name, schema in all_schemas(component.definition).items():
        path = ROOT / "schemas" / name
        assert path.exists(), f"{name} missing: run `infobip-connector schemas`"
        assert json.loads(path.read_text()) == schema, (
            f"{name} is stale: run `infobip-connector schemas`"
        )
    assert sorted(p.name for p in (ROOT / "schemas").glob("*.json")) == sorted(
        all_schemas(component.definition)
    )


def test_checked_in_reference_is_current() -> None:
    assert (ROOT / "docs" / "reference.md").read_text() == render_reference(component.definition)


@pytest.mark.parametrize("name", sorted(all_schemas(component.definition)))
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((ROOT / "schemas" / name).read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_connector_yaml_satisfies_the_meta_schema() -> None:
    meta = json.loads((ROOT / "schemas" / "connector.meta.schema.json").read_text())
    raw = yaml.safe_load((ROOT / "connector.yaml").read_text())
    assert list(Draft202012Validator(meta).iter_errors(raw)) == []


def test_packaged_definition_is_the_root_connector_yaml() -> None:
    assert load_definition(ROOT / "connector.yaml") == component.definition


@pytest.mark.parametrize(
    ("mutate", "named"),
    [
        (
            lambda d: d["actions"][0]["properties"][0].update(type="STRIN"),
            "actions[0](sendSms).properties[0](bulkId).type",
        ),
        (lambda d: d["actions"][1].pop("executor"), "actions[1](sendWhatsappTextMessage).executor"),
        (lambda d: d["actions"][0]["properties"][1].pop("items"), "properties[1](messages)"),
        (lambda d: d["actions"][0]["properties"][0].update(colour="red"), "colour"),
        (
            lambda d: d["connection"]["authorizations"][0]["header"].update(value="App"),
            "header.value",
        ),
    ],
)
def test_broken_definition_names_the_offending_key(mutate, named) -> None:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load((ROOT / "connector.yaml").read_text())
    mutate(raw)
    with pytest.raises(DefinitionError) as info:
        parse_definition(raw)
    assert named in str(info.value)


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "connector.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(DefinitionError, match="not valid YAML"):
        load_definition(bad)


def test_every_enumerated_field_has_labelled_options() -> None:
    from infobip_connector.definition.model import walk

    for action in component.definition.actions:
        for path, prop in walk(action.as_property()):
            if prop.controlType in ("SELECT", "MULTI_SELECT"):
                target = prop.items if prop.controlType == "MULTI_SELECT" else prop
                assert target is not None and target.options, path
                assert all(o.label for o in target.options), path


def _essential(props: list[Any] | None) -> list[str]:
    return [p.name for p in props or [] if p.presentation == "essential"]


def test_editors_are_told_which_properties_are_essential() -> None:
    """The YAML keeps the reference's order; ``presentation`` says what an editor shows first."""
    sms = component.definition.action("sendSms")
    assert _essential(sms.properties) == ["messages"]
    message = sms.properties[1].items
    assert message is not None
    assert _essential(message.properties) == ["destinations", "from", "text"]
    whatsapp = component.definition.action("sendWhatsappTextMessage")
    assert _essential(whatsapp.properties) == ["from", "to", "content"]


def test_every_input_property_of_every_action_is_placed() -> None:
    from infobip_connector.definition.model import walk

    for action in component.definition.actions:
        for path, prop in walk(action.as_property()):
            if path and path[-1] != "*":
                assert prop.presentation in ("essential", "additional"), (action.name, path)
                assert not (prop.required and prop.presentation == "additional"), path


@pytest.mark.parametrize(
    ("mutate", "named"),
    [
        (
            lambda d: d["actions"][0]["properties"][1]["items"]["properties"][0].pop(
                "presentation"
            ),
            "messages[*].callbackData",
        ),
        (
            lambda d: d["actions"][1]["properties"][0].update(presentation="additional"),
            "cannot be 'additional'",
        ),
        (lambda d: d["actions"][1]["properties"][0].update(presentation="hidden"), "presentation"),
        (lambda d: d["actions"][1]["properties"][0].update(suggestions="timeZones"), ""),
    ],
)
def test_presentation_is_checked_by_the_loader(mutate, named) -> None:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load((ROOT / "connector.yaml").read_text())
    mutate(raw)
    if not named:  # a STRING may name a suggestion list
        parse_definition(raw)
        return
    with pytest.raises(DefinitionError) as info:
        parse_definition(raw)
    assert named in str(info.value)


def test_input_schemas_carry_the_presentation_as_an_annotation() -> None:
    from infobip_connector.definition.model import walk
    from infobip_connector.definition.schemas import PRESENTATION_KEYWORD

    for action in component.definition.actions:
        schema = component.input_schema(action.name)
        for path, prop in walk(action.as_property()):
            if not path or path[-1] == "*":
                continue
            node = schema
            for part in path:
                node = node["items"] if part == "*" else node["properties"][part]
            assert node[PRESENTATION_KEYWORD] == prop.presentation, path
        output = json.dumps(component.output_schema(action.name))
        assert PRESENTATION_KEYWORD not in output
    meta = json.loads((ROOT / "schemas" / "connector.meta.schema.json").read_text())
    assert meta["$defs"]["Property"]["properties"]["presentation"]


def test_the_zone_field_offers_the_time_zone_list() -> None:
    message = component.definition.action("sendSms").properties[1].items
    assert message is not None
    send_at = message.child("sendAt")
    assert send_at is not None
    zone = send_at.child("zoneId")
    assert zone is not None and zone.suggestions == "timeZones"


def test_the_component_instance_whatever_is_imported_first() -> None:
    import subprocess
    import sys

    code = (
        "from infobip_connector import Component\n"
        "from infobip_connector import component\n"
        "assert isinstance(component, Component), type(component)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("declared", [{"type": "STRING"}, {"type": "INTEGER", "maxLength": 3}])
def test_digits_are_a_string_with_a_length_cap(declared: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="digits"):
        validate(Property, {"name": "code", "format": "digits", **declared})
