"""Property-based: no request a sender can make gets a 500 or an event outside its schema.

Bodies are random JSON (often Infobip's batched shape with random items), random XML,
random bytes, and Infobip's published examples with random values put in; most are signed
correctly, so the body checks behind authentication are what is exercised.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infobip_connector import component
from infobip_connector.triggers.recent import RecentKeys
from infobip_connector.triggers.security import signature
from infobip_connector.triggers.webhook import WebhookRequest

from .trigger_support import HMAC, SECRET, examples

STATUSES = {200, 400, 401, 405, 413, 415}
TRIGGERS = [t.name for t in component.definition.triggers if t.webhook]
SCHEMAS = {name: jsonschema.Draft202012Validator(component.event_schema(name)) for name in TRIGGERS}

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=25,
)
_names = st.sampled_from(
    [
        "messageId",
        "status",
        "price",
        "message",
        "type",
        "error",
        "to",
        "from",
        "smsCount",
        "contact",
        "id",
    ]
)
_items = st.dictionaries(_names | st.text(max_size=8), _json, max_size=6)


def _mutated(trigger: str) -> st.SearchStrategy[Any]:
    bodies = list(examples(trigger).values())

    def mutate(body: Any, path_choice: int, value: Any) -> Any:
        copy = json.loads(json.dumps(body))
        item = copy["results"][0]
        keys = list(item)
        item[keys[path_choice % len(keys)]] = value
        return copy

    return st.builds(mutate, st.sampled_from(bodies), st.integers(0, 30), _json)


def _bodies(trigger: str) -> st.SearchStrategy[bytes]:
    as_json = st.one_of(
        _json,
        st.fixed_dictionaries({"results": st.lists(_items, max_size=4)}),
        _mutated(trigger),
    ).map(lambda value: json.dumps(value).encode())
    tags = st.sampled_from(["messageId", "messageCount", "price", "pricePerMessage", "status", "x"])
    texts = st.text(alphabet=st.characters(blacklist_characters="<&"), max_size=10)
    xml = st.lists(st.tuples(tags, texts), max_size=5).map(
        lambda pairs: (
            "<r><results><result>"
            + "".join(f"<{tag}>{text}</{tag}>" for tag, text in pairs)
            + "</result></results></r>"
        ).encode("utf-8", "surrogatepass")
    )
    return st.one_of(as_json, xml, st.binary(max_size=200))


def _mostly(usual: st.SearchStrategy[str], rare: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``usual`` nine times in ten, so the checks behind the first ones are reached."""
    return st.integers(0, 9).flatmap(lambda n: rare if n == 9 else usual)


@st.composite
def _requests(draw: st.DrawFn) -> tuple[str, WebhookRequest]:
    trigger = draw(st.sampled_from(TRIGGERS))
    body = draw(_bodies(trigger))
    declared = list(component.definition.trigger(trigger).webhook.contentTypes)  # type: ignore[union-attr]
    odd = st.sampled_from(["application/xml", "text/plain", "application/json; charset=latin-1"])
    kind = draw(_mostly(st.sampled_from(declared), odd | st.text(max_size=30)))
    headers = {"Content-Type": kind}
    auth = draw(st.sampled_from(["good", "good", "good", "bad", "none", "random"]))
    if auth == "good":
        headers["X-Hub-Signature-256"] = signature(body, SECRET)
    elif auth == "bad":
        headers["X-Hub-Signature-256"] = signature(body, "other")
    elif auth == "random":
        headers["X-Hub-Signature-256"] = draw(st.text(max_size=80))
    headers.update(
        draw(st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=40), max_size=3))
    )
    method = draw(_mostly(st.just("POST"), st.sampled_from(["GET", "post"]) | st.text(max_size=8)))
    return trigger, WebhookRequest(method, headers, body)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_requests())
def test_no_request_gets_a_500_or_an_event_outside_its_schema(
    case: tuple[str, WebhookRequest],
) -> None:
    trigger, request = case
    answer = component.handle_webhook(trigger, request, HMAC, seen=RecentKeys())
    assert answer.status in STATUSES
    body = answer.http_body().decode()
    assert SECRET not in body
    if answer.status == 200:
        assert answer.error is None
        for event in answer.events:
            SCHEMAS[trigger].validate(event)
    else:
        assert answer.events == [] and answer.error is not None
        assert set(answer.error) == {"type", "message", "details"}


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(TRIGGERS),
    st.one_of(_json, st.fixed_dictionaries({"results": st.lists(_items, max_size=4)})),
)
def test_events_from_any_parsed_body_fit_the_schema_or_are_refused_by_path(
    trigger: str, body: Any
) -> None:
    from infobip_connector import InputError

    runtime = component.trigger_runtime(trigger)
    try:
        events = runtime.events(body)
    except InputError as exc:
        assert exc.errors and all(e["path"] for e in exc.errors)
        return
    for event in events:
        SCHEMAS[trigger].validate(event)
        assert isinstance(runtime.key(event), str)
