"""Property-based input testing: every valid input builds a correct request, every invalid one
is refused with an InputError naming where, and nothing in between ever happens.

Valid inputs are generated from ``component.input_schema(action)`` itself, so a property added to
``connector.yaml`` is covered without touching this file. Three kinds of fields are drawn from
hand-made strategies because their rules live outside the schema (``checks.py``): phone numbers
(drawn from libphonenumber's own example numbers, written the ways people write them), ``sendAt``
(relative to a fixed "now", in every accepted form) and the delivery time window (from and to
together, at least an hour apart).

The generator is a small JSON-Schema-to-strategy walker rather than hypothesis-jsonschema:
hypothesis-jsonschema 0.23.1 calls ``many.more()``, which current hypothesis (6.170) no longer
has, so it fails on any object schema. The walker covers exactly the keywords the derived schemas
use and fails loudly on any other, so a new keyword cannot be silently ignored.

Each invalid input is a valid one with one mutation applied, so the test knows where the problem
is and checks that the error points there. Invalid inputs go through ``component.execute`` with a
transport that fails the test when called: refusing means nothing was sent.

Example counts: ``HYPOTHESIS_PROFILE=ci`` (the default) tries 2,000 inputs per action and test;
``dev`` tries 200. The counts actually tried are printed at the end of the module.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from infobip_connector import InputError, component
from infobip_connector.definition.model import Property, format_path, walk
from infobip_connector.request import BODILESS, wire_scalar
from infobip_connector.runtime.timeutil import infobip_datetime
from infobip_connector.runtime.urls import callback_url_problem
from infobip_connector.runtime.values import prune
from infobip_connector.runtime.whole_numbers import is_whole_number

from .conftest import CANARY, FIXTURES
from .operations import OPERATIONS

settings.register_profile(
    "ci",
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
# Applied to these tests only, not loaded globally: other hypothesis tests keep their settings.
SETTINGS = settings.get_profile(PROFILE) if PROFILE in ("ci", "dev") else settings()

# Every action of connector.yaml; tests/operations.py names its Infobip operation and the
# slice of its published request schema (a missing row fails test_actions_follow_the_definition).
ACTIONS = tuple(component.action_names)
# A fixed "now": sendAt is generated relative to it, and prepare() is told to use it, so a slow
# run can never push a generated time into the past.
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
SLICES = {
    action: FIXTURES / "openapi" / op.request_slice
    for action, op in OPERATIONS.items()
    if op.request_slice is not None
}
CONNECTION = {"token": CANARY, "baseUrl": "https://xyz12.api.infobip.com"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

Path_ = tuple[str | int, ...]
Schema = dict[str, Any]

#: How many inputs each test actually tried, printed at the end of the module.
INPUTS_TRIED: Counter[str] = Counter()


# ---------------------------------------------------------------- phone numbers


def _phone_book() -> list[tuple[str, str]]:
    """``(as written, expected digits)`` for example numbers of every region libphonenumber knows.

    The expectation comes from phonenumbers directly, not from the connector's normaliser.
    """
    book: list[tuple[str, str]] = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None or not phonenumbers.is_possible_number(number):
                continue
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            spaced = phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            digits = e164[1:]
            for written in (e164, "00" + digits, digits, spaced, " " + spaced + " "):
                if len(written) <= 24:  # WhatsApp's from allows 24 characters
                    book.append((written, digits))
    return book


PHONES = _phone_book()
phones = st.sampled_from(PHONES)
# SMS senders as written, and as Infobip must receive them: names and short codes as given,
# numbers normalised like recipients' numbers.
SENDERS = [("InfoSMS", "InfoSMS"), ("ACME Corp", "ACME Corp"), ("Shop-24", "Shop-24")]
SENDERS += [("12345", "12345"), ("0800", "0800"), *[p for p in PHONES if len(p[1]) > 8][::7]]
senders = st.sampled_from(SENDERS)


# ---------------------------------------------------------------- schema → strategy

# Each draw a new {} or []: sampled_from hands out the very objects of its list, and a value
# drawn here may be changed in place afterwards (see assert_drawn_anew).
_EMPTY: st.SearchStrategy[Any] = st.sampled_from([None, "", {}, []]).map(copy.copy)
_KNOWN = {
    "$schema",
    "$comment",
    "x-maxLengthUtf16",
    "$id",
    "title",
    "description",
    "examples",
    "default",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "multipleOf",
    "x-presentation",  # an editor hint: constrains nothing
    "x-optionsFrom",  # where an editor gets the choices: constrains nothing
}

Override = Callable[[Schema], st.SearchStrategy[Any]]


def _from_schema(schema: Schema, path: Path_, overrides: dict[Path_, Override]) -> Any:
    """A strategy for values valid under ``schema`` (the subset the derived schemas use)."""
    unknown = set(schema) - _KNOWN
    assert not unknown, f"{format_path(path)}: generator does not know {unknown}"
    override = overrides.get(path)
    if override is not None:
        return override(schema)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema["type"]
    if kind == "object":
        return _object(schema, path, overrides)
    if kind == "array":
        items = _from_schema(schema["items"], (*path, "*"), overrides)
        unique = bool(schema.get("uniqueItems"))
        most = min(schema.get("maxItems", 3), 3)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=most, unique=unique)
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        # Given as int or as an integral float (5.0, -0.0): both are valid, and both must
        # reach Infobip as an integer (see _expect).
        low, high = schema.get("minimum"), schema.get("maximum")
        ints = st.integers(low, high)
        zero = (low is None or low <= 0) and (high is None or high >= 0)
        return st.one_of(ints, ints.map(float), *([st.just(-0.0)] if zero else []))
    if kind == "number":
        low, high = schema["minimum"], schema["maximum"]  # every NUMBER here is bounded
        if schema.get("multipleOf") == 1:
            # Whole numbers, given as int or as an integral float: both are valid.
            whole = st.integers(math.ceil(low), math.floor(high))
            return st.one_of(whole, whole.map(float))
        return st.floats(low, high, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    raise AssertionError(f"{format_path(path)}: generator does not know type {kind!r}")


def _string(schema: Schema) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    units = schema.get("x-maxLengthUtf16")
    if "pattern" in schema:
        return st.from_regex(str(schema["pattern"]), fullmatch=True).filter(
            lambda s: (
                len(s) >= low
                and (high is None or len(s) <= high)
                and (units is None or len(s.encode("utf-16-le")) // 2 <= units)
            )
        )
    # Any Unicode text except lone surrogates (which are not JSON), control characters included.
    return st.text(min_size=low, max_size=min(high or 40, 40))


def _object(schema: Schema, path: Path_, overrides: dict[Path_, Override]) -> Any:
    # Child strategies are built once here, not per draw: building them dominates otherwise.
    required = set(schema.get("required", []))
    fields = [
        (key, key in required, _from_schema(sub, (*path, key), overrides))
        for key, sub in schema.get("properties", {}).items()
    ]

    @st.composite
    def values(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, is_required, strategy in fields:
            choice = 3 if is_required else draw(st.integers(0, 5))
            if choice == 0:
                # Editors send untouched fields as null, "", {} or []: treated as not given.
                out[key] = draw(_EMPTY)
            elif choice >= 3:
                out[key] = draw(strategy)
        return out

    return values()


# ---------------------------------------------------------------- fields with rules


@st.composite
def _send_at(draw: st.DrawFn, schema: Schema) -> tuple[Any, datetime]:
    """A sendAt in one of its accepted forms, with the instant it means (to millisecond)."""
    ahead = draw(st.integers(60, 179 * 24 * 3600))  # clear of both the grace and the horizon
    moment = NOW + timedelta(seconds=ahead, milliseconds=draw(st.integers(0, 999)))
    timespec = draw(st.sampled_from(["seconds", "milliseconds"]))
    if timespec == "seconds":
        moment = moment.replace(microsecond=0)
    form = draw(st.sampled_from(["offset text", "zone", "offset dateTime"]))
    if form == "zone":
        zone = draw(
            st.sampled_from(
                ["Europe/Zagreb", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
            )
        )
        local = moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        text = local.isoformat(timespec=timespec)
        if draw(st.booleans()):
            text = text.replace("T", " ")
        # A wall-clock time that occurs twice means its first occurrence (documented).
        meant = local.replace(tzinfo=ZoneInfo(zone), fold=0)
        return {"dateTime": text, "zoneId": zone}, meant
    quarter_hours = draw(st.integers(-12 * 4, 14 * 4))
    shifted = moment.astimezone(timezone(timedelta(minutes=15 * quarter_hours)))
    text = shifted.isoformat(timespec=timespec)
    style = draw(st.sampled_from(["colon", "no colon", "Z", "t separator"]))
    if style == "no colon":
        text = text[:-3] + text[-2:]
    elif style == "Z" and quarter_hours == 0:
        text = text[:-6] + "Z"
    elif style == "t separator":
        text = text.replace("T", "t")
    return (text if form == "offset text" else {"dateTime": text}), moment


@st.composite
def _instant(draw: st.DrawFn, schema: Schema, *, future: bool = False) -> str:
    """An ISO-8601 date-time with its offset (or Z), as the ``instant`` rule takes it;
    ``future``: after ``NOW``, as an offer's expiration must be."""
    earliest = 1 if future else -30 * 24 * 3600
    moment = NOW + timedelta(seconds=draw(st.integers(earliest, 30 * 24 * 3600)))
    shifted = moment.astimezone(timezone(timedelta(minutes=15 * draw(st.integers(-48, 56)))))
    text = shifted.isoformat(timespec=draw(st.sampled_from(["seconds", "milliseconds"])))
    style = draw(st.sampled_from(["colon", "no colon", "Z", "space"]))
    if style == "no colon":
        return text[:-3] + text[-2:]
    if style == "Z" and shifted.utcoffset() == timedelta(0):
        return text[:-6] + "Z"
    if style == "space":
        return text.replace("T", " ")
    return text


