"""What Infobip must receive for a valid input: the oracle of the property-based input tests."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from jsonschema import Draft202012Validator

from infobip_connector import component
from infobip_connector.definition.model import Property, format_path
from infobip_connector.request import BODILESS, wire_scalar
from infobip_connector.runtime.values import prune
from infobip_connector.runtime.whole_numbers import is_whole_number

from .conftest import FIXTURES
from .input_draws import Meant
from .input_field_draws import PHONES, SENDERS
from .input_schema_draws import Path_, Schema
from .operations import OPERATIONS

SLICES = {
    action: FIXTURES / "openapi" / op.request_slice
    for action, op in OPERATIONS.items()
    if op.request_slice is not None
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

_PHONE_DIGITS = dict(PHONES)
_SENDER_FORMS = dict(SENDERS)
_INFOBIP_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}")


def same_instant(a: datetime, b: datetime) -> bool:
    """Whether two aware datetimes are the same instant. Not ``==``: PEP 495 makes a wall
    time that occurs twice (clocks going back) unequal to every datetime of another zone."""
    return a.astimezone(UTC) == b.astimezone(UTC)


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


def assert_round_trip(action: str, values: dict[str, Any], meant: Meant, request: Any) -> None:
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
    # And nothing else: a query parameter nobody gave, declared or not, is refused as a body
    # member nobody gave is.
    given = {p.name for p in definition.properties if p.location == "query" and p.name in pruned}
    assert {name for name, _ in request.query} <= given, (request.query, given)


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


def load_slice(action: str) -> Draft202012Validator | None:
    """Infobip's published request schema for ``action``, or None when the slice is absent."""
    path = SLICES.get(action)
    if path is None or not path.exists():
        return None
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def undeclared_keys(body: Any, schema: Schema, path: Path_ = ()) -> Iterator[str]:
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
                yield from undeclared_keys(value, sub, (*path, key))
    elif isinstance(body, list) and "items" in schema:
        for index, item in enumerate(body):
            yield from undeclared_keys(item, schema["items"], (*path, index))
