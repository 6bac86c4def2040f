"""An ORDER_DETAILS payment's ``callbackData``, a ONE_OF of two forms as Infobip describes it:
a list of texts for PG_PAYU (``InteractiveOrderUPIPGPayUPaymentDetails``: up to 4, each 1 to
255 characters) and a map of texts for PG_RAZORPAY: each sent exactly as given, each refused
for the other type, bad items and values at their own paths; the sandbox agrees; the model,
the schema and the reference say the same."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from infobip_connector import component
from infobip_connector.definition.model import Property
from infobip_connector.definition.reference import _constraints, signature
from infobip_connector.definition.schemas import property_schema
from infobip_connector.definition.texts import too_long
from infobip_connector.runtime.whole_numbers import WholeNumbers
from infobip_connector.sandbox import Sandbox

from .conftest import FIXTURES
from .sandbox_support import KEY, client_for, conforms
from .template_support import input_problems, sent_body
from .test_template_order_details import ACTION_PATH, _values, _with

CALLBACK = f"{ACTION_PATH}.payment.callbackData"
PAYU_LIST = ["A-17", "whatsapp", "ração ✓", "😀" * 127]


def _payment(kind: str, callback_data: Any) -> dict[str, Any]:
    order = _with({"type": kind, "callbackData": callback_data})
    if not kind.startswith("PG_"):
        del order["order"]["orderDetailsType"]  # QUICK_PAY is for PG_PAYU and PG_RAZORPAY
    return _values(order)


@pytest.mark.parametrize(
    ("kind", "callback_data"),
    [
        ("PG_PAYU", PAYU_LIST),
        ("PG_RAZORPAY", {"orderRef": "A-17", "channel": "whatsapp"}),
        # Infobip gives the map's values no length limit, the list's items 255 characters.
        ("PG_RAZORPAY", {"orderRef": "x" * 1000}),
    ],
)
def test_each_payment_type_sends_its_form_exactly(kind: str, callback_data: Any) -> None:
    values = _payment(kind, callback_data)
    sent = sent_body(values)
    assert sent == values
    payment = sent["messages"][0]["content"]["templateData"]["buttons"][0]["action"]["payment"]
    assert payment["callbackData"] == callback_data
    conforms("whatsapp_template_request.json", sent)


@pytest.mark.parametrize(
    ("kind", "callback_data"), [("PG_PAYU", {"orderRef": "A-17"}), ("PG_RAZORPAY", ["A-17"])]
)
def test_the_other_types_form_is_not_what_infobip_takes(kind: str, callback_data: Any) -> None:
    # The slice discriminates by type: what the connector refuses below, Infobip refuses.
    with pytest.raises(jsonschema.ValidationError):
        conforms("whatsapp_template_request.json", _payment(kind, callback_data))


@pytest.mark.parametrize(
    ("kind", "callback_data", "words"),
    [
        ("PG_PAYU", {"orderRef": "A-17"}, "must be a list of texts for a PG_PAYU payment"),
        ("PG_RAZORPAY", ["A-17"], "must be an object of texts for a PG_RAZORPAY payment"),
    ],
)
def test_each_wrong_pairing_is_refused_at_the_member(
    kind: str, callback_data: Any, words: str
) -> None:
    problems = input_problems(_payment(kind, callback_data))
    assert list(problems) == [CALLBACK]
    assert words in problems[CALLBACK]


@pytest.mark.parametrize(
    ("callback_data", "path", "words"),
    [
        (["a", 5], "[1]", "must be text, not a whole number"),
        (["a", None], "[1]", "must be text, not null"),
        (["a", ["b"]], "[1]", "must be text, not a list"),
        (["a", "b", ""], "[2]", "must not be empty"),
        (["a", "b", "  "], "[2]", "must not be blank"),
        (["x" * 256], "[0]", "at most 255"),
        # 128 emoji: 128 characters, 256 UTF-16 code units as Infobip counts them.
        (["a", "😀" * 128], "[1]", "at most 255"),
        (["a", "b", "c", "d", "e"], "", "allows at most 4 items (got 5)"),
        # Neither form: the form the payment's type takes is what is said.
        (7, "", "must be a list of texts for a PG_PAYU payment"),
        ("A-17", "", "must be a list of texts for a PG_PAYU payment"),
    ],
)
def test_bad_items_of_the_list_are_refused_at_their_paths(
    callback_data: Any, path: str, words: str
) -> None:
    problems = input_problems(_payment("PG_PAYU", callback_data))
    assert list(problems) == [CALLBACK + path], problems
    assert words in problems[CALLBACK + path]


@pytest.mark.parametrize(
    ("callback_data", "words"),
    [({"orderRef": 5}, "must be text"), ({"orderRef": "  "}, "blank")],
)
def test_bad_values_of_the_map_are_refused_at_their_paths(callback_data: Any, words: str) -> None:
    problems = input_problems(_payment("PG_RAZORPAY", callback_data))
    assert list(problems) == [f"{CALLBACK}.orderRef"], problems
    assert words in problems[f"{CALLBACK}.orderRef"]


def test_empty_forms_are_not_given() -> None:
    # An empty list or map is left out as any empty field, so Infobip never receives one; a
    # list keeps its items' places and an empty value inside either form is refused at its
    # place (above, and test_free_member_empties.py): it is data, never dropped.
    for kind, empty in (("PG_PAYU", []), ("PG_RAZORPAY", {})):
        values = _payment(kind, empty)
        sent = sent_body(values)
        payment = sent["messages"][0]["content"]["templateData"]["buttons"][0]["action"]
        assert "callbackData" not in payment["payment"]


def _declared() -> Property:
    prop = component.definition.action("sendWhatsappTemplateMessage").as_property()
    for part in ("messages", 0, "content", "templateData", "buttons", 0, "action", "payment"):
        found = prop.child(part)
        assert found is not None
        prop = found
    member = prop.child("callbackData")
    assert member is not None
    return member


def _spec_forms() -> list[dict[str, Any]]:
    """callbackData of each payment variant of Infobip's request schema, in variant order."""
    slice_ = json.loads((FIXTURES / "openapi" / "whatsapp_template_request.json").read_text())
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "callbackData" in node.get("properties", {}) and "type" not in node["properties"]:
                found.append(node["properties"]["callbackData"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(slice_["properties"]["messages"]["items"]["properties"]["content"])
    return found


def test_the_schema_of_the_member_is_a_one_of_of_infobips_forms() -> None:
    schema = property_schema(_declared())
    assert schema["type"] == ["array", "object"]
    listed, mapped = schema["oneOf"]
    payu, razorpay = _spec_forms()
    assert listed["type"] == payu["type"] == "array"
    assert listed["maxItems"] == payu["maxItems"]
    for key in ("type", "minLength", "maxLength"):
        assert listed["items"][key] == payu["items"][key], key
    assert mapped["type"] == razorpay["type"] == "object"
    assert mapped["additionalProperties"]["type"] == razorpay["additionalProperties"]["type"]
    assert schema["x-maxDepth"] and schema["x-maxJsonLength"]
    # The checked-in schema is this one.
    text = FIXTURES.parent.parent / "schemas" / "sendWhatsappTemplateMessage.input.schema.json"
    assert json.dumps(schema["oneOf"]) in json.dumps(json.loads(text.read_text()))


def test_the_member_leads_to_the_item_or_value_of_its_form() -> None:
    member = _declared()
    assert member.type == "ONE_OF" and member.controlType == "JSON"
    item, value = member.child(2), member.child("orderRef")
    assert item is not None and item.type == "STRING" and item.maxLength == 255
    assert value is not None and value.type == "STRING"
    assert member.form(["a"]) is not None and member.form(["a"]) is not member.form({})
    assert member.form("a") is None
    assert signature(member) == "[STRING] \\| {STRING}"
    assert "a list of at most 4 STRING of 1 to 255 characters" in _constraints(member)


_TEXTS = Property(type="ARRAY", maxItems=4, items=Property(type="STRING"))
_MAP = Property(type="OBJECT", freeMembers=True, values=Property(type="STRING"))


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"type": "ONE_OF"}, "a ONE_OF needs 'forms'"),
        ({"type": "OBJECT", "freeMembers": True, "forms": [_TEXTS, _MAP]}, "'forms' belongs"),
        ({"type": "ONE_OF", "forms": [_TEXTS]}, "at least two"),
        ({"type": "ONE_OF", "forms": [_TEXTS, _TEXTS]}, "each of its own type"),
        ({"type": "ONE_OF", "forms": [_TEXTS, Property(type="STRING")]}, "a form is an ARRAY"),
        (
            {"type": "ONE_OF", "forms": [_MAP, Property(type="ARRAY", items=_MAP)]},
            "a form is an ARRAY",
        ),
        (
            {
                "type": "ONE_OF",
                "forms": [_MAP, Property(name="x", type="ARRAY", items=_TEXTS.items)],
            },
            "takes no 'name'",
        ),
        ({"type": "ONE_OF", "forms": [_TEXTS, _MAP], "controlType": "TEXT"}, "'controlType: JSON'"),
        ({"type": "ONE_OF", "forms": [_TEXTS, _MAP], "rules": ["noComma"]}, "takes no 'options'"),
        ({"type": "ONE_OF", "forms": [_TEXTS, _MAP], "maxItems": 4}, "limits are its forms'"),
    ],
)
def test_the_model_keeps_forms_to_lists_and_free_objects(raw: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Property(name="p", **raw)


def test_whole_numbers_of_either_form_are_sent_as_integers() -> None:
    counts = Property(
        name="counts",
        type="ONE_OF",
        forms=[
            Property(type="ARRAY", items=Property(type="INTEGER")),
            Property(type="OBJECT", freeMembers=True, values=Property(type="INTEGER")),
        ],
    )
    root = Property(name="input", type="OBJECT", properties=[counts])
    for given in ([5.0, 2], {"a": 5.0, "b": 2}):
        values: dict[str, Any] = {"counts": given}
        WholeNumbers(root).normalise(values)
        numbers = given if isinstance(given, list) else list(given.values())
        assert numbers == [5, 2] and all(type(n) is int for n in numbers)


# ------------------------------------------------------------------------------ sandbox


def _sandbox_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    for client in client_for(sandbox, "transport"):
        answer = client.post("/whatsapp/1/message/template", json=values)
    if answer.status_code == 200:
        return {}
    found: dict[str, list[str]] = answer.json()["requestError"]["serviceException"][
        "validationErrors"
    ]
    return found


PAYMENT = CALLBACK.rsplit(".", 1)[0]


@pytest.mark.parametrize(
    ("kind", "callback_data", "expected"),
    [
        ("PG_PAYU", PAYU_LIST, {}),
        ("PG_RAZORPAY", {"orderRef": "A-17"}, {}),
        ("PG_RAZORPAY", {"orderRef": "x" * 1000}, {}),
        ("PG_PAYU", {"orderRef": "A-17"}, {"": ["must be an array"]}),
        ("PG_RAZORPAY", ["A-17"], {"": ["must be an object"]}),
        ("PG_PAYU", ["a", 5], {"[1]": ["must be a string"]}),
        ("PG_PAYU", ["a", ""], {"[1]": ["size must be between 1 and 255"]}),
        ("PG_PAYU", ["😀" * 128], {"[0]": ["size must be between 1 and 255"]}),
        ("PG_PAYU", ["a"] * 5, {"": ["size must be between 0 and 4"]}),
        ("PG_PAYU", 7, {"": ["must be an array"]}),
        # The other form is refused whole, whatever is wrong inside it.
        ("PG_RAZORPAY", ["", "x"], {"": ["must be an object"]}),
        ("PG_PAYU", {"a": ""}, {"": ["must be an array"]}),
        ("UPI_LINK", ["a"], {"": ["unrecognized field"], "paymentLink": ["must not be null"]}),
    ],
)
def test_the_sandbox_takes_and_refuses_the_same(
    kind: str, callback_data: Any, expected: dict[str, list[str]]
) -> None:
    found = _sandbox_errors(_payment(kind, callback_data))
    # A path below the member starts with "[" (an item) or "" (the member); another member
    # of the payment is named as it is.
    assert found == {
        (f"{CALLBACK}{below}" if below[:1] in ("", "[") else f"{PAYMENT}.{below}"): messages
        for below, messages in expected.items()
    }


def test_the_bounds_of_free_members_hold_for_either_form() -> None:
    from infobip_connector.definition.open_shapes import FREE_MAX_DEPTH, FREE_MAX_JSON_CHARS
    from infobip_connector.runtime.free_values import open_shape_problems

    texts = Property(type="ARRAY", items=Property(type="STRING", maxLength=300))
    loose = Property(
        name="p", type="ONE_OF", forms=[texts, Property(type="OBJECT", freeMembers=True)]
    )
    many = ["x" * 300] * (FREE_MAX_JSON_CHARS // 300 + 1)
    assert [(where, m[:6]) for where, m in open_shape_problems(many, loose)] == [((), "is 20,")]
    assert open_shape_problems(["😀" * 151], loose) == [((0,), too_long(300, "😀" * 151))]
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(FREE_MAX_DEPTH):
        node["a"] = node = {}
    node["a"] = {"b": 1}
    [(where, message)] = open_shape_problems(deep, loose)
    assert where == ("a",) * FREE_MAX_DEPTH and "deeper than" in message