def _time_window(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    days = _from_schema(schema["properties"]["days"], (), {})
    gaps = st.integers(60, 24 * 60 - 1)
    starts = st.integers(0, 24 * 60 - 1)

    @st.composite
    def window(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {"days": draw(days)}
        if draw(st.booleans()):
            start = draw(starts)
            end = (start + draw(gaps)) % (24 * 60)
            out["from"] = {"hour": start // 60, "minute": start % 60}
            out["to"] = {"hour": end // 60, "minute": end % 60}
        return out

    return window()


_LABELS = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
# A name's last label starts with a letter: digits and dots alone are an IPv4 address.
_TOPS = st.from_regex(r"[a-z](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_HOSTS = (
    st.builds(lambda labels, top: ".".join([*labels, top]), st.lists(_LABELS, max_size=2), _TOPS)
    | st.ip_addresses(v=4).map(str)
    | st.ip_addresses(v=6).map(lambda a: f"[{a}]")
)


def _url(_: Schema) -> st.SearchStrategy[str]:
    """Well-formed http(s) URLs (the schema pattern alone also allows malformed ones)."""
    return st.builds(
        lambda scheme, host, port, rest: f"{scheme}://{host}{port}{rest}",
        st.sampled_from(["http", "https", "HTTPS"]),
        _HOSTS,
        st.sampled_from(["", ":1", ":8080", ":65535"]),
        st.from_regex(
            r"(/[A-Za-z0-9._~!$&'()*+,;=:@-]{0,8}){0,3}(\?[a-z=&%0-9]{0,5})?", fullmatch=True
        ),
    ).map(lambda url: re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url))


def _callback_url(schema: Schema) -> st.SearchStrategy[str]:
    """Well-formed URLs Infobip can call: a public host (loopback and private addresses
    are refused when the connection is not a local sandbox)."""
    return _url(schema).filter(lambda url: callback_url_problem(url, local=False) is None)


# The members of each WhatsApp template header type, all required for it, and the limits of
# button parameters by type, as Infobip's OpenAPI description has them
# (Template*HeaderContent, Template*ButtonContent).
_HEADER_MEMBERS = {
    "TEXT": ["placeholder"],
    "DOCUMENT": ["mediaUrl", "filename"],
    "IMAGE": ["mediaUrl"],
    "VIDEO": ["mediaUrl"],
    "GIF": ["mediaUrl"],
    "LOCATION": ["latitude", "longitude"],
}
_BUTTON_LIMITS = {"QUICK_REPLY": 128, "COPY_CODE": 15, "URL": None}


def _template_header(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    members = {name: _from_schema(sub, (), {}) for name, sub in schema["properties"].items()}
    members["mediaUrl"] = _url(schema["properties"]["mediaUrl"])  # format: http-url

    @st.composite
    def header(draw: st.DrawFn) -> dict[str, Any]:
        kind = draw(st.sampled_from(sorted(_HEADER_MEMBERS)))
        return {"type": kind, **{m: draw(members[m]) for m in _HEADER_MEMBERS[kind]}}

    return header()


# Button types whose members are all optional: the type alone is a whole button.
_BARE_BUTTONS = ("FLOW", "CATALOG", "VOICE_CALL")


def _template_button(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    parameter = schema["properties"]["parameter"]
    offered = schema["properties"]["type"]["enum"]  # a carousel card's buttons offer fewer
    by_type = {
        kind: (
            _string({**parameter, "maxLength": limit, "x-maxLengthUtf16": limit})
            if limit is not None
            else _string(parameter)
        ).map(lambda text, kind=kind: {"type": kind, "parameter": text})
        for kind, limit in _BUTTON_LIMITS.items()
        if kind in offered
    }
    # Built per draw, not st.just({...}): one dict shared by every example would carry the
    # changes one example makes to it (test_property_outcomes puts random values into the
    # input) into the next ones, and replaying the same choices would give another input.
    by_type.update(
        {kind: st.builds(dict, type=st.just(kind)) for kind in _BARE_BUTTONS if kind in offered}
    )
    return st.sampled_from(sorted(by_type)).flatmap(lambda kind: by_type[kind])


def _order_payment(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    # An ID every payment type takes: the pattern, within UPI_PAYU's 25 characters.
    kinds = st.sampled_from(schema["properties"]["type"]["enum"])
    ids = st.from_regex(r"[A-Za-z0-9\-_.]{1,25}", fullmatch=True)
    return st.builds(lambda kind, id_: {"type": kind, "id": id_}, kinds, ids)


def _template_buttons(schema: Schema) -> st.SearchStrategy[list[dict[str, Any]]]:
    # At most two dynamic URL buttons and one copy code button.
    smallest, largest = schema.get("minItems", 0), min(3, schema.get("maxItems", 3))
    buttons = st.lists(_template_button(schema["items"]), min_size=smallest, max_size=largest)
    return buttons.filter(
        lambda buttons: (
            [b["type"] for b in buttons].count("URL") <= 2
            and [b["type"] for b in buttons].count("COPY_CODE") <= 1
        )
    )


def _overrides(action: str) -> dict[Path_, Override]:
    """Hand-made strategies by what the definition declares (a format or a rule), any action."""

    def phone(_: Schema) -> st.SearchStrategy[str]:
        return phones.map(lambda p: p[0])

    def sender(_: Schema) -> st.SearchStrategy[str]:
        return senders.map(lambda p: p[0])

    by_format: dict[str, Override] = {
        "phone": phone,
        "sms-sender": sender,
        "http-url": _url,
        "callback-url": _callback_url,
    }
    by_rule: dict[str, Override] = {
        "sendAt": lambda s: _send_at(s),
        "deliveryTimeWindow": _time_window,
        "templateHeader": _template_header,
        "templateButton": _template_button,
        "templateButtons": _template_buttons,
        "orderPayment": _order_payment,
        "instant": lambda s: _instant(s),
    }
    found: dict[Path_, Override] = {}
    for path, prop in walk(component.definition.action(action).as_property()):
        if prop.format in by_format:
            found[path] = by_format[prop.format]
        for rule in prop.rules:
            if rule in by_rule:
                found[path] = by_rule[rule]
        if path[-1:] == ("expirationTime",):  # an offer that has expired is refused
            found[path] = lambda s: _instant(s, future=True)
    return found


_SCHEMA_STRATEGIES = {
    a: _from_schema(component.input_schema(a), (), _overrides(a)) for a in ACTIONS
}


@st.composite
def valid_inputs(draw: st.DrawFn, action: str) -> dict[str, Any]:
    """A valid input of any action; the fix-ups follow what the definition declares."""
    values: dict[str, Any] = draw(_SCHEMA_STRATEGIES[action])
    root = component.definition.action(action).as_property()
    seen: set[str] = set()
    for path, prop in _declared(root, values):
        parent, key = _parent(values, path), path[-1]
        if "noComma" in prop.rules and isinstance(parent[key], str):
            parent[key] = parent[key].replace(",", "_")  # Infobip's log filters split at commas
        if prop.generatedId and isinstance(parent[key], str) and parent[key]:
            # IDs must differ within a request: a repeat is an input error.
            if parent[key] in seen:
                del parent[key]
            else:
                seen.add(parent[key])
        elif isinstance(parent[key], tuple):
            # _send_at returns (value, instant meant); keep the value, remember the instant.
            parent[key], parent[_MEANT + str(key)] = parent[key]
        elif "previewUrlNeedsLink" in prop.rules and isinstance(parent[key], dict):
            content = parent[key]  # the rule is on the object holding text and previewUrl
            text = content.get("text", "")
            if content.get("previewUrl") is True and not re.search(r"https?://\S", text):
                content["text"] = text[:4000] + " https://example.com/x"
    for child in root.properties or []:
        if child.location != "body" and child.name in values and _absent(values[child.name]):
            # A filter given empty is refused, not "not given" (test_empty_filters.py).
            del values[child.name]
    for rule in root.rules:
        _BETWEEN_INPUTS[rule](values)
    return values


def _absent(value: Any) -> bool:
    return value in (None, "", [], {})


def _mnc_with_mcc(values: dict[str, Any]) -> None:
    if not _absent(values.get("mnc")) and _absent(values.get("mcc")):
        del values["mnc"]


def _since_before_until(values: dict[str, Any]) -> None:
    since, until = values.get("sentSince"), values.get("sentUntil")
    if _absent(since) or _absent(until):
        return
    if datetime.fromisoformat(since.replace("Z", "+00:00")) >= datetime.fromisoformat(
        until.replace("Z", "+00:00")
    ):
        del values["sentUntil"]


#: What keeps a generated input clear of each rule declared on an action (between its inputs).
_BETWEEN_INPUTS: dict[str, Callable[[dict[str, Any]], None]] = {
    "mncNeedsMcc": _mnc_with_mcc,
    "sentSinceBeforeUntil": _since_before_until,
}


_MEANT = "_meant_"
Meant = dict[Path_, datetime]


def _declared(prop: Property, value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Property]]:
    """Each place of ``value`` that the definition declares, with its property (root excluded).

    Collected before yielding, so a caller may change the values it is given.
    """
    found: list[tuple[Path_, Property]] = []
    if isinstance(value, dict) and prop.type == "OBJECT":
        for child in prop.properties or []:
            if child.name in value:
                found.append(((*path, child.name), child))
                found.extend(_declared(child, value[child.name], (*path, child.name)))
    elif isinstance(value, list) and prop.items is not None:
        for index, item in enumerate(value):
            found.append(((*path, index), prop.items))
            found.extend(_declared(prop.items, item, (*path, index)))
    return iter(found)


def _parent(values: Any, path: Path_) -> Any:
    for part in path[:-1]:
        values = values[part]
    return values


def _take_meant(values: Any, path: Path_ = ()) -> Meant:
    """Remove the test's private markers, returning the instant meant by each sendAt's path."""
    meant: Meant = {}
    if isinstance(values, dict):
        for key in [k for k in values if k.startswith(_MEANT)]:
            meant[(*path, key.removeprefix(_MEANT))] = values.pop(key)
        for key, item in values.items():
            meant.update(_take_meant(item, (*path, key)))
    elif isinstance(values, list):
        for index, item in enumerate(values):
            meant.update(_take_meant(item, (*path, index)))
    return meant


# ---------------------------------------------------------------- the oracle for valid inputs

_PHONE_DIGITS = dict(PHONES)
_SENDER_FORMS = dict(SENDERS)
_INFOBIP_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}")


def same_instant(a: datetime, b: datetime) -> bool:
    """Whether two aware datetimes are the same instant. Not ``==``: PEP 495 makes a wall
    time that occurs twice (clocks going back) unequal to every datetime of another zone."""
    return a.astimezone(UTC) == b.astimezone(UTC)


def test_an_ambiguous_wall_time_is_compared_as_the_instant_it_is() -> None:
    # Lord Howe Island goes back from +11:00 to +10:30 at 02:00: 01:30 occurs twice.
    first = datetime(2026, 4, 5, 1, 30, tzinfo=ZoneInfo("Australia/Lord_Howe"), fold=0)
    sent = datetime.strptime("2026-04-05T01:30:00.000+1100", "%Y-%m-%dT%H:%M:%S.%f%z")
    assert same_instant(sent, first)
    assert not same_instant(sent, first.replace(fold=1))


def _expect(prop: Property, want: Any, got: Any, meant: Meant, path: Path_) -> Any:
    """What Infobip must receive for ``want`` (pruned), by the property's declared rules.

    Generated IDs and sendAt's wire form are taken from ``got`` once checked.
    """
    if "sendAt" in prop.rules:
        # Infobip's format: yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm, the same instant.
        assert isinstance(got, str) and _INFOBIP_DATETIME.fullmatch(got), got
        instant = datetime.strptime(got, "%Y-%m-%dT%H:%M:%S.%f%z")
        wanted = meant[path]
        assert same_instant(
            instant, wanted.replace(microsecond=wanted.microsecond // 1000 * 1000)
        ), (
            want,
            got,
        )
        return got
    if "instant" in prop.rules:
        # A date-time in the body is written as Infobip reads them, like one in the query.
        return _expected_query(prop, want)[0]
    if prop.type == "OBJECT" and isinstance(want, dict):
        sent = got if isinstance(got, dict) else {}
        out: dict[str, Any] = {}
        for child in prop.properties or []:
            assert child.name is not None
            if child.name in want:
                out[child.name] = _expect(
                    child, want[child.name], sent.get(child.name), meant, (*path, child.name)
                )
            elif child.generatedId:
                assert UUID.match(str(sent.get(child.name))), (path, sent.get(child.name))
                out[child.name] = sent[child.name]
            elif child.sentWhenEmpty is not None:
                out[child.name] = child.sentWhenEmpty  # a member Infobip requires
        return out
    if prop.type == "ARRAY" and isinstance(want, list):
        assert prop.items is not None
        sent_items = got if isinstance(got, list) and len(got) == len(want) else [None] * len(want)
        return [
            _expect(prop.items, w, g, meant, (*path, i))
            for i, (w, g) in enumerate(zip(want, sent_items, strict=True))
        ]
    if prop.format == "phone":
        return _PHONE_DIGITS[want]
    if prop.format == "sms-sender":
        return _SENDER_FORMS[want]
    if is_whole_number(prop):
        # A whole number goes out as an integer, however it was written (5.0 is 5): compared
        # by type too, since 5.0 == 5 in Python but Infobip refuses 5.0.
        assert type(got) is int, (format_path(path), got)
        return int(want)
    return want


def _assert_round_trip(action: str, values: dict[str, Any], meant: Meant, request: Any) -> None:
    """The request carries exactly our values, each where the definition says it goes."""
    definition = component.definition.action(action)
    pruned = prune(copy.deepcopy(values))
    body_props = [p for p in definition.properties if p.location == "body"]
    body_values = {p.name: pruned[p.name] for p in body_props if p.name in pruned}
    if request.method in BODILESS:
        assert request.body is None
    else:
        root = Property(name="input", type="OBJECT", properties=body_props)
        assert request.body == _expect(root, body_values, request.body, meant, ())
    for prop in definition.properties:
        if prop.location == "path" and prop.name in pruned:
            assert request.path_params[prop.name] == wire_scalar(pruned[prop.name])
        elif prop.location == "query" and prop.name in pruned:
            sent = [value for name, value in request.query if name == prop.name]
            assert sent == _expected_query(prop, pruned[prop.name]), (prop.name, sent)


def _expected_query(prop: Property, given: Any) -> list[str]:
    """The query values Infobip must receive for one parameter, as OpenAPI's form style says."""
    if "instant" in prop.rules:
        # yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm, the same instant to the millisecond.
        moment = datetime.fromisoformat(given.replace("Z", "+00:00"))
        return [
            moment.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{moment.microsecond // 1000:03d}"
            + moment.strftime("%z")
        ]
    if prop.format == "phone":
        return [_PHONE_DIGITS[given]]
    if prop.format == "sms-sender":
        return [_SENDER_FORMS[given]]
    if is_whole_number(prop):
        return [wire_scalar(int(given))]  # limit=5, never limit=5.0
    if isinstance(given, list):
        texts = [wire_scalar(item) for item in given]
        return texts if prop.explode else [",".join(texts)]
    return [wire_scalar(given)]


def _load_slice(action: str) -> Draft202012Validator | None:
    """Infobip's published request schema for ``action``, or None when the slice is absent."""
    path = SLICES.get(action)
    if path is None or not path.exists():
        return None
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("action", ACTIONS)
def test_infobip_request_schema_slices_are_present(action: str) -> None:
    # Without them the property test still runs, minus the check against Infobip's schema.
    if action not in SLICES:
        pytest.skip(f"{action} sends no JSON body")
    if _load_slice(action) is None:
        pytest.skip(f"{SLICES[action].name} is not in tests/fixtures/openapi")


def _undeclared_keys(body: Any, schema: Schema, path: Path_ = ()) -> Iterator[str]:
    """Keys we send that Infobip's schema does not declare (the slice allows them silently).

    Below a ``discriminator`` (a WhatsApp template's header and buttons) the members are the
    chosen variant's, which the slice does not carry: the action's own tests check them.
    """
    if isinstance(body, dict) and "properties" in schema and "discriminator" not in schema:
        for key, value in body.items():
            sub = schema["properties"].get(key)
            if sub is None:
                yield format_path((*path, key))
            else:
                yield from _undeclared_keys(value, sub, (*path, key))
    elif isinstance(body, list) and "items" in schema:
        for index, item in enumerate(body):
            yield from _undeclared_keys(item, schema["items"], (*path, index))


def test_send_at_with_lower_case_z_is_accepted() -> None:
    """The input schema's pattern allows ``z`` as the UTC designator; so must the check.

    ``datetime.fromisoformat`` rejects a lower-case ``z`` on Python 3.11; the check reads it
    as UTC rather than refusing a value the schema let through.
    """
    values = {
        "messages": [
            {
                "destinations": [{"to": "41793026727"}],
                "text": "x",
                "sendAt": "2026-04-01T10:00:00z",
            }
        ]
    }
    request = component.runtime("sendSms").prepare(values, NOW)
    assert request.body["messages"][0]["sendAt"] == "2026-04-01T10:00:00.000+0000"
    assert infobip_datetime(datetime(2026, 4, 1, 10, tzinfo=UTC)) == "2026-04-01T10:00:00.000+0000"


# ---------------------------------------------------------------- invalid inputs


class _Forbidden(httpx.BaseTransport):
    """Fails the test if anything is sent: an invalid input must be refused before that."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"an invalid input reached the network: {request.url}")


FORBIDDEN = _Forbidden()


def _schema_at(schema: Schema, path: Path_) -> Schema:
    for part in path:
        schema = schema["items"] if isinstance(part, int) else schema["properties"][part]
    return schema


def _sites(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every place in ``value`` (pruned, so nothing in it is empty), root included."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _sites(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _sites(item, (*path, index))


def _set(root: Any, path: Path_, new: Any) -> Any:
    if not path:
        return new
    parent = root
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = new
    return root


def _family(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"  # an integral float is a valid integer and vice versa
    return type(value).__name__


_WRONG_TYPES: list[Any] = [True, 7, 2.5, "text", [1], {"unknownKey": 1}]


def _deep(levels: int) -> Any:
    nested: Any = "x"
    for _ in range(levels):
        nested = [nested]
    return nested


Case = tuple[dict[str, Any], Meant, str, Any, Path_]


@st.composite
def cases(draw: st.DrawFn, action: str) -> Case:
    """A valid input, the sendAt instants it means, and a copy of it with one thing broken:
    ``(valid, meant, kind of mutation, invalid input, path of the problem)``."""
    valid = draw(valid_inputs(action))
    meant = _take_meant(valid)
    kind, invalid, problem = _mutate(draw, action, valid)
    return valid, meant, kind, invalid, problem


def _mutate(draw: st.DrawFn, action: str, valid: dict[str, Any]) -> tuple[str, Any, Path_]:
    value: Any = prune(valid)  # a new tree: the valid input stays as it was
    schema = component.input_schema(action)
    sites = list(_sites(value))
    kinds: list[str] = []
    required_sites = [
        (p, v)
        for p, v in sites
        if isinstance(v, dict)
        and set(_schema_at(schema, p).get("required", [])) & set(v)
        # Emptied, an optional object counts as not given (documented), which is valid.
        and (len(v) > 1 or _required_in_parent(schema, p))
    ]
    bounded = [(p, v) for p, v in sites if _has(schema, p, "minimum", "maximum", "maxLength")]
    enums = [(p, v) for p, v in sites if _has(schema, p, "enum") and isinstance(v, str)]
    phone_sites = [(p, v) for p, v in sites if any(_matches(f, p) for f in _PHONE_FIELDS[action])]
    if required_sites:
        kinds.append("missing required")
    if bounded:
        kinds.append("out of range")
    if enums:
        kinds.append("unknown enum value")
    if phone_sites:
        kinds.append("control character in a phone number")
    kinds += ["wrong type", "unknown key", "deep nesting", "not JSON", "huge array"]
    if any(isinstance(v, str) for _, v in sites):
        kinds.append("lone surrogate")  # not for inputs without text (all filters left empty)
    # Uniform over the kinds: sampled_from favours the start of its list.
    kind = draw(st.randoms(use_true_random=False)).choice(kinds)

    new: Any
    if kind == "wrong type":
        path, old = draw(st.sampled_from(sites))
        wrong = [w for w in _WRONG_TYPES if _family(w) != _family(old)]
        new = copy.deepcopy(draw(st.sampled_from(wrong)))  # the list's own [1] is not handed out
        return kind, _set(value, path, new), path
    if kind == "unknown key":
        path, _ = draw(st.sampled_from([(p, v) for p, v in sites if isinstance(v, dict)]))
        key = draw(st.sampled_from(["unknownKey", "Text", "to ", "\x00", "__proto__"]))
        return kind, _set(value, (*path, key), 1), (*path, key)
    if kind == "missing required":
        path, obj = draw(st.sampled_from(required_sites))
        key = draw(st.sampled_from(sorted(set(_schema_at(schema, path)["required"]) & set(obj))))
        del obj[key]
        # An object left empty counts as not given, so the parent's requirement may be what
        # breaks; the error path then names the parent, which _related accepts.
        return kind, value, (*path, key)
    if kind == "out of range":
        path, old = draw(st.sampled_from(bounded))
        sub = _schema_at(schema, path)
        if "maxLength" in sub:
            new = "9" * (sub["maxLength"] + 1)
        elif draw(st.booleans()) and "maximum" in sub:
            new = sub["maximum"] + draw(st.sampled_from([1, 10**30]))
        else:
            new = sub.get("minimum", 0) - draw(st.sampled_from([1, 10**30]))
        return kind, _set(value, path, new), path
    if kind == "unknown enum value":
        path, _ = draw(st.sampled_from(enums))
        new = draw(st.sampled_from(["NOT_AN_OPTION", "monday", "", "tr", "MONDAY\x00"]))
        if new == "":
            # Empty means not given: a required enum then goes missing, an optional one is fine;
            # use a value that is never an option instead.
            new = " "
        return kind, _set(value, path, new), path
    if kind == "control character in a phone number":
        path, old = draw(st.sampled_from(phone_sites))
        # Not whitespace: spaces, tabs and newlines are accepted (and removed) as separators.
        bad = draw(st.sampled_from(["\x00", "\x07", "\x7f", "\u202e", "\x1b[31m"]))
        # Between two digits, so that stripping the ends cannot remove it.
        cut = draw(st.sampled_from([i for i in range(1, len(old)) if old[i - 1 : i + 1].isdigit()]))
        return kind, _set(value, path, old[:cut] + bad + old[cut:]), path
    if kind == "deep nesting":
        path, _ = draw(st.sampled_from(sites))
        return kind, _set(value, path, _deep(draw(st.integers(33, 200)))), ()
    if kind == "lone surrogate":
        strings = [(p, v) for p, v in sites if isinstance(v, str)]
        path, old = draw(st.sampled_from(strings))
        return kind, _set(value, path, old + draw(st.sampled_from(["\ud800", "\udfff"]))), path
    if kind == "not JSON":
        path, _ = draw(st.sampled_from(sites))
        new = draw(
            st.sampled_from([math.nan, math.inf, -math.inf, {1: "x"}, b"bytes", {1, 2}, object()])
        )
        return kind, _set(value, path, new), path
    # huge array: thousands of items where one object or value belongs
    path, _ = draw(st.sampled_from(sites))
    size = draw(st.integers(1000, 5000))
    return kind, _set(value, path, [{"unknownKey": i} for i in range(size)]), path


#: The phone-number fields of each action, by the definition's ``format: phone``.
_PHONE_FIELDS: dict[str, list[Path_]] = {
    action: [
        path
        for path, prop in walk(component.definition.action(action).as_property())
        if prop.format == "phone"
    ]
    for action in ACTIONS
}


def _matches(pattern: Path_, path: Path_) -> bool:
    return len(pattern) == len(path) and all(
        p == q or (p == "*" and isinstance(q, int)) for p, q in zip(pattern, path, strict=True)
    )


def _required_in_parent(schema: Schema, path: Path_) -> bool:
    if not path or isinstance(path[-1], int):
        return True  # the root, or a list item (kept in place even when empty)
    return path[-1] in _schema_at(schema, path[:-1]).get("required", [])


def _has(schema: Schema, path: Path_, *keywords: str) -> bool:
    sub = _schema_at(schema, path)
    return any(k in sub for k in keywords)


def _related(error_path: str, problem: Path_) -> bool:
    """Whether an error path names the problem's place, one of its parents or its children."""
    where = format_path(problem)
    return (
        error_path == where
        or where.startswith(error_path + ".")
        or where.startswith(error_path + "[")
        or error_path.startswith(where + ".")
        or error_path.startswith(where + "[")
        or not error_path
        or not where
    )


Parts = tuple[str | int, ...]


def _containers(value: Any) -> Iterator[tuple[Parts, Any]]:
    """Every dict, list and set ``value`` holds, itself included, with the parts of its
    path in ``value`` (``()`` for ``value`` itself). A loop, not recursion: a drawn value
    may nest hundreds deep."""
    stack: list[tuple[Parts, Any]] = [((), value)]
    while stack:
        parts, item = stack.pop()
        if isinstance(item, dict):
            yield parts, item
            stack.extend(((*parts, _member(key)), v) for key, v in item.items())
        elif isinstance(item, list | tuple):
            if isinstance(item, list):
                yield parts, item
            stack.extend(((*parts, index), v) for index, v in enumerate(item))
        elif isinstance(item, set):
            yield parts, item


def _member(key: Any) -> str:
    # A key that is not text (never valid input, but a mutation may draw one) is told apart
    # from the text it would print as, and from an index.
    return key if isinstance(key, str) else f"{key!r} (a key of type {type(key).__name__})"


def _places(paths: list[Parts]) -> str:
    return ", ".join(
        format_path(parts, any_index=None) or "the top" for parts in sorted(paths, key=_in_order)
    )


def _in_order(parts: Parts) -> list[tuple[int, int, str]]:
    # Indices by number (m[2] before m[10]), before the members of the same place.
    return [(0, part, "") if isinstance(part, int) else (1, 0, part) for part in parts]


def assert_drawn_anew(strategy: st.SearchStrategy[Any], examples: int = 100) -> None:
    """No dict, list or set in a value ``strategy`` draws is in another draw, or twice in one.

    The strategies build inputs by changing drawn values in place (fix-ups, random values
    put into places, mutations), and the code under test is handed them too. An object
    handed out again (``st.just({...})``, ``sampled_from`` of a list holding ``{}``) carries
    what one example did to it into the next, so that the same choices no longer give the
    same value: hypothesis then fails with ``FlakyStrategyDefinition``. The failure names
    every place of the object in the draw, and in the earlier draw that held it (an action's
    ``Case`` is a tuple: its paths start with the index of its input, ``[0].messages[0]``).
    """
    owners: dict[int, tuple[int, list[Parts]]] = {}
    kept: list[Any] = []  # every draw stays alive, so that no id is reused

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(value=strategy)
    def draw(value: Any) -> None:
        kept.append(value)
        number = len(kept)
        places: dict[int, tuple[Any, list[Parts]]] = {}
        for parts, held in _containers(value):
            places.setdefault(id(held), (held, []))[1].append(parts)
        for ident, (held, paths) in places.items():
            earlier = owners.get(ident)
            assert earlier is None and len(paths) == 1, (
                f"draw {number} holds one object at {_places(paths)}"
                + (
                    ""
                    if earlier is None
                    else f", which draw {earlier[0]} held at {_places(earlier[1])}"
                )
                + f": {held!r:.200}"
            )
            owners[ident] = (number, paths)

    draw()


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
        buttons = _template_button(_schema_at(schema, place))
        assert_drawn_anew(st.lists(buttons, min_size=3, max_size=3), examples=20)


def test_containers_are_named_by_the_paths_errors_use() -> None:
    value = {"m": [{"b": [{"t": "FLOW"}], "s": {1}, "u": ({"x": []},), "": {}, 1: []}]}
    assert sorted(_places([parts]) for parts, _ in _containers(value)) == sorted(
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


@pytest.mark.parametrize("action", ACTIONS)
def test_valid_inputs_build_the_right_request_and_invalid_ones_are_refused(action: str) -> None:
    """One generated input per example serves both properties: generating it is the cost."""
    validator = _load_slice(action)
    runtime = component.runtime(action)

    @settings(SETTINGS)
    @given(case=cases(action))
    def check(case: Case) -> None:
        valid, meant, kind, invalid, problem = case
        _check_valid(action, runtime, validator, valid, meant)
        _check_invalid(action, kind, invalid, problem)

    check()


def _check_valid(
    action: str,
    runtime: Any,
    validator: Draft202012Validator | None,
    values: dict[str, Any],
    meant: Meant,
) -> None:
    """The request builds, satisfies Infobip's published schema and carries our values."""
    INPUTS_TRIED[f"{action} valid"] += 1
    given_values = copy.deepcopy(values)
    request = runtime.prepare(values, NOW)
    assert values == given_values, "prepare() must not change the caller's values"
    if validator is not None:
        problems = [
            f"{format_path(list(e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(request.body)
        ]
        assert not problems, problems
        assert not list(_undeclared_keys(request.body, validator.schema))
    _assert_round_trip(action, values, meant, request)


def _check_invalid(action: str, kind: str, values: Any, problem: Path_) -> None:
    """Refused with an InputError whose every entry has a path, one of them at the problem;
    nothing sent (the transport fails the test if called); nothing else raised."""
    INPUTS_TRIED[f"{action} invalid"] += 1
    INPUTS_TRIED[f"{action} invalid: {kind}"] += 1
    with pytest.raises(InputError) as caught:
        component.execute(action, values, CONNECTION, transport=FORBIDDEN, now=NOW)
    error = caught.value
    assert type(error) is InputError, f"{kind}: {type(error).__name__}"
    assert error.errors, kind
    for entry in error.errors:
        assert isinstance(entry["path"], str), entry
        assert isinstance(entry["message"], str) and entry["message"], entry
    paths = [e["path"] for e in error.errors]
    assert any(_related(p, problem) for p in paths), (kind, format_path(problem), paths)
    json.dumps(error.to_dict())  # details must stay JSON-safe, whatever the input held


@pytest.fixture(scope="module", autouse=True)
def _report_inputs_tried(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if not INPUTS_TRIED:
        return
    total = sum(n for k, n in INPUTS_TRIED.items() if k.endswith(("valid", "invalid")))
    lines = [f"property tests: {total:,} inputs tried (profile {PROFILE})"]
    lines += [f"  {key}: {count:,}" for key, count in sorted(INPUTS_TRIED.items())]
    _show(request, lines)


def _show(request: pytest.FixtureRequest, lines: list[str]) -> None:
    """Write to the terminal past pytest's output capture, so the counts are always seen."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)
