"""A key's IDs name what is sent: a changed message gets a new ID, an unchanged one its old ID.

The same key and the same values give byte-identical IDs (tests/test_idempotency_keys.py);
here, what may and may not move them, what that means with idempotent sending on, and an
execution that repeats an earlier one (``repeated=True``, a retried Airflow task).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from infobip_connector import ConnectorError, OutcomeUnknownError, component
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .action_support import CONNECTION, fast_retries
from .conftest import CANARY
from .sandbox_support import KEY
from .test_reliability_faults import AMBIGUOUS

SMS_PATH = "/sms/2/text/advanced"
RUN_KEY = "dag=billing/task=notify/run=2026-11-30T07:00:00+00:00"
CONFIRMED = "confirmedByDuplicateRejection"
SMS = {
    "messages": [
        {
            "destinations": [{"to": "41793026727"}, {"to": "385912345678"}],
            "text": "Your order shipped",
            "from": "InfoSMS",
        },
        {"destinations": [{"to": "447911123456"}], "text": "Hi", "validityPeriod": 60},
    ]
}
ON = {**CONNECTION, "idempotentSending": True}


def _send(
    values: Any,
    sandbox: Sandbox | None = None,
    connection: dict[str, Any] = CONNECTION,
    **options: Any,
) -> dict[str, Any]:
    account = sandbox or Sandbox(KEY, deliver_reports=False)
    options.setdefault("idempotency_key", RUN_KEY)
    return component.execute(
        "sendSms", values, connection, transport=account.transport(), **options
    )


def _by_recipient(output: dict[str, Any]) -> dict[str, list[str]]:
    """Recipient → its messageIds, in output order."""
    found: dict[str, list[str]] = {}
    for entry in output["messages"]:
        found.setdefault(entry["to"], []).append(entry["messageId"])
    return found


def _changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    values = copy.deepcopy(SMS)
    change(values)
    return values


def _set(*path: Any) -> Callable[[dict[str, Any]], None]:
    *where, name, value = path

    def change(values: dict[str, Any]) -> None:
        target = values
        for step in where:
            target = target[step]
        target[name] = value

    return change


# Each changes the first message (its first recipient for "to"): that message must get a new
# ID, and the request a new bulkId.
FIRST_MESSAGE_CHANGES = [
    pytest.param(_set("messages", 0, "text", "Your order was CANCELLED"), id="text"),
    pytest.param(_set("messages", 0, "from", "Other"), id="sender"),
    pytest.param(_set("messages", 0, "destinations", 0, "to", "41793026728"), id="recipient"),
    pytest.param(_set("messages", 0, "validityPeriod", 30), id="option added"),
    pytest.param(_set("messages", 0, "flash", True), id="flash"),
    pytest.param(_set("messages", 0, "notifyUrl", "https://example.com/dlr"), id="notifyUrl"),
    pytest.param(_set("messages", 0, "sendAt", "2026-12-24T08:00:00Z"), id="scheduled"),
    pytest.param(_set("messages", 0, "callbackData", "order=1"), id="callbackData"),
]


@pytest.mark.parametrize("change", FIRST_MESSAGE_CHANGES)
def test_a_changed_message_gets_a_new_id_the_others_keep_theirs(
    change: Callable[[dict[str, Any]], None],
) -> None:
    before = _send(SMS)
    after = _send(_changed(change))
    assert after["bulkId"] != before["bulkId"]
    ids_before = [m["messageId"] for m in before["messages"]]
    ids_after = [m["messageId"] for m in after["messages"]]
    assert ids_after[0] != ids_before[0]
    assert ids_after[2] == ids_before[2]  # the second message is unchanged


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(_set("sendingSpeedLimit", {"amount": 10, "timeUnit": "MINUTE"}), id="speed"),
        pytest.param(_set("tracking", {"track": "SMS", "type": "ONE_TIME_PIN"}), id="tracking"),
        pytest.param(_set("urlOptions", {"shortenUrl": True}), id="urlOptions"),
    ],
)
def test_a_change_for_every_message_changes_every_id(
    change: Callable[[dict[str, Any]], None],
) -> None:
    before, after = _send(SMS), _send(_changed(change))
    assert after["bulkId"] != before["bulkId"]
    assert {m["messageId"] for m in before["messages"]}.isdisjoint(
        m["messageId"] for m in after["messages"]
    )


def test_what_does_not_change_the_message_does_not_change_its_id() -> None:
    """Member order and how a number is written: the same bytes go to Infobip."""
    written_otherwise = {
        "messages": [
            {
                "from": "InfoSMS",
                "text": "Your order shipped",
                "destinations": [{"to": "+41 79 302 67 27"}, {"to": "+385 91 234 5678"}],
            },
            {"validityPeriod": 60, "text": "Hi", "destinations": [{"to": "+44 7911 123456"}]},
        ]
    }
    first, again = _send(SMS), _send(written_otherwise)
    assert again["bulkId"] == first["bulkId"]
    assert _by_recipient(again) == _by_recipient(first)


def test_ids_follow_the_recipients_not_their_places() -> None:
    first = _send(SMS)
    reordered = copy.deepcopy(SMS)
    reordered["messages"].reverse()
    reordered["messages"][1]["destinations"].reverse()
    moved = _send(reordered)
    assert _by_recipient(moved) == _by_recipient(first)
    # The request as a whole changed (its order): its bulkId follows it.
    assert moved["bulkId"] != first["bulkId"]
    # A recipient removed: the others keep their IDs, none takes the removed one's.
    fewer = copy.deepcopy(SMS)
    del fewer["messages"][0]["destinations"][0]
    left = _by_recipient(_send(fewer))
    assert left == {to: ids for to, ids in _by_recipient(first).items() if to != "41793026727"}


def test_the_same_message_twice_gets_two_ids_and_keeps_them() -> None:
    twice = {"messages": [{"destinations": [{"to": "41793026727"}] * 2, "text": "Hi"}]}
    first, again = _send(twice), _send(twice)
    (ids,) = _by_recipient(first).values()
    assert len(set(ids)) == 2
    assert _by_recipient(again) == _by_recipient(first)


def test_whatsapp_messages_are_named_by_their_content_too() -> None:
    text = {"from": "441134960000", "to": "441134960001", "content": {"text": "Hello"}}
    account = Sandbox(KEY, deliver_reports=False)

    def whatsapp(values: dict[str, Any]) -> str:
        output = component.execute(
            "sendWhatsappTextMessage",
            values,
            CONNECTION,
            transport=account.transport(),
            idempotency_key=RUN_KEY,
        )
        message_id: str = output["messageId"]
        return message_id

    first = whatsapp(text)
    assert whatsapp(copy.deepcopy(text)) == first
    assert whatsapp({**text, "content": {"text": "Goodbye"}}) != first
    assert whatsapp({**text, "to": "441134960002"}) != first


def test_whatsapp_template_messages_follow_their_content() -> None:
    def template(to: str, name: str) -> dict[str, Any]:
        return {
            "from": "441134960000",
            "to": to,
            "content": {
                "templateName": "welcome",
                "language": "en",
                "templateData": {"body": {"placeholders": [name]}},
            },
        }

    account = Sandbox(KEY, deliver_reports=False)

    def ids(*messages: dict[str, Any]) -> dict[str, str]:
        output = component.execute(
            "sendWhatsappTemplateMessage",
            {"messages": list(messages)},
            CONNECTION,
            transport=account.transport(),
            idempotency_key=RUN_KEY,
        )
        return {m["to"]: m["messageId"] for m in output["messages"]}

    ann, bob = template("441134960001", "Ann"), template("441134960002", "Bob")
    first = ids(ann, bob)
    assert ids(bob, ann) == first  # reordered: each keeps its ID
    changed = ids(ann, template("441134960002", "Robert"))
    assert changed["441134960001"] == first["441134960001"]
    assert changed["441134960002"] != first["441134960002"]


# ---------------------------------------------------------------- a key reused with new content


def test_a_key_reused_with_changed_content_sends_the_new_message() -> None:
    """The account refuses repeated IDs: the changed message is a new one, not a duplicate."""
    account = Sandbox(KEY, deliver_reports=False, idempotent_sending=True)
    _send(SMS, account)
    changed = _changed(_set("messages", 0, "text", "Your order was CANCELLED"))
    output = _send(changed, account)
    statuses = [m["status"] for m in output["messages"]]
    # The changed message's two recipients are sent; the unchanged one is a true duplicate.
    assert [s["groupName"] for s in statuses[:2]] == ["PENDING", "PENDING"]
    assert statuses[2]["name"] == "REJECTED_DUPLICATE_MESSAGE_ID"
    texts = Counter(m.text for m in account.accepted_messages)
    assert texts == Counter({"Your order shipped": 2, "Your order was CANCELLED": 2, "Hi": 1})


@pytest.mark.parametrize("repeated", [False, True], ids=["a new run", "a repeated run"])
def test_a_changed_message_is_never_confirmed_by_the_earlier_ones_duplicate(
    repeated: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With idempotent sending, the retry of a changed message must not be taken as accepted."""
    fast_retries(monkeypatch)
    account = Sandbox(KEY, deliver_reports=False, idempotent_sending=True)
    shipped = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Shipped"}]}
    cancelled = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "CANCELLED"}]}
    _send(shipped, account, ON)
    account.script("POST", SMS_PATH, Fault(status=503))
    output = _send(cancelled, account, ON, repeated=repeated)
    assert CONFIRMED not in output
    # Sent now (Infobip's usual PENDING_ACCEPTED), not confirmed as sent earlier.
    assert "duplicate" not in output["messages"][0]["status"]["description"]
    assert [m.text for m in account.accepted_messages] == ["Shipped", "CANCELLED"]


