"""InfobipRequest and Recipients: built field by field at once, still frozen dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import weakref
from typing import Any

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


def test_repr_leaves_out_the_numbers_and_texts_of_body_and_query() -> None:
    body = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Your code: 4711"}]}
    send = InfobipRequest("POST", "/sms/2/text/advanced", body, {"bulkId": "b"})
    read = InfobipRequest(
        "GET", "/sms/3/logs", None, {}, kind="read", query=(("destination", "41793026728"),)
    )
    for request in (send, read):
        shown = repr(request)
        for private in ("41793026727", "41793026728", "Your code"):
            assert private not in shown
    # What identifies the request stays.
    assert repr(send) == (
        "InfobipRequest(method='POST', path='/sms/2/text/advanced', "
        "reference={'bulkId': 'b'}, path_params={}, kind='send')"
    )
    assert "'/sms/3/logs'" in repr(read) and "kind='read'" in repr(read)
    # Only the repr: the fields themselves, equality and copies are unchanged.
    assert send.body is body and read.query == (("destination", "41793026728"),)
    assert dataclasses.replace(send) == send and dataclasses.replace(read) == read
    assert send != dataclasses.replace(send, body=None)
    assert read != dataclasses.replace(read, query=())
    recipients = Recipients(["id-1"], ["41793026727"])
    assert repr(recipients) == "Recipients(ids=['id-1'])"
    assert recipients != Recipients(["id-1"], ["41793026728"])


def test_recipients_need_as_many_ids_as_destinations() -> None:
    with pytest.raises(ValueError, match="as many destinations as messageIds"):
        Recipients(["a", "b"], ["41793026727"])
    assert Recipients.of([("a", "1"), ("b", "2")]) == Recipients(["a", "b"], ["1", "2"])


def test_requests_keep_no_instance_dict() -> None:
    # Slots: an instance ``__dict__`` would be one more object per request for the cycle
    # collector to count while an async send waits for its answer.
    request = InfobipRequest("POST", "/x", recipients=Recipients(["i"], ["t"]))
    assert not hasattr(request, "__dict__") and not hasattr(request.recipients, "__dict__")
    assert request.method == "POST" and request.path == "/x" and request.recipients.ids == ["i"]


def _send_sms(messages: list[dict[str, Any]]) -> tuple[dict[str, Any], InfobipRequest]:
    from infobip_connector.actions import send_sms

    values = {"bulkId": "B1", "messages": messages}
    return values, send_sms.build_request(values)


def test_a_send_sms_body_is_its_checked_values_when_nothing_is_scheduled() -> None:
    message: dict[str, Any] = {
        "destinations": [{"to": "41793026727", "messageId": "M1"}],
        "text": "Hi",
    }
    values, request = _send_sms([message])
    assert request.body is values and request.body["messages"][0] is message
    assert request.reference == {"bulkId": "B1", "messageIds": ["M1"]}
    assert request.reference["messageIds"] is not request.recipients.ids


def test_a_scheduled_send_sms_message_is_rewritten_in_a_copy() -> None:
    now: dict[str, Any] = {
        "destinations": [{"to": "41793026727", "messageId": "M1"}],
        "text": "Now",
    }
    later: dict[str, Any] = {
        "destinations": [{"to": "41793026728", "messageId": "M2"}],
        "text": "Later",
        "sendAt": "2026-04-01T10:00:00Z",
    }
    values, request = _send_sms([now, later])
    assert request.body is not values and request.body["messages"][0] is now
    assert request.body["messages"][1]["sendAt"] == "2026-04-01T10:00:00.000+0000"
    assert later["sendAt"] == "2026-04-01T10:00:00Z" and values["messages"] == [now, later]
    assert request.recipients.ids == ["M1", "M2"] and request.recipients.tos[1] == "41793026728"


def test_every_assignment_is_refused_as_a_frozen_dataclass_refuses_it() -> None:
    request = InfobipRequest("GET", "/a")
    for name in ("kind", "not_a_field"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(request, name, "x")
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(request, name)

    class Tagged(InfobipRequest):
        pass

    tagged = Tagged("GET", "/a")
    tagged.note = "a subclass's own attribute"  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        tagged.kind = "read"  # type: ignore[misc]
    assert weakref.ref(request)() is request


#: A request pickled by the connector before its request types had slots (1ffa839).
_PICKLED_WITHOUT_SLOTS = (
    b"\x80\x04\x95'\x01\x00\x00\x00\x00\x00\x00\x8c\x19infobip_connector.request\x94\x8c\x0e"
    b"InfobipRequest\x94\x93\x94)\x81\x94}\x94(\x8c\x06method\x94\x8c\x04POST\x94\x8c\x04path"
    b"\x94\x8c\x14/sms/2/text/advanced\x94\x8c\x04body\x94}\x94\x8c\x06bulkId\x94\x8c\x02B1"
    b"\x94s\x8c\treference\x94}\x94(h\x0bh\x0c\x8c\nmessageIds\x94]\x94\x8c\x02M1\x94au\x8c"
    b"\x0bpath_params\x94}\x94\x8c\x05query\x94)\x8c\x04kind\x94\x8c\x04send\x94\x8c\nrecipie"
    b"nts\x94h\x00\x8c\nRecipients\x94\x93\x94)\x81\x94}\x94(\x8c\x03ids\x94]\x94h\x11a\x8c"
    b"\x03tos\x94]\x94\x8c\x0b41793026727\x94aub\x8c\x0bconfirmable\x94(\x91\x94ub."
)


def test_a_request_pickled_before_slots_reads_back_whole() -> None:
    request = pickle.loads(_PICKLED_WITHOUT_SLOTS)
    assert request == InfobipRequest(
        "POST",
        "/sms/2/text/advanced",
        {"bulkId": "B1"},
        {"bulkId": "B1", "messageIds": ["M1"]},
        recipients=Recipients(["M1"], ["41793026727"]),
    )


class _Tagged(InfobipRequest):
    pass


class _Slotted(InfobipRequest):
    __slots__ = ("__private", "extra")


@dataclasses.dataclass(frozen=True)
class _Extended(InfobipRequest):
    extra: int = 0


def _subclassed() -> list[InfobipRequest]:
    tagged, slotted = _Tagged("GET", "/a"), _Slotted("GET", "/a")
    tagged.extra = 1  # type: ignore[attr-defined]
    object.__setattr__(slotted, "extra", 2)
    object.__setattr__(slotted, "_Slotted__private", "kept under its stored name")
    return [tagged, slotted, _Extended("GET", "/a", extra=3)]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_subclasses_pickle_and_copy_with_their_own_attributes(protocol: int) -> None:
    for request in _subclassed():
        for copied in (
            pickle.loads(pickle.dumps(request, protocol=protocol)),
            copy.copy(request),
            copy.deepcopy(request),
        ):
            assert type(copied) is type(request) and copied == request
            assert copied.extra == request.extra  # type: ignore[attr-defined]
            hidden = getattr(request, "_Slotted__private", None)
            assert getattr(copied, "_Slotted__private", None) == hidden


def test_the_pickled_state_is_every_field_by_name_as_before_slots() -> None:
    request = InfobipRequest("GET", "/a", kind="read")
    state = request.__getstate__()  # type: ignore[attr-defined]
    assert state == {f.name: getattr(request, f.name) for f in dataclasses.fields(request)}
    # A state from before a field was added reads that field's default.
    older = InfobipRequest.__new__(InfobipRequest)
    older.__setstate__({"method": "GET", "path": "/a", "kind": "read"})  # type: ignore[attr-defined]
    assert older == request


def test_a_subclass_keeps_its_own_slots_apart_in_the_state_and_odd_states_are_refused() -> None:
    _, slotted, _ = _subclassed()
    fields_state, own = slotted.__getstate__()  # type: ignore[attr-defined]
    assert own == {"extra": 2, "_Slotted__private": "kept under its stored name"}
    assert fields_state["method"] == "GET" and "extra" not in fields_state
    blank = InfobipRequest.__new__(InfobipRequest)
    with pytest.raises(AttributeError):  # a member it cannot hold is refused, not dropped
        blank.__setstate__({"method": "GET", "path": "/a", "unknown": 1})  # type: ignore[attr-defined]
    for odd in ((None, None), ({}, ["x"]), ["GET", "/a"]):
        with pytest.raises(TypeError, match="cannot restore InfobipRequest"):
            blank.__setstate__(odd)  # type: ignore[attr-defined]


def test_slots_of_a_class_named_only_underscores_keep_their_names() -> None:
    namespace: dict[str, Any] = {"InfobipRequest": InfobipRequest}
    exec("class __(InfobipRequest):\n    __slots__ = ('__x',)", namespace)
    request = namespace["__"]("GET", "/a")
    object.__setattr__(request, "__x", 1)  # such a class mangles nothing
    assert getattr(copy.deepcopy(request), "__x") == 1


def test_a_state_lacking_a_field_without_default_is_refused() -> None:
    blank = InfobipRequest.__new__(InfobipRequest)
    with pytest.raises(TypeError, match="its state lacks 'method'"):
        blank.__setstate__({"path": "/a"})  # type: ignore[attr-defined]
    blank.__setstate__(({"method": "GET", "path": "/a"}, None))  # type: ignore[attr-defined]
    assert blank == InfobipRequest("GET", "/a")
