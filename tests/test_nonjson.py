"""One walk finds what a JSON writer refuses; the input pruning and the request body differ
only in the limits they hand it (``nonjson.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector.errors import InputError
from infobip_connector.nonjson import Limits, locate
from infobip_connector.runtime import values
from infobip_connector.transport import requestbody


def _nested(levels: int) -> Any:
    value: Any = "deep"
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("value", "as_input", "as_body"),
    [
        # The same value, refused by one set of limits and let through by the other.
        ({"n": float("nan")}, "n", None),
        ({"n": 2**64 - 1}, None, None),
        ({"n": 2**64}, None, "body.n"),
        ({"n": -(10**100)}, "n", "body.n"),
        ({"n": _nested(300)}, None, "body.n" + "[0]" * 253),
        # Refused by both, at the same place.
        ({"a": [1, {"b": "\ud800"}]}, "a[1].b", "body.a[1].b"),
        ({"a": {1: "x"}}, "a", "body.a"),
        ({"a": [None, True, {1, 2}]}, "a[2]", "body.a[2]"),
    ],
)
def test_the_limits_decide_what_is_refused(
    value: Any, as_input: str | None, as_body: str | None
) -> None:
    found = locate(value, values._INPUT)
    assert (found.path if found else None) == as_input
    found = locate(value, requestbody._BODY)
    assert (found.path if found else None) == as_body


def test_the_first_refused_part_in_document_order_is_named() -> None:
    value = {"a": [{"x": "ok"}, {"x": "\ud800"}], "b": float("inf"), "c": {2: 1}}
    found = locate(value, Limits(integers=(0, 10)))
    assert found is not None and (found.path, found.kind) == ("a[1].x", "surrogate")
    # The input pruning names that same first part (not the last one it met).
    with pytest.raises(InputError) as raised:
        values.prune(value)
    assert [e["path"] for e in raised.value.errors] == ["a[1].x"]


def test_a_key_is_refused_at_its_object_before_the_members_are_walked() -> None:
    found = locate({"o": {"t": "\ud800", 3: "x"}}, Limits(integers=(0, 10), root="body"))
    assert found is not None and (found.path, found.kind, found.value) == ("body.o", "key", 3)


def test_nothing_refused_is_none() -> None:
    assert locate({"a": [1, 2.5, "text", None, False]}, Limits(integers=(0, 10))) is None


def test_the_request_body_error_is_unchanged() -> None:
    with pytest.raises(InputError) as raised:
        requestbody.encode_body({"messages": [{"to": {"a", "b"}}]})
    assert raised.value.errors == [
        {"path": "body.messages[0].to", "message": "a set, which is not a JSON value"}
    ]


def test_an_integer_too_long_to_print_is_told_without_printing_it() -> None:
    with pytest.raises(InputError) as raised:
        values.prune({"n": [10**5000]})
    assert raised.value.errors[0]["path"] == "n[0]"
    assert "more than 100 digits" in raised.value.errors[0]["message"]


def test_one_path_formatter_for_the_walk_and_the_definition() -> None:
    from infobip_connector.definition import model
    from infobip_connector.errors import format_path

    assert model.format_path is format_path
    # The definition's "any item" is an index; in a value's own members "*" is a key.
    assert format_path(("messages", "*", "to")) == "messages[*].to"
    found = locate({"a": {"*": float("nan")}}, Limits(integers=(0, 1), root="body"))
    assert found is not None and found.path == "body.a.*"
    # A key's lone surrogate is shown as its escape wherever a path is made.
    assert format_path(("a", 0, "b\udc00")) == "a[0].b\\udc00"
    assert format_path((0, "x"), "body") == "body[0].x"
