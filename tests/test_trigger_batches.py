"""One item never costs a batch: undecodable text, big numbers and strict fields, JSON and XML,
webhook and poll, in the Python API, the CLI and ``serve``."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from infobip_connector import component
from infobip_connector.sandbox import Fault, Sandbox
from infobip_connector.sandbox.people import NotUnicodeError

from .action_support import CONNECTION, run
from .sandbox_support import client_for
from .serve_support import KEY as SERVE_KEY
from .serve_support import request
from .test_serve_triggers import serve
from .trigger_support import answer, signed

INBOX = "/sms/1/inbox/reports"
#: Two inbound messages, the second with a lone surrogate escape (``\ud800``) in its text.
LONE = (
    b'{"results":[{"messageId":"lone-a","text":"fine"},'
    b'{"messageId":"lone-b","text":"x\\ud800y"}],"messageCount":2,"pendingMessageCount":0}'
)


# -- the sandbox makes no message Infobip could not deliver -------------------------------------


def test_the_sandbox_refuses_a_lone_surrogate_from_python() -> None:
    sandbox = Sandbox(report_delay=0.0)
    with pytest.raises(NotUnicodeError) as caught:
        sandbox.receive_sms("41793026727", "447860099299", "x\ud800y")
    assert caught.value.path == "text"
    with pytest.raises(NotUnicodeError) as caught:
        sandbox.receive_whatsapp("41793026727", "447860099299", "hi", contact_name="\udc00")
    assert caught.value.path == "contact_name"
    assert list(sandbox.ledger.inbox) == []


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_the_sandbox_refuses_a_lone_surrogate_over_http(channel: str) -> None:
    sandbox = Sandbox(report_delay=0.0)
    body = b'{"from":"41793026727","to":"447860099299","text":"a\\ud83d"}'
    for http in client_for(sandbox, "transport"):
        refused = http.post(
            f"/sandbox/1/inbound/{channel}",
            content=body,
            headers={"Content-Type": "application/json"},
        )
        assert refused.status_code == 400
        problems = refused.json()["requestError"]["serviceException"]["validationErrors"]
        assert set(problems) == {"text"}
    assert list(sandbox.ledger.inbox) == []


# -- a lone surrogate Infobip sends anyway: U+FFFD in that field, said in the log ---------------


def test_a_webhook_body_with_a_lone_surrogate_delivers_every_event(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        result = answer("newInboundSms", signed(LONE))
    assert result.status == 200, result.error
    assert [e["text"] for e in result.events] == ["fine", "x\ufffdy"]
    assert "U+FFFD" in caplog.text


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (b"\\udc00", "\ufffd"),  # a lone low surrogate
        (b"\\ud800\\u0041", "\ufffdA"),  # a high one followed by no low one
        (b"\\ud83d\\ude00", "\U0001f600"),  # a pair is kept
        (b"\\\\ud800", "\\ud800"),  # an escaped backslash: no surrogate at all
        (b"\xff\xfe", "\ufffd\ufffd"),  # bytes that are not UTF-8
    ],
)
def test_only_the_undecodable_characters_are_replaced(text: bytes, read: str) -> None:
    body = b'{"results":[{"messageId":"u-1","text":"' + text + b'"}]}'
    result = answer("newInboundSms", signed(body))
    assert result.status == 200 and [e["text"] for e in result.events] == [read]


def test_an_xml_body_with_a_surrogate_reference_delivers_every_event() -> None:
    xml = (
        b"<r><results><result><messageId>x-1</messageId><sender>&#xD800;</sender></result>"
        b"<result><messageId>x-2</messageId><sender>&#55296;</sender></result></results></r>"
    ) + b"<!-- \xff -->"
    result = answer("smsDeliveryReport", signed(xml, kind="application/xml"))
    assert result.status == 200, result.error
    assert [(e["messageId"], e["sender"]) for e in result.events] == [
        ("x-1", "\ufffd"),
        ("x-2", "\ufffd"),
    ]


def test_a_poll_answer_with_a_lone_surrogate_loses_no_item(account: Sandbox) -> None:
    account.script("GET", INBOX, Fault(status=200, body=LONE))
    events, _ = component.poll("newInboundSms", CONNECTION, None, transport=account.transport())
    assert [e["text"] for e in events] == ["fine", "x\ufffdy"]


def test_an_action_answer_with_a_lone_surrogate_is_read(account: Sandbox) -> None:
    account.script("GET", INBOX, Fault(status=200, body=LONE))
    output, _ = run("getInboundSms", {}, account)
    assert [item["text"] for item in output["results"]] == ["fine", "x\ufffdy"]


# -- big numbers keep every digit; XML as strict as JSON ----------------------------------------


def test_big_numeric_message_ids_keep_every_digit_and_stay_apart() -> None:
    body = (
        b'{"results":[{"messageId":12345678901234567890123},{"messageId":12345678901234567890124}]}'
    )
    result = answer("newInboundSms", signed(body))
    assert [e["messageId"] for e in result.events] == [
        "12345678901234567890123",
        "12345678901234567890124",
    ]
    xml = (
        b"<r><results><result><messageId>12345678901234567890123</messageId></result></results></r>"
    )
    (event,) = answer("smsDeliveryReport", signed(xml, kind="application/xml")).events
    assert event["messageId"] == "12345678901234567890123"


@pytest.mark.parametrize(
    ("inner", "path"),
    [
        ("<status>DELIVERED</status>", "results[0].status"),
        ("<sender>a<b>c</b>d</sender>", "results[0].sender"),
        (
            "<price><pricePerMessage>\u0661\u0662</pricePerMessage></price>",
            "results[0].price.pricePerMessage",
        ),
        (
            "<price><pricePerMessage>1_000</pricePerMessage></price>",
            "results[0].price.pricePerMessage",
        ),
        (
            "<price><pricePerMessage>inf</pricePerMessage></price>",
            "results[0].price.pricePerMessage",
        ),
        ("<messageCount>+1</messageCount>", "results[0].messageCount"),
        ("<status><id>yes</id></status>", "results[0].status.id"),
    ],
)
def test_a_wrong_typed_xml_field_is_refused_at_its_path_as_in_json(inner: str, path: str) -> None:
    xml = f"<r><results><result><messageId>s-1</messageId>{inner}</result></results></r>"
    result = answer("smsDeliveryReport", signed(xml, kind="application/xml"))
    assert result.status == 200 and result.events == []
    assert [e["path"] for item in result.refused for e in item["errors"]] == [path]


# -- the hosts give the refused items too --------------------------------------------------------


def test_serve_poll_returns_the_refused_items() -> None:
    account = Sandbox(SERVE_KEY, deliver_reports=False)
    good = {"messageId": "s-ok", "from": "41793026727", "to": "447860099299", "text": "ok"}
    body = {"results": [good, {"messageId": ""}], "messageCount": 2, "pendingMessageCount": 0}
    account.script("GET", INBOX, Fault(status=200, body=body))
    [reply] = serve(request(1, "poll", trigger="newInboundSms"), sandbox=account).values()
    result = reply["result"]
    assert [e["messageId"] for e in result["events"]] == ["s-ok"]
    assert result["refused"] == [
        {
            "path": "results[1]",
            "errors": [{"path": "results[1].messageId", "message": "is required"}],
            "item": {"messageId": ""},
        }
    ]


def test_cli_poll_prints_the_events_and_the_refused_items_on_stderr(
    account: Sandbox, tmp_path: Path
) -> None:
    from infobip_connector.hosts.pollcmd import poll_once

    good = {"messageId": "c-ok", "from": "41793026727", "to": "447860099299", "text": "ok"}
    body = {"results": [{"messageId": 5, "text": []}, good], "messageCount": 2}
    account.script("GET", INBOX, Fault(status=200, body=body))
    state = tmp_path / "state.json"
    out, err = _Out(), _Out()
    printed = poll_once(
        component, "newInboundSms", str(state), CONNECTION, account.transport(), out, err
    )
    assert printed == 1 and "c-ok" in "".join(out.lines)
    refused = [json.loads(line) for line in "".join(err.lines).splitlines() if line]
    assert [r["refused"]["path"] for r in refused] == ["results[0]"]
    assert refused[0]["refused"]["item"] == {"messageId": 5, "text": []}
    assert state.exists()


class _Out:
    """A text stream that keeps what is written (``jsonout`` writes bytes when it can)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.lines.append(text)
        return len(text)

    def flush(self) -> None:
        pass
