"""The input strategies draw every object anew, and ``assert_drawn_anew`` names where one
is drawn again."""

from __future__ import annotations

import re

import pytest
from hypothesis import strategies as st

from infobip_connector import component
from infobip_connector.definition.model import walk

from .drawn_anew import assert_drawn_anew, containers_in, named_places
from .input_field_draws import template_button
from .input_mutations import cases, schema_at
from .input_schema_draws import ACTIONS


@pytest.mark.parametrize("action", ACTIONS)
def test_every_drawn_case_is_made_of_objects_of_its_own(action: str) -> None:
    assert_drawn_anew(cases(action))


def test_every_drawn_template_button_is_a_dict_of_its_own() -> None:
    # Half the button types are the type alone: drawn a few at a time, a dict handed out
    # again would be seen at once, where whole inputs hold a button only now and then.
    action = "sendWhatsappTemplateMessage"
    schema = component.input_schema(action)
    places = [
        tuple(0 if part == "*" else part for part in path)
        for path, prop in walk(component.definition.action(action).as_property())
        if "templateButton" in prop.rules
    ]
    assert places
    for place in places:
        buttons = template_button(schema_at(schema, place))
        assert_drawn_anew(st.lists(buttons, min_size=3, max_size=3), examples=20)


def test_containers_are_named_by_the_paths_errors_use() -> None:
    value = {"m": [{"b": [{"t": "FLOW"}], "s": {1}, "u": ({"x": []},), "": {}, 1: []}]}
    assert sorted(named_places([parts]) for parts, _ in containers_in(value)) == sorted(
        [
            "the top",
            "m",
            "m[0]",
            "m[0].b",
            "m[0].b[0]",
            "m[0].s",
            "m[0].u[0]",
            "m[0].u[0].x",
            'm[0].""',
            "m[0].1 (a key of type int)",
        ]
    )


def test_an_object_drawn_again_is_named_at_each_of_its_places() -> None:
    button = {"type": "FLOW"}  # one dict for every draw: what st.just({...}) hands out
    twice = st.builds(
        lambda: {
            "messages": [{}, {}, {"buttons": [{}, button]}, *({} for _ in range(7)), {"b": button}]
        }
    )
    with pytest.raises(AssertionError) as failure:
        assert_drawn_anew(twice, examples=5)
    assert re.search(
        r"holds one object at messages\[2\]\.buttons\[1\], messages\[10\]\.b: "
        r"\{'type': 'FLOW'\}",
        str(failure.value),
    ), str(failure.value)

    calls = iter(range(1_000_000))  # the first draw holds it at a[0], every later one at b.c
    moved = st.integers().map(
        lambda _: {"a": [button]} if next(calls) == 0 else {"b": {"c": button}}
    )
    with pytest.raises(AssertionError) as failure:
        assert_drawn_anew(moved, examples=5)
    assert re.search(
        r"draw \d+ holds one object at b\.c, which draw 1 held at a\[0\]: \{'type': 'FLOW'\}",
        str(failure.value),
    ), str(failure.value)
