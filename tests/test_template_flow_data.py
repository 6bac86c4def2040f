"""A FLOW button's free-form ``data`` (an OBJECT with ``freeMembers``): sent exactly as given,
bounded in depth and size, and every bad value a typed error at its own path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infobip_connector.definition.model import Property
from infobip_connector.definition.open_shapes import FREE_MAX_DEPTH, FREE_MAX_JSON_CHARS
from infobip_connector.definition.schemas import property_schema

from .sandbox_support import conforms
from .template_support import SENDER, input_problems, sent_body

BUTTON = "messages[0].content.templateData.buttons[0]"
# Screen data as a flow's first screen reads it; the values are objects, as Infobip's
# description of ``data`` (additionalProperties: object) has them, with text and lists inside.
FLOW_DATA = {
    "customer": {"name": "Ana Marić", "tier": "gold", "tags": ["a", "b"]},
    "order": {"id": 7, "total": 12.5, "paid": False, "lines": [{"sku": "X-1", "qty": 2}]},
}


def _values(button: dict[str, Any]) -> dict[str, Any]:
    content = {
        "templateName": "flow_start",
        "language": "en",
        "templateData": {"body": {"placeholders": ["Ana"]}, "buttons": [button]},
    }
    return {
        "bulkId": "b-1",
        "messages": [{"from": SENDER, "to": "41793026727", "messageId": "m-1", "content": content}],
    }


def test_a_flow_button_with_data_is_sent_exactly() -> None:
    button = {"type": "FLOW", "flowToken": "tok-1", "data": FLOW_DATA}
    values = _values(button)
    sent = sent_body(values)
    assert sent == values
    conforms("whatsapp_template_request.json", sent)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("not an object", "must be an object"),
        (["a", "b"], "must be an object"),
        (42, "must be an object"),
    ],
)
def test_data_that_is_not_an_object_is_refused_at_its_path(data: Any, words: str) -> None:
    problems = input_problems(_values({"type": "FLOW", "data": data}))
    assert list(problems) == [f"{BUTTON}.data"]
    assert words in problems[f"{BUTTON}.data"]


def _nested(levels: int) -> dict[str, Any]:
    """An object whose members nest ``levels`` levels deep: {"k": {"k": ... {"k": 1}}}."""
    value: dict[str, Any] = {"k": 1}
    for _ in range(levels - 1):
        value = {"k": value}
    return value


def test_data_nested_too_deep_is_refused_where_it_goes_too_deep() -> None:
    at_limit = _values({"type": "FLOW", "data": _nested(FREE_MAX_DEPTH)})
    assert sent_body(at_limit)["messages"][0]["content"]["templateData"]["buttons"][0]["data"]
    problems = input_problems(_values({"type": "FLOW", "data": _nested(FREE_MAX_DEPTH + 1)}))
    where = f"{BUTTON}.data" + ".k" * FREE_MAX_DEPTH
    assert list(problems) == [where]
    assert f"deeper than {FREE_MAX_DEPTH} levels" in problems[where]


def test_a_deep_list_counts_as_deep() -> None:
    value: Any = [1]
    for _ in range(FREE_MAX_DEPTH):
        value = [value]
    problems = input_problems(_values({"type": "FLOW", "data": {"grid": {"rows": value}}}))
    (where,) = problems
    assert where.startswith(f"{BUTTON}.data.grid.rows[0]")


def test_data_over_the_size_bound_is_refused_at_data() -> None:
    data = {f"field{i}": {"v": "x" * 100} for i in range(FREE_MAX_JSON_CHARS // 100)}
    problems = input_problems(_values({"type": "FLOW", "data": data}))
    assert list(problems) == [f"{BUTTON}.data"]
    assert f"at most {FREE_MAX_JSON_CHARS:,}" in problems[f"{BUTTON}.data"]


def test_a_member_name_with_dots_and_brackets_is_named_as_given() -> None:
    # The problem's place is built from parts, so a name is never read as a path.
    data = {"a.b[0]": _nested(FREE_MAX_DEPTH)}
    problems = input_problems(_values({"type": "FLOW", "data": data}))
    (where,) = problems
    assert where.startswith(f"{BUTTON}.data.a.b[0].k")


def test_data_belongs_to_a_flow_button_only() -> None:
    problems = input_problems(_values({"type": "QUICK_REPLY", "parameter": "p", "data": {"a": {}}}))
    assert "does not belong to a button of type QUICK_REPLY" in problems[f"{BUTTON}.data"]


def test_an_empty_member_name_is_refused() -> None:
    problems = input_problems(_values({"type": "FLOW", "data": {"": {"a": 1}}}))
    assert list(problems) == [f'{BUTTON}.data.""']
    assert "empty name" in problems[f'{BUTTON}.data.""']


def test_values_of_a_declared_type_are_checked_per_member() -> None:
    prop = Property(
        name="callbackData",
        type="OBJECT",
        freeMembers=True,
        values=Property(type="STRING", maxLength=3),
    )
    schema = property_schema(prop)
    assert schema["additionalProperties"]["type"] == "string"
    assert schema["additionalProperties"]["maxLength"] == 3
    assert schema["x-maxDepth"] == FREE_MAX_DEPTH


_TEXT = Property(type="STRING")
_LIST = Property(type="ARRAY", items=_TEXT)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"type": "OBJECT"}, "needs 'properties'"),
        ({"type": "STRING", "freeMembers": True}, "'freeMembers' belongs"),
        ({"type": "OBJECT", "freeMembers": True, "values": _LIST}, "'values' is one of"),
        (
            {"type": "OBJECT", "properties": [Property(name="a", type="STRING")], "values": _TEXT},
            "'values' belongs",
        ),
        ({"type": "STRING", "controlType": "JSON"}, "'controlType: JSON' belongs"),
        ({"type": "OBJECT", "freeMembers": True, "controlType": "TEXT"}, "has 'controlType: JSON'"),
    ],
)
def test_the_model_keeps_free_members_to_objects(raw: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Property(name="p", **raw)


def test_the_meta_schema_declares_free_members() -> None:
    from infobip_connector.definition.model import meta_schema

    text = json.dumps(meta_schema())
    assert '"freeMembers"' in text and '"JSON"' in text


def test_whole_number_values_of_free_members_are_sent_as_integers() -> None:
    from infobip_connector.runtime.whole_numbers import WholeNumbers

    counts = Property(
        name="counts", type="OBJECT", freeMembers=True, values=Property(type="INTEGER")
    )
    root = Property(name="input", type="OBJECT", properties=[counts])
    values: dict[str, Any] = {"counts": {"a": 5.0, "b": 2}}
    WholeNumbers(root).normalise(values)
    assert values == {"counts": {"a": 5, "b": 2}}
    assert type(values["counts"]["a"]) is int