# ---------------------------------------------------------------- an execution repeated


def test_a_repeated_execution_reports_what_the_earlier_one_sent_as_accepted() -> None:
    account = Sandbox(KEY, deliver_reports=False, idempotent_sending=True)
    first = _send(SMS, account, ON)
    again = _send(SMS, account, ON, repeated=True)
    ids = [m["messageId"] for m in first["messages"]]
    assert again[CONFIRMED] == ids
    assert [m["status"]["name"] for m in again["messages"]] == ["PENDING_ACCEPTED"] * 3
    assert "same idempotency key" in again["messages"][0]["status"]["description"]
    assert Counter(m.message_id for m in account.accepted_messages) == Counter(ids)


def test_only_ids_derived_from_the_key_are_confirmed() -> None:
    """An ID the user gave may have been used by anything: its duplicate stays a rejection."""
    account = Sandbox(KEY, deliver_reports=False, idempotent_sending=True)
    values = copy.deepcopy(SMS)
    values["messages"][1]["destinations"][0]["messageId"] = "given-1"
    first = _send(values, account, ON)
    again = _send(values, account, ON, repeated=True)
    statuses = [m["status"]["name"] for m in again["messages"]]
    assert statuses == ["PENDING_ACCEPTED", "PENDING_ACCEPTED", "REJECTED_DUPLICATE_MESSAGE_ID"]
    assert again[CONFIRMED] == [m["messageId"] for m in first["messages"][:2]]


