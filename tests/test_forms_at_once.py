"""Where a member's allowed form depends on another member (a payment's, a button's or a
header's ``type``, ``catalogId``, ``mnc``, ``zoneId``, a header given), the form problem is
told in the same round as the problems the schema finds inside it, or instead of them when
they are moot (inside a member that does not belong, or a value of the other form); and a
form decided by a member that is itself wrong is not judged at all. The sandbox refuses the
other form of ``callbackData`` whole, as the connector does."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.errors import InputError
from infobip_connector.sandbox import Sandbox

from .operations import OPERATIONS
from .sandbox_support import KEY
from .template_support import input_problems
from .test_date_times import NOW
from .test_template_order_details import BRAZIL_ORDER, RAZORPAY_ORDER, _values

DATA = "messages[0].content.templateData"
ACTION = f"{DATA}.buttons[0].action"


def _order(change: Any) -> dict[str, Any]:
    order = copy.deepcopy(RAZORPAY_ORDER if change.get("base") != "brazil" else BRAZIL_ORDER)
    change.pop("base", None)
    for path, value in change.items():
        *steps, last = path.split(".")
        node: Any = order
        for step in steps:
            node = node[int(step)] if step.isdigit() else node[step]
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    return _values(order)


def _template(**data: Any) -> dict[str, Any]:
    values = _values(RAZORPAY_ORDER)
    values["messages"][0]["content"]["templateData"].update(data)
    return values


BAD_ITEM = {"order.items.0.name": ""}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # The other form of callbackData: what is wrong inside it is moot.
        (
            _order({"payment.callbackData": ["", "x"]}),
            {f"{ACTION}.payment.callbackData": "must be an object of texts for a PG_RAZORPAY"},
        ),
        (
            _order({"payment.type": "PG_PAYU", "payment.callbackData": {"a": " ", "b": 5}}),
            {f"{ACTION}.payment.callbackData": "must be a list of texts for a PG_PAYU"},
        ),
        # paymentConfiguration, QUICK_PAY and an item's origin, beside a bad item.
        (
            _order({"paymentConfiguration": None, **BAD_ITEM}),
            {
                f"{ACTION}.paymentConfiguration": "is required for a PG_RAZORPAY payment",
                f"{ACTION}.order.items[0].name": "is required",
            },
        ),
        (
            _order({"base": "brazil", "paymentConfiguration": "x", **BAD_ITEM}),
            {
                f"{ACTION}.paymentConfiguration": "must be left out for a BRAZIL_PAYMENTS",
                f"{ACTION}.order.items[0].name": "is required",
            },
        ),
        (
            _order({"base": "brazil", "order.orderDetailsType": "QUICK_PAY", **BAD_ITEM}),
            {
                f"{ACTION}.order.orderDetailsType": "QUICK_PAY applies to PG_PAYU",
                f"{ACTION}.order.items[0].name": "is required",
            },
        ),
        (
            _order({"order.catalogId": None, "order.items.0.originCountry": None, **BAD_ITEM}),
            {
                f"{ACTION}.order.items[0].originCountry": "is required when the order has no",
                f"{ACTION}.order.items[0].name": "is required",
            },
        ),
        # A payment's members, beside a bad one.
        (
            _order({"payment.code": "c", "payment.beneficiary.postalCode": "1"}),
            {
                f"{ACTION}.payment.code": "does not belong to a payment of type PG_RAZORPAY",
                f"{ACTION}.payment.beneficiary.postalCode": "",
            },
        ),
        # A header's and a button's members: a member that does not belong is told so, not
        # what is wrong with its value.
        (
            _template(header={"type": "TEXT", "placeholder": "x", "mediaUrl": "ftp://x"}),
            {f"{DATA}.header.mediaUrl": "does not belong to a header of type TEXT"},
        ),
        (
            _template(buttons=[{"type": "URL", "data": 5}]),
            {
                f"{DATA}.buttons[0].data": "does not belong to a button of type URL",
                f"{DATA}.buttons[0].parameter": "is required when type is URL",
            },
        ),
        (
            _template(buttons=[{"type": "URL", "parameter": p} for p in ("a", "b", "c" * 3000)]),
            {
                f"{DATA}.buttons": "has 3 URL buttons",
                f"{DATA}.buttons[2].parameter": "at most 2000",
            },
        ),
        # A body placeholder's limit with a header, beside a bad header.
        (
            _template(
                header={"type": "TEXT", "placeholder": "x\ny"}, body={"placeholders": ["a" * 1100]}
            ),
            {
                f"{DATA}.body.placeholders[0]": "at most 1024",
                f"{DATA}.header.placeholder": "line break",
            },
        ),
        # A type the schema refuses decides nothing.
        (
            _order({"payment.type": "NOPE", "payment.callbackData": ["x"]}),
            {f"{ACTION}.payment.type": "must be one of"},
        ),
    ],
)
def test_a_form_problem_comes_with_the_problems_inside(
    values: dict[str, Any], expected: dict[str, str]
) -> None:
    problems = input_problems(values)
    assert set(problems) == set(expected), problems
    for path, words in expected.items():
        assert words in problems[path], problems


def _refused(action: str, change: dict[str, Any]) -> dict[str, str]:
    values = {**copy.deepcopy(OPERATIONS[action].sample), **change}
    with pytest.raises(InputError) as caught:
        component.validate_input(action, values, now=NOW)
    return {e["path"]: e["message"] for e in caught.value.errors}


def test_an_actions_own_rules_come_with_the_problems_of_its_inputs() -> None:
    problems = _refused("getSmsLogs", {"mnc": "01", "limit": -5})
    assert set(problems) == {"mcc", "limit"}
    assert "mobile network code" in problems["mcc"]


def test_a_send_at_zone_comes_with_a_bad_date_time() -> None:
    send_at = {"dateTime": "soon", "zoneId": "Mars/Olympus"}
    message = {**OPERATIONS["sendSms"].sample["messages"][0], "sendAt": send_at}
    problems = _refused("sendSms", {"messages": [message]})
    assert set(problems) == {"messages[0].sendAt.dateTime", "messages[0].sendAt.zoneId"}
    assert "not a known time zone" in problems["messages[0].sendAt.zoneId"]


def test_a_delivery_window_end_comes_with_a_bad_hour() -> None:
    window = {"days": ["MONDAY"], "from": {"hour": 25, "minute": 0}}
    message = {**OPERATIONS["sendSms"].sample["messages"][0], "deliveryTimeWindow": window}
    problems = _refused("sendSms", {"messages": [message]})
    where = "messages[0].deliveryTimeWindow"
    assert set(problems) == {f"{where}.from.hour", f"{where}.to"}


def test_preview_url_comes_with_a_bad_text() -> None:
    content = {"text": "x" * 5000, "previewUrl": True}
    problems = _refused("sendWhatsappTextMessage", {"content": content})
    assert set(problems) == {"content.text", "content.previewUrl"}


GARBAGE = [5, "", "x", [], {}, [5], {"type": 5}, None, True]


@pytest.mark.parametrize("garbage", GARBAGE, ids=repr)
@pytest.mark.parametrize(
    "member",
    [
        "payment",
        "payment.type",
        "payment.callbackData",
        "payment.payments",
        "order",
        "order.items",
        "order.items.0",
        "order.items.0.amount",
        "order.catalogId",
        "totalAmount",
    ],
)
def test_form_rules_never_crash_on_what_the_schema_refuses(member: str, garbage: Any) -> None:
    for base in (RAZORPAY_ORDER, BRAZIL_ORDER):
        order = copy.deepcopy(base)
        *steps, last = member.split(".")
        node: Any = order
        for step in steps:
            node = node[int(step)] if step.isdigit() else node[step]
        node[int(last) if last.isdigit() else last] = garbage
        try:
            component.validate_input("sendWhatsappTemplateMessage", _values(order))
        except InputError as caught:
            assert all(e["message"] for e in caught.errors)


def test_the_sandbox_refuses_the_other_form_whole() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    values = _order({"payment.callbackData": ["", "x"]})
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.infobip.com",
        headers={"Authorization": f"App {KEY}"},
    ) as client:
        answer = client.post("/whatsapp/1/message/template", json=values)
    found = answer.json()["requestError"]["serviceException"]["validationErrors"]
    assert found == {f"{ACTION}.payment.callbackData": ["must be an object"]}
