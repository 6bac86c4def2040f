"""Triggers are declared in connector.yaml like actions, and everything derived covers them."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from infobip_connector import InputError, component
from infobip_connector.definition.model import DefinitionError, parse_definition

from .conftest import ROOT


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "connector.yaml").read_text())
    return data


def test_the_triggers_and_how_their_events_arrive() -> None:
    declared = {t.name: t.types for t in component.definition.triggers}
    assert declared == {
        "newInboundSms": ["WEBHOOK", "POLLING"],
        "smsDeliveryReport": ["WEBHOOK", "POLLING"],
        "newInboundWhatsappMessage": ["WEBHOOK"],
        "whatsappDeliveryReport": ["WEBHOOK"],
        "whatsappSeenReport": ["WEBHOOK"],
    }
    assert component.trigger_names == list(declared)
    report = component.definition.trigger("smsDeliveryReport")
    assert report.webhook is not None and report.polling is not None
    assert report.webhook.contentTypes == ["application/json", "application/xml"]
    assert report.polling.action == "getSmsDeliveryReports"


@pytest.mark.parametrize("trigger", component.trigger_names)
def test_each_sample_event_matches_its_event_schema(trigger: str) -> None:
    schema = component.event_schema(trigger)
    assert schema["$id"].endswith(f".{trigger}.event")
    Draft202012Validator(schema).validate(component.definition.trigger(trigger).output.sample)
    checked_in = json.loads((ROOT / "schemas" / f"{trigger}.event.schema.json").read_text())
    assert checked_in == schema


def test_an_unknown_trigger_is_an_input_error_listing_the_triggers() -> None:
    for call in (component.event_schema, component.trigger_runtime):
        with pytest.raises(InputError) as caught:
            call("newInboundFax")
        (problem,) = caught.value.errors
        assert problem["path"] == "trigger"
        assert "newInboundSms" in problem["message"]


def test_the_reference_documents_each_trigger() -> None:
    reference = (ROOT / "docs" / "reference.md").read_text()
    assert "## Triggers" in reference
    for trigger in component.definition.triggers:
        assert f"### Trigger: {trigger.title} (`{trigger.name}`)" in reference
    assert (
        "`receive-outbound-sms-message-reports-v3` body (`application/json`, `application/xml`)"
        in reference
    )


def _trigger(data: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in data["triggers"] if t["name"] == name)
    return found


@pytest.mark.parametrize(
    ("mutate", "named"),
    [
        (lambda d: _trigger(d, "newInboundSms").pop("polling"), "exactly when 'types' has POLLING"),
        (lambda d: _trigger(d, "whatsappSeenReport").update(types=["POLLING"]), "'webhook' block"),
        (
            lambda d: _trigger(d, "newInboundSms").update(types=["WEBHOOK", "WEBHOOK", "POLLING"]),
            "types",
        ),
        (
            lambda d: _trigger(d, "newInboundSms")["polling"].update(action="getSmsLogs"),
            "not an action of kind 'consume'",
        ),
        (
            lambda d: _trigger(d, "newInboundSms")["polling"].update(action="getNothing"),
            "not an action of kind 'consume'",
        ),
        (
            lambda d: _trigger(d, "smsDeliveryReport")["webhook"].update(contentTypes=["text/csv"]),
            "contentTypes",
        ),
        (
            lambda d: d["triggers"].append(_trigger(d, "newInboundSms")),
            "trigger names must be unique",
        ),
        (lambda d: _trigger(d, "newInboundSms").pop("output"), "output"),
    ],
)
def test_a_broken_trigger_is_named(mutate, named) -> None:  # type: ignore[no-untyped-def]
    raw = _raw()
    mutate(raw)
    with pytest.raises(DefinitionError) as info:
        parse_definition(raw)
    assert named in str(info.value)


def test_a_definition_without_triggers_still_loads() -> None:
    raw = _raw()
    del raw["triggers"]
    assert parse_definition(raw).triggers == []
