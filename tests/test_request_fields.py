"""InfobipRequest and Recipients: built field by field at once, still frozen dataclasses."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from infobip_connector.request import InfobipRequest, Recipients


def test_defaults_are_fresh_per_request() -> None:
    first, second = InfobipRequest("GET", "/a"), InfobipRequest("GET", "/b")
    assert first.body is None and first.query == () and first.kind == "send"
    assert first.reference == {} and first.reference is not second.reference
    assert first.path_params == {} and first.path_params is not second.path_params
    assert len(first.recipients) == 0 and first.confirmable == frozenset()


def test_fields_cannot_be_assigned() -> None:
    request = InfobipRequest("POST", "/x", {"a": 1}, {"bulkId": "b"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.body = None  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Recipients(["i"], ["t"]).ids = []  # type: ignore[misc]


def test_replace_equality_repr_and_pickle() -> None:
    recipients = Recipients(["id-1"], ["41793026727"])
    request = InfobipRequest("POST", "/x", {"a": 1}, {"bulkId": "b"}, recipients=recipients)
    moved = dataclasses.replace(request, kind="read", query=(("q", "1"),))
    assert moved.kind == "read" and moved.query == (("q", "1"),)
    assert moved.recipients is recipients and moved.body == {"a": 1}
    assert dataclasses.replace(moved, kind="send", query=()) == request
    assert pickle.loads(pickle.dumps(request)) == request
    # The recipients list phone numbers: the repr leaves them out.
    assert "41793026727" not in repr(request)
    assert list(recipients) == [("id-1", "41793026727")]


def test_recipients_need_as_many_ids_as_destinations() -> None:
    with pytest.raises(ValueError, match="as many destinations as messageIds"):
        Recipients(["a", "b"], ["41793026727"])
    assert Recipients.of([("a", "1"), ("b", "2")]) == Recipients(["a", "b"], ["1", "2"])
