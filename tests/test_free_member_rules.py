"""Objects with free members (a FLOW button's ``data``, Razorpay's ``callbackData``): the
member values Infobip's description allows, the text rules for every member name and every
text inside, whole numbers in 64 bits, sizes in UTF-16 code units, and every refusal at the
member's own path, for Python values as for JSON."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.definition.open_shapes import FREE_MAX_DEPTH, FREE_MAX_JSON_CHARS
from infobip_connector.definition.schemas import property_schema
from infobip_connector.errors import InputError
from infobip_connector.sandbox import Sandbox, Template
from infobip_connector.sandbox.templates import Button
from infobip_connector.transport.requestbody import encode_body

from .sandbox_support import KEY
from .template_support import SENDER, input_problems, sent_body
from .test_definition_mirrors_operations import (
    BODY_ACTIONS,
    _body_properties,
    _request_schema,
    _walk,
)
from .test_template_order_details import RAZORPAY_ORDER
from .test_template_order_details import _values as order_values

BUTTON = "messages[0].content.templateData.buttons[0]"
DATA = f"{BUTTON}.data"
CALLBACK = f"{BUTTON}.action.payment.callbackData"


def flow(data: Any) -> dict[str, Any]:
    content = {
        "templateName": "flow_start",
        "language": "en",
        "templateData": {
            "body": {"placeholders": ["Ana"]},
            "buttons": [{"type": "FLOW", "flowToken": "t", "data": data}],
        },
    }
    return {"messages": [{"from": SENDER, "to": "41793026727", "content": content}]}


def razorpay(callback_data: Any) -> dict[str, Any]:
    order = copy.deepcopy(RAZORPAY_ORDER)
    order["payment"]["callbackData"] = callback_data
    return order_values(order)


def sent_data(data: Any) -> Any:
    return sent_body(flow(data))["messages"][0]["content"]["templateData"]["buttons"][0]["data"]


# ------------------------------------------------------------ member values: objects


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("Ana", "must be an object, not text"),
        (7, "must be an object, not a whole number"),
        (5.0, "must be an object"),
        (1e300, "must be an object"),
        (True, "must be an object, not true or false"),
        (["a"], "must be an object, not a list"),
    ],
)
def test_a_flow_data_member_that_is_not_an_object_is_refused_at_its_path(
    value: Any, said: str
) -> None:
    problems = input_problems(flow({"customer": {"name": "Ana"}, "plan": value}))
    assert list(problems) == [f"{DATA}.plan"]
    assert problems[f"{DATA}.plan"].startswith(said)


def flow_client() -> httpx.Client:
    """A client of a sandbox whose sender has the ``flow_start`` template of ``flow``."""
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.add_template(
        SENDER, Template("flow_start", "en", "Hi {{1}}", buttons=(Button("FLOW", "Start"),))
    )
    return httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.infobip.com",
        headers={"Authorization": f"App {KEY}"},
    )


def test_the_sandbox_refuses_a_flow_data_member_that_is_not_an_object() -> None:
    with flow_client() as client:
        bad = client.post("/whatsapp/1/message/template", json=flow({"name": "Ana"}))
        assert bad.status_code == 400
        found = bad.json()["requestError"]["serviceException"]["validationErrors"]
        assert found == {f"{DATA}.name": ["must be an object"]}
        good = client.post("/whatsapp/1/message/template", json=flow({"c": {"name": "Ana"}}))
        assert good.status_code == 200


# ------------------------------------------------------------ member names


NAMES = [" ", "\u200b", "\n", "\t", "a\u0000", "\u202e", "\ufeff", "k\u2028", "k\u200b", "\x85"]


@pytest.mark.parametrize("name", NAMES)
def test_a_flow_data_member_name_follows_the_text_rules_at_every_depth(name: str) -> None:
    for data, where in [
        ({name: {"a": 1}}, f"{DATA}.{name}"),
        ({"a": {name: 1}}, f"{DATA}.a.{name}"),
        ({"a": {"b": [{name: "x"}]}}, f"{DATA}.a.b[0].{name}"),
    ]:
        problems = input_problems(flow(data))
        assert list(problems) == [where], data
        assert problems[where].startswith("has a name that ")


@pytest.mark.parametrize("name", NAMES)
def test_a_callback_data_member_name_follows_the_text_rules(name: str) -> None:
    problems = input_problems(razorpay({name: "x", "orderRef": "A-17"}))
    assert list(problems) == [f"{CALLBACK}.{name}"]
    assert problems[f"{CALLBACK}.{name}"].startswith("has a name that ")


def test_an_empty_name_is_told_at_its_member_at_every_level() -> None:
    said = "is a member with an empty name; every member needs a name"
    for data, where in [
        ({"": {"a": 1}}, '""'),
        ({"a": {"": 1}}, 'a.""'),
        ({"a": {"b": {"": 1, "c": 2}}}, 'a.b.""'),
    ]:
        assert input_problems(flow(data)) == {f"{DATA}.{where}": said}
    assert input_problems(razorpay({"": "x"})) == {f'{CALLBACK}.""': said}


def test_visible_names_of_any_script_are_taken() -> None:
    data = {"kupac": {"ime i prezime": "Ana Marić", "名前": "アナ", "a.b[0]": 1}}
    assert sent_data(data) == data


# ------------------------------------------------------------ texts inside data


@pytest.mark.parametrize(
    ("data", "where", "said"),
    [
        ({"a": {"v": "x\u0000"}}, "a.v", "must not contain control characters"),
        ({"a": {"v": "x\x7f"}}, "a.v", "must not contain control characters"),
        ({"a": {"v": " \u200b "}}, "a.v", "must not be blank"),
        ({"a": {"rows": ["ok", "\u2800"]}}, "a.rows[1]", "must not be blank"),
        ({"a": {"rows": ["ok", ""]}}, "a.rows[1]", "must not be blank"),
    ],
)
def test_texts_inside_flow_data_follow_the_text_rules(data: Any, where: str, said: str) -> None:
    problems = input_problems(flow(data))
    assert list(problems) == [f"{DATA}.{where}"]
    assert problems[f"{DATA}.{where}"].startswith(said)


def test_texts_inside_flow_data_may_hold_line_breaks_and_tabs() -> None:
    data = {"address": {"lines": "12 MG Road\nFloor 3\tBengaluru"}}
    assert sent_data(data) == data


# ------------------------------------------------------------ whole numbers, sizes


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 2**64, 10**30])
def test_a_whole_number_beyond_64_bits_is_refused_at_its_path(number: int) -> None:
    problems = input_problems(flow({"a": {"v": number}}))
    assert list(problems) == [f"{DATA}.a.v"]
    assert "64 bits" in problems[f"{DATA}.a.v"]


def test_a_too_large_whole_number_is_refused_before_sending_at_its_input_path() -> None:
    # Through execute (the request encoder's limit is wider): no "body." prefix.
    with pytest.raises(InputError) as caught:
        sent_body(flow({"a": {"v": 2**64}}))
    assert [e["path"] for e in caught.value.errors] == [f"{DATA}.a.v"]


def test_whole_numbers_within_64_bits_and_every_float_are_sent_as_written() -> None:
    data = {"a": {"big": 2**63 - 1, "low": -(2**63), "five": 5.0, "huge": 1e20, "tiny": 1e300}}
    sent = sent_data(data)
    assert sent == data
    assert [type(sent["a"][k]) for k in ("big", "five", "huge", "tiny")] == [
        int,
        float,
        float,
        float,
    ]


def test_the_size_of_data_counts_utf16_code_units() -> None:
    # 9,995 emoji are 9,995 code points but 19,990 code units: over the bound with the rest.
    data = {"a": {"v": "\U0001f600" * 9_995}}
    problems = input_problems(flow(data))
    assert list(problems) == [DATA]
    assert f"at most {FREE_MAX_JSON_CHARS:,}" in problems[DATA]
    assert sent_data({"a": {"v": "\U0001f600" * 9_000}})


# ------------------------------------------------------------ paths of what is not JSON


def test_a_lone_surrogate_in_a_nested_name_is_told_at_that_name() -> None:
    problems = input_problems(flow({"a": {"\udc00": 1}}))
    assert problems == {
        f"{DATA}.a.\\udc00": "is a member name that is not valid Unicode text (lone surrogate)"
    }


def test_a_lone_surrogate_in_a_callback_data_name_is_told_at_that_name() -> None:
    problems = input_problems(razorpay({"\ud800": "x"}))
    assert list(problems) == [f"{CALLBACK}.\\ud800"]
    assert "not valid Unicode" in problems[f"{CALLBACK}.\\ud800"]


def test_a_lone_surrogate_in_a_recipient_key_is_told_at_that_key() -> None:
    values = {"messages": [{"destinations": [{"to": "41793026727", "x\ud800": "1"}]}]}
    with pytest.raises(InputError) as caught:
        component.validate_input("sendSms", values)
    paths = [e["path"] for e in caught.value.errors]
    assert paths == ["messages[0].destinations[0].x\\ud800"]


def _nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"k": 1}
    for _ in range(levels - 1):
        value = {"k": value}
    return value


@pytest.mark.parametrize("levels", [FREE_MAX_DEPTH + 1, 27, 40, 500])
def test_data_nested_too_deep_is_told_as_its_own_limit_at_any_depth(levels: int) -> None:
    problems = input_problems(flow(_nested(levels)))
    where = DATA + ".k" * FREE_MAX_DEPTH
    assert problems == {where: f"is nested deeper than {FREE_MAX_DEPTH} levels below this object"}


@pytest.mark.parametrize("leaf", ["41793026727", 1, None, {}, []])
@pytest.mark.parametrize("levels", [28, 29, 33, 40])
def test_nesting_too_deep_elsewhere_is_told_at_its_path_without_advice_to_split(
    leaf: Any, levels: int
) -> None:
    # ``to``'s value is 5 levels down: 28 lists put their items 33 levels deep, one past
    # the input's limit, whatever they are; the first of them is named.
    deep: Any = leaf
    for _ in range(levels):
        deep = [deep]
    values = {"messages": [{"destinations": [{"to": deep}]}]}
    with pytest.raises(InputError) as caught:
        component.validate_input("sendSms", values)
    (error,) = caught.value.errors
    assert error["path"] == "messages[0].destinations[0].to" + "[0]" * 28
    assert error["message"] == "is nested deeper than 32 levels; no input goes that deep"


def test_a_request_body_key_with_a_lone_surrogate_is_named_by_path() -> None:
    with pytest.raises(InputError) as caught:
        encode_body({"a": [{"b\udc00": 1}]})
    assert caught.value.errors == [
        {
            "path": "body.a[0].b\\udc00",
            "message": "an object key that is not valid UTF-8 (a lone surrogate)",
        }
    ]


def test_a_lone_surrogate_in_a_name_of_a_list_item_in_data_is_told_at_that_name() -> None:
    problems = input_problems(flow({"a": {"rows": [{"ok": "1"}, {"x\udc00": "1"}]}}))
    said = "is a member name that is not valid Unicode text (lone surrogate)"
    assert problems == {f"{DATA}.a.rows[1].x\\udc00": said}


@pytest.mark.parametrize("action", BODY_ACTIONS)
def test_the_values_of_every_free_object_take_the_json_type_of_the_spec(action: str) -> None:
    # Where the spec types the members of an object whose names the sender chooses
    # (additionalProperties), the derived schema gives them the same JSON type: a FLOW
    # button's data members are objects, a Razorpay callbackData's are strings.
    spec: dict[str, set[str]] = {}
    for where, sub in _walk(_request_schema(action)):
        members = sub.get("additionalProperties")
        if isinstance(members, dict) and "type" in members:
            spec.setdefault(where, set()).add(members["type"])
    declared: dict[str, set[str]] = {}
    for where, prop in _body_properties(action).items():
        for form in prop.forms or [prop]:
            if form.freeMembers:
                members = property_schema(form)["additionalProperties"]
                given = members.get("type", "any") if isinstance(members, dict) else "any"
                declared.setdefault(where, set()).add(given)
    assert declared == spec
