"""The plain checks (``runtime/plain_checks.py``) give exactly what the generic path gives.

A plain input (``plain_copy``) is checked on its copy and settled there only when nothing is
wrong; anything else goes the generic way (prune, schema, ``checks.apply``). Every input,
drawn for every action or written here at the edges of each check, must come out of
``ActionRuntime.validate`` the same either way: the same values in the same order, the same
IDs drawn or derived, or the same error; and the caller's input is never changed.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infobip_connector import InputError, component
from infobip_connector.runtime import checks, plain_checks, plain_copy
from infobip_connector.runtime.action_runtime import ActionRuntime
from infobip_connector.runtime.check_plan import Plan

from .input_mutations import cases
from .input_schema_draws import ACTIONS, NOW

# The actions with plain checks: all but those whose empty filters are told from the input.
PLAIN_ACTIONS = [name for name in ACTIONS if component.runtime(name)._plain is not None]

_DRAWN = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class _Ids:
    """Stands in for ``check_ids.new_ids``: numbered IDs, the same series in both runs."""

    def __init__(self) -> None:
        self.numbers = itertools.count()

    def __call__(self, count: int) -> list[str]:
        return [f"drawn-{next(self.numbers)}" for _ in range(count)]


def _outcome(
    runtime: ActionRuntime, values: Any, plain: bool, **options: Any
) -> tuple[str, Any, list[str], bool]:
    """(``"values"`` and the checked values as JSON text, or ``"error"`` and the errors; the
    IDs derived; whether the plain checks settled the input) for one path."""
    ids = _Ids()
    given = _snapshot(values)
    derived: list[str] = []
    saved = (runtime._plain, plain_checks.new_ids, checks.new_ids)
    settled = []
    if plain and runtime._plain is not None:
        inner = runtime._plain

        class _Spy:
            def checked(self, *args: Any) -> Any:
                result = inner.checked(*args)
                settled.append(result is not None)
                return result

        runtime._plain = _Spy()  # type: ignore[assignment]
    else:
        runtime._plain = None
    plain_checks.new_ids = ids
    checks.new_ids = ids
    try:
        out = runtime.validate(values, NOW, derived=derived, **options)
        result: tuple[str, Any] = ("values", json.dumps(out, ensure_ascii=False))
    except InputError as exc:
        result = ("error", exc.errors)
    finally:
        runtime._plain = saved[0]
        plain_checks.new_ids = saved[1]
        checks.new_ids = saved[2]
    assert _snapshot(values) == given, "the caller's input was changed"
    return (*result, derived, any(settled))


def _snapshot(values: Any) -> str | None:
    """``values`` as text, any other object by its identity; None if too deep to write."""
    try:
        return json.dumps(values, default=lambda other: ["object", id(other)])
    except (RecursionError, ValueError):
        return None


def _same_both_ways(runtime: ActionRuntime, values: Any, **options: Any) -> bool:
    """Assert both paths agree on ``values``; whether the plain checks settled it."""
    plain = _outcome(runtime, values, True, **options)
    generic = _outcome(runtime, values, False, **options)
    assert plain[:3] == generic[:3]
    return plain[3]


_OPTIONS = st.fixed_dictionaries(
    {
        "phone_check": st.sampled_from(["valid", "possible"]),
        "local": st.booleans(),
        "idempotency_key": st.sampled_from([None, "order-7"]),
    }
)


@pytest.mark.parametrize("action", PLAIN_ACTIONS)
def test_drawn_inputs_and_their_mutations_come_out_the_same_both_ways(action: str) -> None:
    runtime = component.runtime(action)
    tried: list[bool] = []

    @_DRAWN
    @given(case=cases(action), options=_OPTIONS)
    def check(case: Any, options: dict[str, Any]) -> None:
        valid, _, _, invalid, _ = case
        for values in (valid, invalid):
            _same_both_ways(runtime, values, **options)
            # Drawn inputs leave most members empty (None), which is never plain: the same
            # without them, as a person would write it, often is.
            tried.append(_same_both_ways(runtime, _given(values), **options))

    check()
    # Not a vacuous comparison.
    assert sum(tried) >= 10, f"only {sum(tried)} drawn inputs of {action} were settled plainly"


def _given(value: Any) -> Any:
    """``value`` without the members and items left empty (None, "", [], {}), deepest first."""
    if type(value) is dict:
        kept = {key: _given(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if not _empty(item)}
    if type(value) is list:
        return [item for item in map(_given, value) if not _empty(item)]
    return value


def _empty(value: Any) -> bool:
    return value is None or (type(value) in (str, list, dict) and not value)


def _sms(**message: Any) -> dict[str, Any]:
    destinations = message.pop("destinations", [{"to": "41793026727", "messageId": "m-1"}])
    return {"bulkId": "b-1", "messages": [{"destinations": destinations, "text": "Hi", **message}]}


def _many(count: int, **destination: Any) -> dict[str, Any]:
    return _sms(
        destinations=[
            {"to": f"4179302{i:04d}", "messageId": f"m-{i}", **destination} for i in range(count)
        ]
    )


_nine = _many(9)["messages"][0]["destinations"]
_WINDOW = {"days": ["MONDAY"], "from": {"hour": 8, "minute": 0}, "to": {"hour": 9, "minute": 0}}
_EDGES: list[tuple[str, dict[str, Any]]] = [
    ("the benchmark's send", _sms(**{"from": "InfoSMS"})),
    ("no IDs given", {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]}),
    (
        "some IDs given",
        _sms(destinations=[{"to": "41793026727"}, {"to": "41793026728", "messageId": "x"}]),
    ),
    (
        "a number written with spaces",
        _sms(destinations=[{"to": "+41 79 302 67 27", "messageId": "a"}]),
    ),
    ("a number with a 00 prefix", _sms(destinations=[{"to": "0041793026727", "messageId": "a"}])),
    ("a number that is no number", _sms(destinations=[{"to": "123", "messageId": "a"}])),
    ("a number of letters", _sms(destinations=[{"to": "call-me", "messageId": "a"}])),
    ("a number past the schema's pattern", _sms(destinations=[{"to": "4" * 40, "messageId": "a"}])),
    ("a sender of digits", _sms(**{"from": "+41 79 302 67 27"})),
    ("a sender too long", _sms(**{"from": "A" * 12})),
    ("a sender of 11 letters", _sms(**{"from": "A" * 11})),
    (
        "a repeated messageId",
        _sms(
            destinations=[
                {"to": "41793026727", "messageId": "a"},
                {"to": "41793026728", "messageId": "a"},
            ]
        ),
    ),
    ("a messageId with a comma", _sms(destinations=[{"to": "41793026727", "messageId": "a,b"}])),
    ("a bulkId with a comma", {**_sms(), "bulkId": "b,1"}),
    (
        "a messageId of 100 characters",
        _sms(destinations=[{"to": "41793026727", "messageId": "m" * 100}]),
    ),
    (
        "a messageId of 101 characters",
        _sms(destinations=[{"to": "41793026727", "messageId": "m" * 101}]),
    ),
    (
        "a messageId of 100 astral characters",
        _sms(destinations=[{"to": "41793026727", "messageId": "😀" * 50}]),
    ),
    ("a bulkId of 51 astral characters", {**_sms(), "bulkId": "😀" * 51}),
    ("a text of non-ASCII characters", _sms(text="Grüezi 👋")),
    ("a campaign ID with a comma", _sms(campaignReferenceId="a,b")),
    ("a campaign ID within its limit", _sms(campaignReferenceId="c" * 255)),
    ("a campaign ID past its limit", _sms(campaignReferenceId="c" * 256)),
    ("a title past its limit", _sms(regional={"southKorea": {"title": "t" * 67}})),
    ("a title of astral characters", _sms(regional={"southKorea": {"title": "😀" * 33}})),
    ("a title of 34 astral characters", _sms(regional={"southKorea": {"title": "😀" * 34}})),
    ("a notifyUrl", _sms(notifyUrl="https://example.com/reports")),
    ("a loopback notifyUrl", _sms(notifyUrl="http://127.0.0.1:8080/reports")),
    ("a notifyUrl of no URL", _sms(notifyUrl="reports")),
    ("a sendAt in the future", _sms(sendAt="2026-03-21T10:00:00Z")),
    ("a sendAt in the past", _sms(sendAt="2026-03-19T10:00:00Z")),
    ("a sendAt with a zone", _sms(sendAt="2026-03-21T10:00:00[Europe/Zagreb]")),
    ("a delivery time window", _sms(deliveryTimeWindow=_WINDOW)),
    ("a window too short", _sms(deliveryTimeWindow={**_WINDOW, "to": {"hour": 8, "minute": 30}})),
    ("a member the schema does not know", _sms(colour="red")),
    ("a whole number", _sms(validityPeriod=720)),
    ("a whole number past the schema", _sms(validityPeriod=10**9)),
    ("a text of the wrong type", _sms(text=7)),
    ("a message of the wrong type", {"bulkId": "b", "messages": ["Hi"]}),
    ("eight recipients", _many(8)),
    ("seven recipients", _many(7)),
    (
        "ten recipients, one ID repeated",
        _sms(destinations=[*_nine, {**_nine[0], "to": "41793026727"}]),
    ),
    ("nothing plain: an empty text", _sms(text="")),
    ("nothing plain: a float", _sms(validityPeriod=1.0)),
]


@pytest.mark.parametrize(("_what", "values"), _EDGES, ids=[what for what, _ in _EDGES])
@pytest.mark.parametrize("key", [None, "order-7"])
@pytest.mark.parametrize("phone_check", ["valid", "possible"])
def test_send_sms_at_the_edges_of_each_check_comes_out_the_same_both_ways(
    _what: str, values: dict[str, Any], key: str | None, phone_check: str
) -> None:
    _same_both_ways(
        component.runtime("sendSms"), values, idempotency_key=key, phone_check=phone_check
    )


_WHATSAPP = {
    "from": "447860099299",
    "to": "41793026727",
    "messageId": "w-1",
    "content": {"text": "Hi"},
}
_TEMPLATE: dict[str, Any] = {
    "bulkId": "t-1",
    "messages": [
        {
            "from": "447860099299",
            "to": "41793026727",
            "content": {
                "templateName": "welcome",
                "templateData": {"body": {"placeholders": ["Ana"]}},
                "language": "en",
            },
        }
    ],
}


def _buttons(*buttons: dict[str, Any]) -> dict[str, Any]:
    message = _TEMPLATE["messages"][0]
    data = {"body": {"placeholders": ["Ana"]}, "buttons": list(buttons)}
    content = {**message["content"], "templateData": data}
    return {**_TEMPLATE, "messages": [{**message, "content": content}]}


def _without_data() -> dict[str, Any]:
    message = _TEMPLATE["messages"][0]
    content = {"templateName": "welcome", "language": "en"}
    return {**_TEMPLATE, "messages": [{**message, "content": content}]}


_FLOW = {"type": "FLOW", "flowToken": "tok-1"}


@pytest.mark.parametrize(
    ("action", "values"),
    [
        (
            "sendWhatsappTemplateMessage",
            _buttons({**_FLOW, "data": {"customer": {"name": "Ana", "tags": ["a"]}}}),
        ),
        ("sendWhatsappTemplateMessage", _buttons({**_FLOW, "data": {"customer": {"": "Ana"}}})),
        # Past the bound of free data as compact JSON (FREE_MAX_JSON_CHARS, 20,000).
        ("sendWhatsappTemplateMessage", _buttons({**_FLOW, "data": {"c": {"n": "x" * 19_980}}})),
        ("sendWhatsappTemplateMessage", _buttons({**_FLOW, "data": {"c": {"n": "x" * 20_000}}})),
        ("sendWhatsappTemplateMessage", _buttons({"type": "QUICK_REPLY", "parameter": "q" * 128})),
        ("sendWhatsappTemplateMessage", _buttons({"type": "QUICK_REPLY", "parameter": "q" * 129})),
        ("sendWhatsappTemplateMessage", _buttons(*[{"type": "URL", "parameter": "u"}] * 2)),
        ("sendWhatsappTemplateMessage", _buttons(*[{"type": "URL", "parameter": "u"}] * 3)),
        ("sendWhatsappTextMessage", _WHATSAPP),
        ("sendWhatsappTextMessage", {**_WHATSAPP, "to": "+41 79 302 67 27"}),
        ("sendWhatsappTextMessage", {**_WHATSAPP, "content": {"text": "Hi", "previewUrl": True}}),
        (
            "sendWhatsappTextMessage",
            {**_WHATSAPP, "content": {"text": "https://x.io", "previewUrl": True}},
        ),
        ("sendWhatsappTemplateMessage", _TEMPLATE),
        ("sendWhatsappTemplateMessage", _without_data()),
    ],
)
def test_whatsapp_sends_come_out_the_same_both_ways(action: str, values: dict[str, Any]) -> None:
    _same_both_ways(component.runtime(action), values)
    _same_both_ways(component.runtime(action), values, idempotency_key="order-7")


def test_the_usual_single_message_is_settled_by_the_plain_checks() -> None:
    # Else the comparisons above would hold however the plain checks were written.
    assert _same_both_ways(component.runtime("sendSms"), _EDGES[0][1])
    assert _same_both_ways(component.runtime("sendSms"), _EDGES[1][1])
    assert _same_both_ways(component.runtime("sendWhatsappTextMessage"), _WHATSAPP)
    assert _same_both_ways(component.runtime("sendWhatsappTemplateMessage"), _TEMPLATE)


@pytest.mark.parametrize("what", ["a bad number", "a repeated ID", "an ID to derive"])
def test_an_input_with_a_problem_or_an_id_to_derive_is_left_to_the_generic_path(what: str) -> None:
    values = {
        "a bad number": _EDGES[5][1],
        "a repeated ID": _EDGES[11][1],
        "an ID to derive": _EDGES[1][1],
    }[what]
    key = "order-7" if what == "an ID to derive" else None
    assert not _same_both_ways(component.runtime("sendSms"), values, idempotency_key=key)


def test_a_filled_member_is_a_copy_of_its_own_each_time() -> None:
    # templateData is sent as {"body": {"placeholders": []}} when not given (sentWhenEmpty).
    runtime = component.runtime("sendWhatsappTemplateMessage")
    assert _outcome(runtime, _without_data(), True)[3]  # the plain checks fill it
    first, second = (runtime.validate(_without_data(), NOW) for _ in range(2))
    data = [values["messages"][0]["content"]["templateData"] for values in (first, second)]
    assert data[0] == data[1] == {"body": {"placeholders": []}}
    assert data[0] is not data[1]
    assert data[0]["body"]["placeholders"] is not data[1]["body"]["placeholders"]


def test_a_fill_with_an_idempotency_key_and_every_id_given_is_settled_plainly() -> None:
    assert _same_both_ways(
        component.runtime("sendWhatsappTemplateMessage"),
        _with_ids(_without_data()),
        idempotency_key="order-7",
    )


def test_ten_recipients_with_an_id_repeated_reach_the_plain_checks() -> None:
    # Past checks.FEW (8), the generic path checks recipients a list at a time.
    values = dict(_EDGES)["ten recipients, one ID repeated"]
    assert _outcome(component.runtime("sendSms"), values, True)[0] == "error"
    spied: list[Any] = []
    run = plain_checks._run

    def spy(places: Any, *args: Any) -> Any:
        spied.append(len(places))
        return run(places, *args)

    plain_checks._run = spy  # type: ignore[assignment]
    try:
        _same_both_ways(component.runtime("sendSms"), values)
    finally:
        plain_checks._run = run
    assert spied and spied[0] >= 20  # every number and ID was a place to check


def _with_ids(values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "messages": [{**values["messages"][0], "messageId": "w-1"}]}


def test_a_copy_with_a_plan_and_nowhere_to_note_notes_into_nothing_shared() -> None:
    plan = component.runtime("sendSms").checks.plan
    copied = plain_copy.plain_copy(_sms(), plan)
    assert copied is not None and copied[0] == _sms()
    unnoted = plain_copy._UNNOTED
    assert unnoted.places == [] and unnoted.missing == []


def test_the_plain_checks_know_every_part_of_a_check_plan() -> None:
    # A part added to Plan is a check the generic walk makes (checks._Pass.visit): the plain
    # checks (plain_checks._run) must make it too before PLAN_PARTS counts it.
    assert len(Plan.__slots__) == plain_checks.PLAN_PARTS
