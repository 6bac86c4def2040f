"""IDs that Infobip's SMS logs would split at a comma are refused, sent or filtered by.

``GET /sms/3/logs`` reads its ``bulkId``, ``messageId`` and ``campaignReferenceId`` filters as
"multiple comma-separated values": a message sent with ``m,1`` could never be found again (the
delivery sensor and the ``outcome_unknown`` advice both look messages up there).
"""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.definition.model import walk
from infobip_connector.sandbox import Sandbox

CONNECTION = {"token": "comma-key-0123456789", "baseUrl": "https://api.infobip.com"}
#: The filters Infobip splits at commas (the OpenAPI description of ``GET /sms/3/logs``).
SPLIT_FILTERS = ("bulkId", "messageId", "campaignReferenceId")


def _errors(action: str, values: dict[str, Any]) -> list[dict[str, str]]:
    with pytest.raises(InputError) as caught:
        component.validate_input(action, values)
    return caught.value.errors


def _sms(bulk_id: str | None, *message_ids: str) -> dict[str, Any]:
    destinations = [
        {"to": f"4179302{i:04d}", "messageId": m} for i, m in enumerate(message_ids, start=6727)
    ]
    values: dict[str, Any] = {"messages": [{"destinations": destinations, "text": "hi"}]}
    if bulk_id is not None:
        values["bulkId"] = bulk_id
    return values


def test_the_rule_is_declared_on_every_split_filter_and_every_sms_id_sent() -> None:
    logs = component.definition.action("getSmsLogs")
    for prop in logs.properties:
        if prop.name in SPLIT_FILTERS:
            assert prop.items is not None and "noComma" in prop.items.rules, prop.name
    # Whatever Send SMS sends under a filter's name is looked up with it.
    sent = [
        (path, prop)
        for path, prop in walk(component.definition.action("sendSms").as_property())
        if path and path[-1] in SPLIT_FILTERS
    ]
    assert len(sent) >= 2
    for path, prop in sent:
        assert "noComma" in prop.rules, path


def test_a_send_with_a_comma_in_its_bulk_or_message_id_is_refused_by_path() -> None:
    errors = _errors("sendSms", _sms("x,y", "m,1", "m2"))
    assert sorted(e["path"] for e in errors) == ["bulkId", "messages[0].destinations[0].messageId"]
    assert all("comma" in e["message"] and "looked up" in e["message"] for e in errors)


def test_a_bulk_of_many_recipients_names_each_id_with_a_comma() -> None:
    ids = [f"m-{i}" for i in range(2000)]
    ids[7], ids[1500] = "m,7", "m,1500"
    errors = _errors("sendSms", _sms(None, *ids))
    assert [e["path"] for e in errors] == [
        "messages[0].destinations[7].messageId",
        "messages[0].destinations[1500].messageId",
    ]


def test_a_valid_bulk_of_many_recipients_still_passes() -> None:
    values = component.validate_input("sendSms", _sms(None, *[f"m-{i}" for i in range(2000)]))
    assert len(values["messages"][0]["destinations"]) == 2000


@pytest.mark.parametrize("name", SPLIT_FILTERS)
def test_a_log_filter_item_with_a_comma_is_refused_at_its_place(name: str) -> None:
    errors = _errors("getSmsLogs", {name: ["a", "b,c"]})
    assert [e["path"] for e in errors] == [f"{name}[1]"]


def test_nothing_is_sent_and_the_sandbox_never_logs_such_an_id() -> None:
    sandbox = Sandbox(CONNECTION["token"], deliver_reports=False)
    with pytest.raises(InputError):
        component.execute("sendSms", _sms("x,y", "m1"), CONNECTION, transport=sandbox.transport())
    assert sandbox.requests == []


def test_ids_other_actions_do_not_look_up_in_the_logs_may_hold_a_comma() -> None:
    # WhatsApp messages are not in the SMS logs, and the delivery reports and scheduled-bulk
    # endpoints take one ID each: Infobip does not split them.
    component.validate_input(
        "sendWhatsappTextMessage",
        {"from": "447860099299", "to": "41793026727", "messageId": "w,1", "content": {"text": "x"}},
    )
    component.validate_input("getSmsDeliveryReports", {"messageId": "m,1"})
