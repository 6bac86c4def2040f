"""``component.options`` when there is nothing to list: a property without options from
Infobip, and a dependency Infobip's answer shows names nothing (an unknown template)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from infobip_connector import InputError, component
from infobip_connector.definition.model import format_path, walk
from infobip_connector.runtime.options import dynamic_properties
from infobip_connector.sandbox import Sandbox

KEY = "options-key-3f9a-8d21"
SENDER = "447860099299"
ACTION = "sendWhatsappTemplateMessage"
LANGUAGE = "messages[{}].content.language"


def _without_options() -> list[tuple[str, str, bool]]:
    """``(action, path, fixed options?)``: one property of each action that has no
    ``optionsFrom``, and every property with fixed ``options``."""
    found = []
    for action in component.definition.actions:
        places = [
            (format_path(path).replace("[*]", "[0]"), prop)
            for path, prop in walk(action.as_property())
            if path and prop.optionsFrom is None
        ]
        found.append((action.name, places[0][0], bool(places[0][1].options)))
        found += [(action.name, path, True) for path, prop in places if prop.options][:1]
    return found


@pytest.mark.parametrize(("action", "path", "fixed"), _without_options())
def test_asking_for_options_a_property_does_not_have_says_where_they_are(
    action: str, path: str, fixed: bool
) -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    with pytest.raises(InputError) as caught:
        component.options(action, path, {}, {"token": KEY}, transport=sandbox.transport())
    (problem,) = caught.value.errors
    message = problem["message"]
    assert problem["path"] == "property" and "(none)" not in message
    assert path in message
    if fixed:
        assert "fixed in the definition" in message
    # The action's own properties with options, or, when it has none, those of the others.
    here = dynamic_properties(component.definition.action(action))
    named = here or [p for a in component.definition.actions for p in dynamic_properties(a)]
    assert named and all(p in message for p in named)
    assert sandbox.requests == []


def _message(name: str) -> dict[str, Any]:
    return {"from": SENDER, "to": "41793026727", "content": {"templateName": name}}


@pytest.mark.parametrize("index", [0, 2])
@pytest.mark.parametrize("name", ["no_such_template", "pending_one"])
def test_the_languages_of_a_template_the_sender_lacks_are_an_error_at_its_name(
    index: int, name: str
) -> None:
    answer = {
        "templates": [
            {"name": "welcome", "language": "en", "status": "APPROVED"},
            {"name": "pending_one", "language": "en", "status": "PENDING"},
        ]
    }
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=answer))
    values = {"messages": [_message("welcome")] * index + [_message(name)]}
    with pytest.raises(InputError) as caught:
        component.options(
            ACTION, LANGUAGE.format(index), values, {"token": KEY}, transport=transport
        )
    (problem,) = caught.value.errors
    assert problem["path"] == f"messages[{index}].content.templateName"
    assert name in problem["message"] and SENDER in problem["message"]


def test_the_languages_of_a_known_template_are_still_listed() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    values = {"messages": [_message("welcome")]}
    options = component.options(
        ACTION, LANGUAGE.format(0), values, {"token": KEY}, transport=sandbox.transport()
    )
    assert [o["value"] for o in options] == ["de", "en"]
