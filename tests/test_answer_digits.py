"""Infobip's whole numbers keep every digit wherever its JSON is read, and a number past a
double's range costs no other item: sends (sync and async), reads, consumes, polls,
webhooks, error answers and the hosts' results. Trigger items convert by the output rule."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import Any

import httpx
import pytest

from infobip_connector import OutcomeUnknownError, RejectedError, component, safejson
from infobip_connector.sandbox import Fault, Sandbox

from .action_support import CONNECTION, run
from .serve_support import KEY as SERVE_KEY
from .serve_support import Feed, Worker, groups_of, methods_for, request
from .trigger_support import answer, signed

REPORTS = "/sms/3/reports"
INBOX = "/sms/1/inbox/reports"
BIG = 12345678901234567890123
SEND = {"messages": [{"destinations": [{"to": "41793026727", "messageId": "m1"}], "text": "hi"}]}


def _send_answer(status: str) -> bytes:
    return (
        b'{"bulkId":"b","messages":[{"messageId":"m1","to":"41793026727","status":{'
        + status.encode()
        + b"}}]}"
    )


def _mock(body: bytes, status: int = 200) -> httpx.MockTransport:
    return httpx.MockTransport(lambda _: httpx.Response(status, content=body))


def _mock_async(body: bytes, status: int = 200) -> httpx.MockTransport:
    async def handler(_: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body)

    return httpx.MockTransport(handler)


SEND_CASES = [
    # A whole number given for text: its every digit, converted (not a float's text).
    (
        '"groupId":1,"groupName":"PENDING","id":26,"name":"P","description":' + str(BIG),
        "description",
        str(BIG),
    ),
    # Past 64 bits where a whole number is declared: the JSON Schema would pass the float.
    ('"groupId":1,"groupName":"PENDING","id":18446744073709551616,"name":"P"', "id", 2**64),
    (
        '"groupId":-9223372036854775809,"groupName":"PENDING","id":26,"name":"P"',
        "groupId",
        -(2**63) - 1,
    ),
]


@pytest.mark.parametrize(("status", "field", "expected"), SEND_CASES)
def test_a_send_answer_keeps_every_digit(
    status: str, field: str, expected: Any, caplog: pytest.LogCaptureFixture
) -> None:
    values = {**SEND, "bulkId": "b"}
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        output = component.execute(
            "sendSms", values, CONNECTION, transport=_mock(_send_answer(status))
        )
    got = output["messages"][0]["status"][field]
    assert got == expected and type(got) is type(expected)
    assert "kept as given" not in caplog.text


@pytest.mark.parametrize(("status", "field", "expected"), SEND_CASES)
def test_an_async_send_answer_keeps_every_digit(status: str, field: str, expected: Any) -> None:
    values = {**SEND, "bulkId": "b"}
    output = asyncio.run(
        component.execute_async(
            "sendSms", values, CONNECTION, transport=_mock_async(_send_answer(status))
        )
    )
    got = output["messages"][0]["status"][field]
    assert got == expected and type(got) is type(expected)


def test_a_matching_send_answer_holds_nothing_after_its_output() -> None:
    from infobip_connector import digits

    values = {**SEND, "bulkId": "b"}
    status = '"groupId":1,"groupName":"PENDING","id":26,"name":"P"'
    component.execute("sendSms", values, CONNECTION, transport=_mock(_send_answer(status)))
    assert digits._held == {}


def _report(**changed: Any) -> dict[str, Any]:
    return {"bulkId": "b", "messageId": "m", "to": "41793026727", "messageCount": 1, **changed}


def test_a_consumed_answer_keeps_every_digit(account: Sandbox) -> None:
    body = (
        b'{"results":[{"bulkId":"b","messageId":"m","to":12345678901234567890123,'
        b'"messageCount":18446744073709551616}]}'
    )
    account.script("GET", REPORTS, Fault(status=200, body=body))
    output, _ = run("getSmsDeliveryReports", {}, account)
    (report,) = output["results"]
    assert report["to"] == str(BIG)
    assert report["messageCount"] == 2**64 and type(report["messageCount"]) is int


def test_a_number_past_a_double_costs_no_other_consumed_item(
    account: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    body = (
        b'{"results":[{"bulkId":"b","messageId":"m1","to":"41793026727",'
        b'"price":{"pricePerMessage":1e400,"currency":"EUR"}},'
        b'{"bulkId":"b","messageId":"m2","to":"41793026727","messageCount":1}]}'
    )
    account.script("GET", REPORTS, Fault(status=200, body=body))
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        output, _ = run("getSmsDeliveryReports", {}, account)
    assert [r["messageId"] for r in output["results"]] == ["m1", "m2"]
    # Kept as given (its literal, the one JSON-writable form), named by path, not by value.
    assert output["results"][0]["price"]["pricePerMessage"] == "1e400"
    assert "results[0].price.pricePerMessage" in caplog.text and "1e400" not in caplog.text


def test_a_number_past_a_double_in_a_send_answer_is_read(caplog: pytest.LogCaptureFixture) -> None:
    values = {**SEND, "bulkId": "b"}
    status = '"groupId":1,"groupName":"PENDING","id":26,"name":"P","description":1e400'
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        output = component.execute(
            "sendSms", values, CONNECTION, transport=_mock(_send_answer(status))
        )
    # Text was declared, and the literal is text: nothing for the output rule to convert.
    assert output["messages"][0]["status"]["description"] == "1e400"
    assert "outside the range of a double" in caplog.text and "1e400" not in caplog.text
    # Read twice (orjson, then with every digit), told once.
    assert caplog.text.count("outside the range of a double") == 1


@pytest.mark.parametrize(
    "literal", ["1e-400", "-2.5E-401", "0.0000001e-320", "0." + "0" * 330 + "1", "1E-0400"]
)
def test_a_number_too_small_for_a_double_is_kept_as_its_text(
    account: Sandbox, caplog: pytest.LogCaptureFixture, literal: str
) -> None:
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        price = _consumed_price(account, literal)
    # Read as a double it would be 0: a price that is not 0 becoming free without a word.
    assert price == literal
    assert "outside the range of a double" in caplog.text


@pytest.mark.parametrize("literal", ["1e-400", "-1e-400", "0." + "0" * 299 + "1e-99"])
def test_a_number_too_small_for_a_double_in_a_send_answer_is_kept_and_told_once(
    caplog: pytest.LogCaptureFixture, literal: str
) -> None:
    # orjson reads it as 0, a whole number that no output check would question.
    status = '"groupId":' + literal + ',"groupName":"PENDING","id":26,"name":"P"'
    with (
        caplog.at_level(logging.WARNING, "infobip_connector"),
        pytest.raises(OutcomeUnknownError) as info,
    ):
        component.execute(
            "sendSms",
            {**SEND, "bulkId": "b"},
            CONNECTION,
            transport=_mock(_send_answer(status)),
        )
    assert info.value.details["problems"][0]["path"] == "messages[0].status.groupId"
    assert caplog.text.count("outside the range of a double") == 1
    described = '"groupId":1,"groupName":"PENDING","id":26,"name":"P","description":' + literal
    with caplog.at_level(logging.WARNING, "infobip_connector"):
        output = component.execute(
            "sendSms", {**SEND, "bulkId": "b"}, CONNECTION, transport=_mock(_send_answer(described))
        )
    assert output["messages"][0]["status"]["description"] == literal
    assert caplog.text.count("outside the range of a double") == 2


@pytest.mark.parametrize(
    "literal", ["0." + "0" * 299 + "1e-99", "0." + "0" * 299 + "1e-30", "0." + "0" * 120 + "1e-250"]
)
def test_zeros_and_an_exponent_that_add_up_past_a_double_are_kept(
    account: Sandbox, literal: str
) -> None:
    assert _consumed_price(account, literal) == literal


def test_a_recursion_limit_set_during_a_deep_read_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = sys.getrecursionlimit()

    def set_by_another_thread(ranged: list[str], literal: str) -> float:
        # Called for "0.5" while the deep document is read with the limit raised.
        if before + 100 < sys.getrecursionlimit() < before + 5000:
            sys.setrecursionlimit(before + 5000)
        return float(literal)

    monkeypatch.setattr(safejson, "_in_range", set_by_another_thread)
    body = b'{"a":0.5,"b":12345678901234567890123,"junk":' + _nested(1020) + b"}"
    try:
        assert safejson.loads_infobip_digits(body)[0]["b"] == 12345678901234567890123
        assert sys.getrecursionlimit() == before + 5000  # not put back over the other's
    finally:
        sys.setrecursionlimit(before)


def test_a_deep_read_puts_the_recursion_limit_back() -> None:
    before = sys.getrecursionlimit()
    body = b'{"a":12345678901234567890123,"junk":' + _nested(1020) + b"}"
    assert safejson.loads_infobip_digits(body)[0]["a"] == 12345678901234567890123
    assert sys.getrecursionlimit() == before


@pytest.mark.parametrize("literal", ["0e-400", "0.0E-500", "1e-5", "2.5e-99"])
def test_a_zero_or_a_small_number_a_double_holds_is_read_as_a_number(
    account: Sandbox, literal: str
) -> None:
    assert _consumed_price(account, literal) == float(literal)


def _consumed_price(account: Sandbox, literal: str) -> Any:
    """The pricePerMessage of a consumed report whose answer writes it as ``literal``."""
    body = (
        b'{"results":[{"bulkId":"b","messageId":"m1","to":"41793026727",'
        b'"price":{"pricePerMessage":' + literal.encode() + b',"currency":"EUR"}}]}'
    )
    account.script("GET", REPORTS, Fault(status=200, body=body))
    output, _ = run("getSmsDeliveryReports", {}, account)
    return output["results"][0]["price"]["pricePerMessage"]


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("depth", [990, 1023])
def test_a_deeply_nested_answer_keeps_every_digit_and_every_item(depth: int) -> None:
    # The standard library's reader counts nesting against the recursion limit from its
    # caller's depth; orjson takes 1024 levels wherever it is called.
    body = (
        b'{"junk":' + _nested(depth) + b',"results":[{"bulkId":"b","messageId":"m",'
        b'"to":12345678901234567890123,"messageCount":18446744073709551617,'
        b'"price":{"pricePerMessage":1e400,"currency":"EUR"}}]}'
    )
    outputs: list[Any] = []

    def consume() -> None:
        outputs.append(
            component.execute("getSmsDeliveryReports", {}, CONNECTION, transport=_mock(body))
        )

    worker = threading.Thread(target=consume)
    worker.start()
    worker.join()
    (report,) = outputs[0]["results"]
    assert report["to"] == str(BIG)
    assert report["messageCount"] == 2**64 + 1
    assert report["price"]["pricePerMessage"] == "1e400"


def test_an_answer_deeper_than_orjson_takes_is_refused_with_a_number_past_a_double() -> None:
    refused = b'{"a":1e400,"b":' + _nested(safejson.MAX_DEPTH + 1) + b"}"
    with pytest.raises(safejson.JsonError, match="nested deeper than 1024 levels"):
        safejson.loads_infobip_digits(refused)
    kept = b'{"a":1e400,"b":' + _nested(safejson.MAX_DEPTH - 1) + b"}"
    assert safejson.loads_infobip_digits(kept)[0]["a"] == "1e400"


def test_a_poll_keeps_every_digit_and_every_item(account: Sandbox) -> None:
    body = (
        b'{"results":[{"messageId":12345678901234567890123,"from":"41793026727",'
        b'"to":"447860099299","text":"a","price":{"pricePerMessage":1e400}},'
        b'{"messageId":12345678901234567890124,"from":"41793026727","to":"447860099299",'
        b'"text":"b"}],"messageCount":2,"pendingMessageCount":0}'
    )
    account.script("GET", INBOX, Fault(status=200, body=body))
    result = component.poll("newInboundSms", CONNECTION, None, transport=account.transport())
    assert [e["messageId"] for e in result[0]] == [str(BIG + 1)]
    (item,) = result.refused
    assert [e["path"] for e in item["errors"]] == ["results[0].price.pricePerMessage"]
    assert item["item"]["messageId"] == str(BIG)
    assert item["item"]["price"]["pricePerMessage"] == "1e400"


def test_a_webhook_item_past_a_double_is_refused_alone() -> None:
    body = (
        b'{"results":[{"messageId":"a","price":{"pricePerMessage":1e400}},'
        b'{"messageId":"b","price":{"pricePerMessage":0.01}}]}'
    )
    result = answer("smsDeliveryReport", signed(body))
    assert result.status == 200, result.error
    assert [e["messageId"] for e in result.events] == ["b"]
    (item,) = result.refused
    assert item["path"] == "results[0]"
    assert [e["path"] for e in item["errors"]] == ["results[0].price.pricePerMessage"]
    assert item["item"]["price"]["pricePerMessage"] == "1e400"


@pytest.mark.parametrize(
    ("given", "read"),
    [
        ("1", 1),
        ("01", None),
        ("+1", None),
        (" 1", None),
        ("1.0", 1),
        (1.0, 1),
        ("true", None),
    ],
)
def test_a_trigger_item_converts_by_the_output_rule(given: Any, read: Any) -> None:
    body = {"results": [{"messageId": "a", "messageCount": given}, {"messageId": "b"}]}
    _assert_count_read(signed(body), read)


@pytest.mark.parametrize(
    ("literal", "read"),
    [
        (b"9007199254740991.0", 2**53 - 1),
        (b"-9007199254740991e0", 1 - 2**53),
        # From 2^53 a double is not every whole number: which one Infobip meant is unknown.
        (b"9007199254740992.0", None),
        (b"9007199254740993.0", None),
        (b"-9007199254740993e0", None),
        (b"1.2345678901234567e16", None),
    ],
)
def test_a_whole_number_past_a_doubles_precision_is_never_guessed(
    literal: bytes, read: int | None
) -> None:
    body = b'{"results":[{"messageId":"a","messageCount":' + literal + b'},{"messageId":"b"}]}'
    _assert_count_read(signed(body), read)


def _assert_count_read(request: Any, read: int | None) -> None:
    """The first report's messageCount is ``read`` (an int), or (None) that report alone is
    refused at it."""
    result = answer("smsDeliveryReport", request)
    assert result.status == 200, result.error
    if read is None:
        assert [e["messageId"] for e in result.events] == ["b"]
        assert [e["path"] for i in result.refused for e in i["errors"]] == [
            "results[0].messageCount"
        ]
    else:
        count = result.events[0]["messageCount"]
        assert count == read and type(count) is int


def test_a_trigger_item_keeps_text_for_a_float_given_for_text() -> None:
    body = {"results": [{"messageId": 1.5}, {"messageId": "b"}]}
    result = answer("smsDeliveryReport", signed(body))
    assert [e["messageId"] for e in result.events] == ["b"]
    assert result.refused[0]["item"]["messageId"] == 1.5


def test_an_error_answer_keeps_every_digit() -> None:
    body = (
        b'{"requestError":{"serviceException":{"messageId":12345678901234567890123,"text":"no"}}}'
    )
    with pytest.raises(RejectedError) as caught:
        component.execute(
            "sendSms", {**SEND, "bulkId": "b"}, CONNECTION, transport=_mock(body, 400)
        )
    assert caught.value.details["messageId"] == BIG


def test_serve_writes_every_digit_of_a_result() -> None:
    account = Sandbox(SERVE_KEY, deliver_reports=False)
    body = b'{"results":[{"bulkId":"b","messageId":"m","messageCount":18446744073709551617}]}'
    account.script("GET", REPORTS, Fault(status=200, body=body))
    written: list[bytes] = []
    worker = Worker(methods_for(account.transport()), written.append, max_in_flight=1, grace=5.0)
    line = request(1, "execute", action="getSmsDeliveryReports", input={}) + b"\n"
    asyncio.run(worker.serve(Feed(groups_of(line, 1 << 20))))
    (reply,) = b"".join(written).splitlines()
    assert b'"messageCount":18446744073709551617' in reply, reply


def test_the_digit_reader_is_as_strict_as_json_but_for_range() -> None:
    for refused in (b'{"a":NaN}', b'{"a":Infinity}', b'{"a":1e400', b'{"a":1e400}x'):
        with pytest.raises(safejson.JsonError):
            safejson.loads_answer(refused)
        with pytest.raises(safejson.JsonError):
            safejson.loads_send_answer(refused)
    # orjson stops at a number past a double's range: that answer is read with every digit.
    assert safejson.loads_send_answer(b'{"a":-1e400}') == ({"a": "-1e400"}, True)
    assert safejson.loads_send_answer(b'{"a":-1e3}') == ({"a": -1000.0}, False)
    assert safejson.loads_answer(b'{"a":1e400,"b":"\\ud800"}') == (
        {"a": "1e400", "b": "\ufffd"},
        1,
    )


def test_an_options_answer_with_a_number_past_a_double_is_read() -> None:
    sender = "447860099299"
    sandbox = Sandbox(api_key=SERVE_KEY, deliver_reports=False)
    body = (
        b'{"templates":[{"name":"order_update","language":"en","status":"APPROVED",'
        b'"id":12345678901234567890123,"quality":1e400}]}'
    )
    sandbox.script("GET", f"/whatsapp/2/senders/{sender}/templates", Fault(status=200, body=body))
    values = {"messages": [{"from": sender, "content": {}}]}
    got = component.options(
        "sendWhatsappTemplateMessage",
        "messages[].content.templateName",
        values,
        {"token": SERVE_KEY},
        transport=sandbox.transport(),
    )
    assert [o["value"] for o in got] == ["order_update"]
