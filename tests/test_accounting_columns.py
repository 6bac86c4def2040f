"""The column-wise settling of a large answer agrees with the entry-by-entry test.

``accounting._settled`` reads an answer a column at a time (messageIds, destinations,
counts, statuses) to settle the usual 100,000-entry answer in C; any entry that would not
pass the entry-by-entry test of ``_suspects`` must make it answer False, so that the
suspect entries are still found, each at its index.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from infobip_connector import OutcomeUnknownError
from infobip_connector.request import InfobipRequest, Recipients
from infobip_connector.runtime.accounting import BLOCK, _settled, _suspects, check_accounted
from infobip_connector.runtime.columns import Columns
from infobip_connector.runtime.rejections import rejected_messages, unrejected

PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
RECIPIENTS = Recipients.of((f"M{i}", f"4179{i:07d}") for i in range(50))


def _answer() -> list[Any]:
    return [{"messageId": m, "status": dict(PENDING), "to": to} for m, to in RECIPIENTS]


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(entry: dict[str, Any]) -> None:
        entry[key] = value

    return change


def _status(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(entry: dict[str, Any]) -> None:
        entry["status"][key] = value

    return change


class _Dict(dict[str, Any]):
    pass


# Each change makes entry 7 fail the entry-by-entry test.
SUSPECT: dict[str, Callable[[dict[str, Any]], None]] = {
    "another messageId": _set("messageId", "M8"),
    "no messageId": lambda e: e.pop("messageId"),
    "another destination": _set("to", RECIPIENTS.tos[8]),
    "a destination with +": lambda e: e.update(to="+" + e["to"]),
    "a numeric destination": lambda e: e.update(to=int(e["to"])),
    "messageCount 0": _set("messageCount", 0),
    "messageCount true": _set("messageCount", True),
    "messageCount 1.0": _set("messageCount", 1.0),
    "messageCount text": _set("messageCount", "1"),
    "groupId as a float": _status("groupId", float(2**60)),
    "id as a float": _status("id", 26.0),
}

# Each change leaves entry 7 passing the entry-by-entry test, but unusual for the columns.
FINE: dict[str, Callable[[dict[str, Any]], None]] = {
    "no destination": lambda e: e.pop("to"),
    "messageCount 1": _set("messageCount", 1),
    "messageCount 3": _set("messageCount", 3),
    "no status": lambda e: e.pop("status"),
    "a status that is text": _set("status", "PENDING"),
    "a status without numbers": _set("status", {"name": "PENDING_ACCEPTED"}),
    "a groupId that is text": _status("groupId", "1"),
}


@pytest.mark.parametrize("name", list(SUSPECT))
def test_an_entry_the_full_test_suspects_is_not_settled_by_columns(name: str) -> None:
    entries = _answer()
    SUSPECT[name](entries[7])
    assert not _settled(entries, RECIPIENTS)
    assert _suspects(entries, RECIPIENTS) == [7]


@pytest.mark.parametrize("name", list(FINE))
def test_an_unusual_but_fine_entry_is_still_settled(name: str) -> None:
    entries = _answer()
    FINE[name](entries[7])
    assert _suspects(entries, RECIPIENTS) == []


def test_the_usual_answer_is_settled_by_columns() -> None:
    entries = _answer()
    assert _settled(entries, RECIPIENTS)
    # Every entry with a messageCount of 1 or more is settled as well.
    for entry in entries:
        entry["messageCount"] = 2
    assert _settled(entries, RECIPIENTS)


def test_entries_that_are_not_plain_objects_are_left_to_the_full_test() -> None:
    entries: list[Any] = _answer()
    entries[3] = _Dict(entries[3])
    assert not _settled(entries, RECIPIENTS)
    assert _suspects(entries, RECIPIENTS) == [3]
    entries = _answer()
    entries[4] = "not an object"
    assert not _settled(entries, RECIPIENTS)
    assert _suspects(entries, RECIPIENTS) == [4]
    # A status that is a dict of another type is still read for its numbers.
    entries = _answer()
    entries[5]["status"] = _Dict(entries[5]["status"], id=26.0)
    assert _suspects(entries, RECIPIENTS) == [5]


def test_a_destination_sent_with_plus_is_checked_entry_by_entry() -> None:
    recipients = Recipients(RECIPIENTS.ids, [*RECIPIENTS.tos[:-1], "+" + RECIPIENTS.tos[-1]])
    entries = _answer()
    entries[-1]["to"] = recipients.tos[-1]
    assert not _settled(entries, recipients)
    assert _suspects(entries, recipients) == [len(entries) - 1]


def test_a_contradiction_in_a_large_answer_is_reported_at_its_place() -> None:
    recipients = Recipients.of((f"M{i}", f"4179{i:07d}") for i in range(5000))
    reference = {"bulkId": "B1", "messageIds": list(recipients.ids)}
    entries: list[dict[str, Any]] = [
        {"messageId": m, "status": dict(PENDING), "to": to} for m, to in recipients
    ]
    check_accounted({"bulkId": "B1", "messages": copy.deepcopy(entries)}, reference, recipients)
    entries[4321]["status"]["groupId"] = float(2**60)
    with pytest.raises(OutcomeUnknownError) as info:
        check_accounted({"bulkId": "B1", "messages": entries}, reference, recipients)
    assert info.value.details["contradictions"] == [
        "messages[4321].status.groupId: too large to be read exactly"
    ]


def test_recipients_are_two_columns_of_equal_length() -> None:
    recipients = Recipients.of([("M1", "41793026727"), ("M2", "41793026728")])
    assert recipients.ids == ["M1", "M2"]
    assert list(recipients) == [("M1", "41793026727"), ("M2", "41793026728")]
    assert len(recipients) == 2
    with pytest.raises(ValueError, match="as many destinations as messageIds"):
        Recipients(["M1", "M2"], ["41793026727"])


def test_a_bulk_request_lists_each_recipient_in_the_order_sent() -> None:
    from infobip_connector import component

    values = {
        "bulkId": "B1",
        "messages": [
            {
                "from": "InfoSMS",
                "text": "a",
                "destinations": [{"to": "41793026727", "messageId": "M1"}],
            },
            {
                "from": "InfoSMS",
                "text": "b",
                "destinations": [
                    {"to": "+41 79 302 67 28", "messageId": "M2"},
                    {"to": "41793026729", "messageId": "M3"},
                ],
            },
        ],
    }
    request = component.runtime("sendSms").prepare(values)
    assert list(request.recipients) == [
        ("M1", "41793026727"),
        ("M2", "41793026728"),
        ("M3", "41793026729"),
    ]
    assert request.reference["messageIds"] == ["M1", "M2", "M3"]
    assert request.reference["messageIds"] is not request.recipients.ids


def test_a_float_among_statuses_without_numbers_is_not_settled() -> None:
    # The numbers are summed in C; a missing one makes the sum fail, and the types decide.
    entries = _answer()
    entries[2]["status"] = {"name": "PENDING_ACCEPTED"}
    entries[9]["status"]["id"] = float(2**60)
    assert not _settled(entries, RECIPIENTS)
    assert _suspects(entries, RECIPIENTS) == [9]
    # Booleans are no floats: the entry-by-entry test lets them through, and so do columns.
    entries = _answer()
    entries[4]["status"]["groupId"] = True
    assert _suspects(entries, RECIPIENTS) == []


def test_columns_read_each_field_once_and_refuse_what_is_not_an_object() -> None:
    entries = _answer()
    columns = Columns(entries)
    groups = columns.of("status", "groupId")
    assert groups == [1] * len(entries)
    assert columns.of("status", "groupId") is groups
    assert columns.of("to") == RECIPIENTS.tos
    entries[3]["status"] = "PENDING"
    with pytest.raises(TypeError):
        Columns(entries).of("status", "groupId")


def test_rejected_entries_are_found_through_the_columns_or_without_them() -> None:
    rejected = {"groupId": 5, "groupName": "REJECTED", "id": 6, "name": "REJECTED_NETWORK"}
    entries = _answer()
    output = {"bulkId": "B1", "messages": entries}
    assert rejected_messages(output, unrejected(output, Columns(entries))) == []
    assert unrejected(output, Columns(entries)) is entries
    entries[6]["status"] = dict(rejected)
    for status in ("odd", None, _Dict(PENDING), dict(PENDING)):
        entries[8]["status"] = status
        # A status that is not an object: no column to read, the entries are read one by one.
        for columns in (Columns(entries), None, Columns(list(entries))):
            assert unrejected(output, columns) is None
            assert rejected_messages(output, unrejected(output, columns)) == [entries[6]]
    columns = Columns(entries)
    check_accounted(output, {"bulkId": "B1", "messageIds": RECIPIENTS.ids}, RECIPIENTS, columns)
    assert rejected_messages(output, unrejected(output, columns)) == [entries[6]]
    # A REJECTED status of another dict type is found as well.
    entries[6]["status"] = _Dict(rejected)
    assert unrejected(output, Columns(entries)) is None


def test_a_field_the_entries_cannot_hold_is_not_read() -> None:
    entries = _answer()
    entries[3]["messageCount"] = 0
    assert Columns(entries, frozenset({"messageId", "to", "status"})).of("messageCount") == [
        None
    ] * len(entries)
    assert Columns(entries).of("messageCount")[3] == 0


@pytest.mark.parametrize(
    ("action", "declared"), [("sendSms", False), ("sendWhatsappTemplateMessage", True)]
)
def test_a_bulk_answer_is_read_for_the_fields_its_output_declares(
    action: str, declared: bool
) -> None:
    from infobip_connector import component

    runtime = component.runtime(action)
    entries = _answer()
    entries[7]["messageCount"] = 0
    reference = {"bulkId": "B1", "messageIds": RECIPIENTS.ids}
    request = InfobipRequest("POST", "/x", None, reference, recipients=RECIPIENTS)
    body = {"bulkId": "B1", "messages": entries}
    if not declared:
        # Send SMS declares no messageCount: the fitted output drops it, nothing to contradict.
        output = runtime.finish(copy.deepcopy(body), request)
        assert all("messageCount" not in entry for entry in output["messages"])
        return
    with pytest.raises(OutcomeUnknownError) as info:
        runtime.finish(body, request)
    assert info.value.details["contradictions"] == [
        "messages[7].messageCount: not a whole number of 1 or more"
    ]


def test_a_column_is_read_alike_whatever_the_first_entry_holds() -> None:
    import json

    parsed = json.loads(
        '[{"messageId": "a", "to": "1", "status": {"groupId": 1}},'
        ' {"to": "2", "messageId": "b", "status": {"id": 7}},'
        ' {"status": {"groupId": 5, "id": 3}}]'
    )
    orders = (parsed, parsed[::-1], [{"status": {}}, *parsed], [dict(e) for e in parsed])
    for entries in orders:
        columns = Columns(entries)
        for name in ("messageId", "to", "status"):
            assert columns.of(name) == [e.get(name) for e in entries]
        for name in ("groupId", "id"):
            assert columns.of("status", name) == [e["status"].get(name) for e in entries]


def test_a_key_equal_to_the_field_but_not_text_is_not_used_for_the_reads() -> None:
    class Odd(str):
        def __hash__(self) -> int:
            return 0

    first = {Odd("messageId"): "odd", "messageId": "a"}
    assert Columns([first, {"messageId": "b"}]).of("messageId") == ["a", "b"]


def test_columns_of_plain_objects_only_are_plain() -> None:
    from collections import OrderedDict

    assert Columns([{"a": 1}, {"a": 2}]).dicts()
    assert not Columns([]).dicts()
    for odd in (OrderedDict(a=1), [1], None, "a"):
        for where in (0, 1, 2):
            entries: list[Any] = [{"a": 1}, {"a": 2}]
            entries.insert(where, odd)
            assert not Columns(entries).dicts()


# An answer of several blocks (accounting.BLOCK entries each), the last one short.
_MANY = Recipients.of((f"M{i}", f"4179{i:07d}") for i in range(2 * BLOCK + 500))
# The first and last entry of each block.
_EDGES = sorted({0, BLOCK - 1, BLOCK, 2 * BLOCK - 1, 2 * BLOCK, len(_MANY) - 1})


def _many() -> list[Any]:
    return [{"messageId": m, "status": dict(PENDING), "to": to} for m, to in _MANY]


@pytest.mark.parametrize("name", list(SUSPECT))
def test_a_suspect_entry_in_any_block_is_not_settled(name: str) -> None:
    for index in _EDGES:
        entries = _many()
        SUSPECT[name](entries[index])
        if name == "another messageId":  # _set's M8 is an ID of the first block only
            entries[index]["messageId"] = _MANY.ids[index - 1 if index else 1]
        if name == "another destination":
            entries[index]["to"] = _MANY.tos[index - 1 if index else 1]
        assert not _settled(entries, _MANY), index
        assert _suspects(entries, _MANY) == [index]


@pytest.mark.parametrize("name", list(FINE))
def test_an_unusual_entry_in_any_block_is_still_settled(name: str) -> None:
    for index in _EDGES:
        entries = _many()
        FINE[name](entries[index])
        assert _suspects(entries, _MANY) == []


def test_an_answer_of_several_blocks_is_settled_and_its_groups_kept() -> None:
    entries = _many()
    entries[-1]["status"] = {"groupId": 5, "groupName": "REJECTED", "id": 6, "name": "R"}
    columns = Columns(entries)
    assert _settled(entries, _MANY, columns)
    read = [e["status"]["groupId"] for e in entries]
    # Read while settling, block by block, and not read again.
    entries[3]["status"]["groupId"] = 2
    groups = columns.of("status", "groupId")
    assert groups == read
    entries[3]["status"]["groupId"] = 1
    output = {"bulkId": "B1", "messages": entries}
    assert rejected_messages(output, unrejected(output, columns)) == [entries[-1]]
    # One destination sent with "+" in the last block only.
    tos = [*_MANY.tos[:-1], "+" + _MANY.tos[-1]]
    entries[-1]["to"] = tos[-1]
    assert not _settled(entries, Recipients(_MANY.ids, tos))


def test_an_answer_shorter_or_longer_than_the_recipients_is_not_settled() -> None:
    entries = _many()
    assert not _settled(entries[:-1], _MANY)
    assert not _settled(entries[:BLOCK], _MANY)
    assert not _settled([*entries, dict(entries[0])], _MANY)
    few = Recipients(_MANY.ids[:BLOCK], _MANY.tos[:BLOCK])
    assert not _settled(entries, few)
    # Recipients filling whole blocks, and one entry more.
    whole = Recipients(_MANY.ids[: 2 * BLOCK], _MANY.tos[: 2 * BLOCK])
    assert _settled(entries[: 2 * BLOCK], whole)
    assert not _settled(entries[: 2 * BLOCK + 1], whole)


def test_a_column_kept_must_have_a_value_per_entry() -> None:
    columns = Columns(_answer())
    with pytest.raises(ValueError, match="a column of 3 values for 50 entries"):
        columns.keep(("status", "groupId"), [1, 1, 1])