@pytest.mark.parametrize(
    ("connection", "options"),
    [
        pytest.param(CONNECTION, {"repeated": True}, id="idempotentSending off"),
        pytest.param(ON, {}, id="not a repeat"),
        pytest.param(ON, {"repeated": True, "idempotency_key": None}, id="no key"),
    ],
)
def test_otherwise_a_duplicate_stays_a_rejection(
    connection: dict[str, Any], options: dict[str, Any]
) -> None:
    account = Sandbox(KEY, deliver_reports=False, idempotent_sending=True)
    values = copy.deepcopy(SMS)
    if options.get("idempotency_key", RUN_KEY) is None:
        values["bulkId"] = "b-1"
        for n, message in enumerate(values["messages"]):
            for m, destination in enumerate(message["destinations"]):
                destination["messageId"] = f"m-{n}-{m}"
    _send(values, account, connection, **options)
    again = _send(values, account, connection, **options)
    assert CONFIRMED not in again
    names = {m["status"]["name"] for m in again["messages"]}
    assert names == {"REJECTED_DUPLICATE_MESSAGE_ID"}


def test_the_async_path_confirms_a_repeat_alike() -> None:
    import asyncio

    account = Sandbox(KEY, deliver_reports=False, idempotent_sending=True)
    first = _send(SMS, account, ON)
    again = asyncio.run(
        component.execute_async(
            "sendSms",
            SMS,
            ON,
            transport=account.transport(),
            idempotency_key=RUN_KEY,
            repeated=True,
        )
    )
    assert again[CONFIRMED] == [m["messageId"] for m in first["messages"]]


# ---------------------------------------------------------------- the fault matrix, two runs


@pytest.mark.parametrize("change", [False, True], ids=["same input", "one message changed"])
@pytest.mark.parametrize("fault", AMBIGUOUS)
def test_a_run_repeated_after_any_ambiguous_fault_delivers_each_message_once(
    fault: Fault, change: bool, sandbox: Sandbox, server: SandboxServer
) -> None:
    """A run ends ``outcome_unknown`` (one attempt), the engine runs it again with the key.

    Every message is delivered exactly once: one the first run got accepted is confirmed by
    the repeat's duplicate rejection, one it did not is sent by the repeat, and a message
    changed in between is a new message, sent, never confirmed by the old one's duplicate.
    """
    sandbox.set_idempotent_sending(True)
    connection = {
        "token": CANARY,
        "baseUrl": server.url,
        "readTimeout": 0.5,
        "deadline": 2.0,
        "maxAttempts": 1,
        "idempotentSending": True,
    }
    sandbox.script("POST", SMS_PATH, fault)
    with pytest.raises(ConnectorError) as first:
        component.execute("sendSms", SMS, connection, idempotency_key=RUN_KEY)
    assert isinstance(first.value, OutcomeUnknownError)
    first_ids: list[str] = first.value.details["messageIds"]
    values = _changed(_set("messages", 1, "text", "Hi again")) if change else SMS
    output = component.execute(
        "sendSms", values, connection, idempotency_key=RUN_KEY, repeated=True
    )
    ids = [m["messageId"] for m in output["messages"]]
    assert ids[:2] == first_ids[:2] and (ids[2] != first_ids[2]) is change
    assert {m["status"]["groupName"] for m in output["messages"]} == {"PENDING"}
    delivered = Counter(m.message_id for m in sandbox.accepted_messages)
    assert all(n == 1 for n in delivered.values())
    assert set(ids) <= set(delivered)
    accepted_first = fault.process
    expected_confirmed = (first_ids if not change else first_ids[:2]) if accepted_first else None
    assert output.get(CONFIRMED) == expected_confirmed
    texts = Counter(m.text for m in sandbox.accepted_messages)
    assert texts["Your order shipped"] == 2
    assert texts["Hi again"] == (1 if change else 0)
