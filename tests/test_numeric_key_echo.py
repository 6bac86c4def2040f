"""A key of digits alone, echoed by Infobip as a JSON number, is masked like one echoed as
text: answers keep every digit of a whole number, so such an echo would show the key whole."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.errors import ConnectorError

KEY = "123456789012345678901234"
CONNECTION = {"token": KEY, "baseUrl": "https://xyz.api.infobip.com"}
SEND = {
    "bulkId": "b",
    "messages": [{"destinations": [{"to": "41793026727", "messageId": "m1"}], "text": "hi"}],
}
STATUS = '"groupId":1,"groupName":"PENDING","id":26,"name":"P","description":"d"'


def _answering(body: str, status: int = 200, key: str = KEY) -> httpx.MockTransport:
    """Infobip answering ``body`` with each ``@@`` replaced by ``key``, as a JSON number."""
    content = body.replace("@@", key).encode()
    return httpx.MockTransport(lambda _: httpx.Response(status, content=content))


@pytest.mark.parametrize(
    ("action", "values", "body"),
    [
        ("getSmsLogs", {}, '{"results":[{"messageId":"x","destination":@@}]}'),
        ("getScheduledSmsStatus", {"bulkId": "B"}, '{"bulkId":"B","status":@@}'),
        (
            "sendSms",
            SEND,
            '{"bulkId":"b","messages":[{"messageId":"m1","to":"41793026727",'
            '"status":{' + STATUS + ',"action":@@}}]}',
        ),
    ],
)
def test_a_key_echoed_as_a_number_is_masked_in_the_output(
    action: str, values: dict[str, Any], body: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        output = component.execute(action, values, CONNECTION, transport=_answering(body))
    assert KEY not in repr(output)
    assert "***" in repr(output)
    assert KEY not in caplog.text


def test_a_key_echoed_as_a_number_is_masked_in_an_error() -> None:
    body = '{"requestError":{"serviceException":{"messageId":"BAD","text":@@}}}'
    with pytest.raises(ConnectorError) as info:
        component.execute("getSmsLogs", {}, CONNECTION, transport=_answering(body, 400))
    shown = repr(info.value.details) + info.value.message + str(info.value.to_dict())
    assert KEY not in shown and "***" in shown


def test_a_key_echoed_as_a_number_is_masked_in_a_refused_poll_item() -> None:
    body = (
        '{"results":[{"messageId":"x","from":"41793026727","to":"447860099299","text":"a",'
        '"smsCount":@@}],"messageCount":1,"pendingMessageCount":0}'
    )
    result = component.poll("newInboundSms", CONNECTION, None, transport=_answering(body))
    assert KEY not in repr(result.refused) and "***" in repr(result.refused)


def test_numbers_that_do_not_spell_the_key_are_kept() -> None:
    body = '{"results":[{"messageId":"x","destination":@@}]}'
    transport = _answering(body, key=KEY[:-1])
    output = component.execute("getSmsLogs", {}, CONNECTION, transport=transport)
    assert output["results"][0]["destination"] == KEY[:-1]


def test_a_short_key_echoed_as_a_fraction_is_masked() -> None:
    key = KEY[:16]  # the shortest key: a double holds all its digits
    body = '{"results":[{"messageId":"x","destination":@@.0}]}'
    connection = {**CONNECTION, "token": key}
    transport = _answering(body, key=key)
    output = component.execute("getSmsLogs", {}, connection, transport=transport)
    assert key not in repr(output) and "***" in repr(output)


@pytest.mark.parametrize(
    "spelling", ["1.234567890123456e15", "12345678901234560e-1", "1234567890123456E0", "-@@.0"]
)
def test_a_key_echoed_as_a_number_in_another_form_is_masked(spelling: str) -> None:
    key = KEY[:16]
    connection = {**CONNECTION, "token": key}
    read = '{"results":[{"messageId":"x","destination":' + spelling + "}]}"
    output = component.execute("getSmsLogs", {}, connection, transport=_answering(read, key=key))
    assert output["results"][0]["destination"] == "***"
    polled = (
        '{"results":[{"messageId":"x","from":"41793026727","to":"447860099299","text":"a",'
        '"smsCount":' + spelling + '}],"messageCount":1,"pendingMessageCount":0}'
    )
    result = component.poll(
        "newInboundSms", connection, None, transport=_answering(polled, key=key)
    )
    assert key not in repr(result.events) + repr(result.refused)
    sent = (
        '{"bulkId":"b","messages":[{"messageId":"m1","to":"41793026727",'
        '"status":{' + STATUS + ',"action":' + spelling + "}}]}"
    )
    output = component.execute("sendSms", SEND, connection, transport=_answering(sent, key=key))
    assert output["messages"][0]["status"]["action"] == "***"
