"""Secrets a request body carries (a webhook's Basic password or HMAC secret, sent as
``HiddenStr`` when registering it) are masked like the API key in whatever Infobip's answer
echoes: the error's message and details, the log records, a success answer; whatever the
secret's length."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.errors import ConnectorError
from infobip_connector.masking import held_of, may_hold
from infobip_connector.redaction import register_secret, scrub_answer, scrub_known_keys
from infobip_connector.sandbox import Fault, Sandbox

CONNECTION = {"token": "sandbox-key-for-local-tests", "baseUrl": "https://api.infobip.com"}
URL = "https://hooks.example.com/infobip/inbound"

SECRET = "HMAC-CANARY-SECRET-123456"
SHORT = "pw-9x"  # shorter than any API key: masked all the same


@pytest.mark.parametrize(
    ("security", "secret"),
    [
        ({"hmacSecret": SECRET}, SECRET),
        ({"basicAuth": {"username": "u", "password": SHORT}}, SHORT),
    ],
)
@pytest.mark.parametrize("status", [400, 500])
def test_a_secret_echoed_by_infobip_is_masked_like_the_key(
    security: dict[str, Any], secret: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    key = "sandbox-key-for-local-tests-CANARY"
    answer = {
        "requestError": {
            "serviceException": {
                "messageId": "BAD_REQUEST",
                "text": f"bad {key} / {secret}",
                "validationErrors": {"profile.security.credentials": [f"{secret} is weak"]},
            }
        }
    }
    sandbox = Sandbox(deliver_reports=False)
    sandbox.script("POST", "/subscriptions/1/subscription/SMS", Fault(status=status, body=answer))
    caplog.set_level(logging.DEBUG, logger="infobip_connector")
    with pytest.raises(ConnectorError) as caught:
        component.register_webhook(
            "newInboundSms",
            URL,
            {"token": key},
            security=security,
            transport=sandbox.transport(),
        )
    shown = str(caught.value.to_dict()) + str(caught.value) + repr(caught.value)
    assert "bad ***" in shown
    assert secret not in shown and key not in shown
    assert secret not in caplog.text


def test_a_secret_echoed_in_a_success_answer_is_masked() -> None:
    from infobip_connector.redaction import HiddenStr
    from infobip_connector.request import InfobipRequest
    from infobip_connector.transport import client
    from infobip_connector.transport.connection import settings_for

    sandbox = Sandbox(deliver_reports=False)
    sandbox.script("POST", "/x/1", Fault(status=200, body={"echo": f"got {SHORT}"}))
    request = InfobipRequest("POST", "/x/1", {"secret": HiddenStr(SHORT)}, kind="read")
    settings = settings_for(CONNECTION)
    assert not isinstance(settings, ConnectorError)
    assert client.send(settings, request, sandbox.transport()) == {"echo": "got ***"}


def test_every_carried_secret_is_found_at_any_depth_in_any_container() -> None:
    # Found while the body is encoded; it must miss no secret wherever it sits (a tuple,
    # a dict or str subclass, as deep as orjson writes).
    from collections import OrderedDict

    from infobip_connector.redaction import HiddenStr, encode_carrying
    from infobip_connector.transport.requestbody import MAX_DEPTH

    deep: Any = HiddenStr("at-the-bottom")
    for _ in range(MAX_DEPTH // 2 - 1):  # the body's own two levels make it the deepest
        deep = {"a": [deep]}
    body = {
        "plain": ["text", 1, 2.5, None, True],
        "tuple": ("x", HiddenStr("in-a-tuple")),
        "ordered": OrderedDict(security={"hmacSecret": HiddenStr("in-a-dict-subclass")}),
        "deep": deep,
        "first": HiddenStr("top-level"),
    }
    encoded, carried = encode_carrying(body)
    assert sorted(carried) == sorted(
        ["at-the-bottom", "in-a-tuple", "in-a-dict-subclass", "top-level"]
    )
    assert b"at-the-bottom" in encoded
    assert encode_carrying(HiddenStr("alone")) == (b'"alone"', ("alone",))
    assert encode_carrying({"messages": [{"text": "no secret"}]})[1] == ()


def _deep(levels: int, bottom: Any) -> Any:
    for _ in range(levels):
        bottom = {"a": [bottom]}
    return bottom


@pytest.mark.parametrize(
    ("body", "path", "problem"),
    [
        # Past orjson's nesting limit, however far: a typed error, never a bare TypeError.
        ({"deep": _deep(200, "x")}, "body.deep" + ".a[0]" * 126 + ".a", "nested deeper"),
        ({"deep": _deep(5000, "x")}, "body.deep" + ".a[0]" * 126 + ".a", "nested deeper"),
        ({"messages": [{"to": {1, 2}}]}, "body.messages[0].to", "a set"),
        ({"messages": [{"n": 2**64}]}, "body.messages[0].n", "64-bit"),
        ({"messages": [{"text": "a\ud800b"}]}, "body.messages[0].text", "UTF-8"),
        ({"messages": [{1: "x"}]}, "body.messages[0]", "object key"),
    ],
)
def test_a_body_orjson_refuses_is_a_typed_error_naming_the_part_and_no_secret(
    body: dict[str, Any], path: str, problem: str, caplog: pytest.LogCaptureFixture
) -> None:
    from infobip_connector.errors import InputError
    from infobip_connector.redaction import HiddenStr
    from infobip_connector.request import InfobipRequest
    from infobip_connector.transport import client
    from infobip_connector.transport.connection import settings_for

    sandbox = Sandbox(deliver_reports=False)
    sandbox.script("POST", "/x/1", Fault(status=200, body={"ok": True}))
    body = {"secret": HiddenStr(SECRET), **body}
    request = InfobipRequest("POST", "/x/1", body, kind="send")
    settings = settings_for(CONNECTION)
    assert not isinstance(settings, ConnectorError)
    caplog.set_level(logging.DEBUG, logger="infobip_connector")
    with pytest.raises(InputError) as caught:
        client.send(settings, request, sandbox.transport())
    error = caught.value
    assert error.errors[0]["path"] == path
    assert problem in error.errors[0]["message"]
    shown = str(error.to_dict()) + str(error) + repr(error) + repr(error.__cause__)
    assert SECRET not in shown and SECRET not in caplog.text
    assert error.__cause__ is None and error.__suppress_context__
    assert sandbox.requests == []  # nothing reached Infobip


WEBHOOK_KEY = "sandbox-key-for-local-tests-WEBHOOK"


def _webhook_events(body: bytes, kind: str = "application/json") -> Any:
    """The events and refused items of ``body`` sent to a webhook trigger, in a process that
    has used ``WEBHOOK_KEY`` (the process knows a key once a connection holding it ran)."""
    from .trigger_support import answer, signed

    sandbox = Sandbox(deliver_reports=False)
    connection = {**CONNECTION, "token": WEBHOOK_KEY}
    component.execute("getSmsLogs", {}, connection, transport=sandbox.transport())
    trigger = "newInboundSms" if kind == "application/json" else "smsDeliveryReport"
    result = answer(trigger, signed(body, kind=kind))
    assert result.status == 200, result.error
    return result.events, result.refused


@pytest.mark.parametrize(
    "spelled",
    [
        WEBHOOK_KEY,
        WEBHOOK_KEY.upper(),
        WEBHOOK_KEY.replace("-", "%2D", 1),
        WEBHOOK_KEY.replace("-", "\\u002d", 1),
    ],
)
def test_a_key_in_a_webhook_body_is_masked_in_its_events(spelled: str) -> None:
    body = (
        '{"results":[{"messageId":"a","from":"41793026727","to":"447860099299",'
        '"text":"my key is ' + spelled + '","receivedAt":"2026-12-01T08:00:00.000+0000"}]}'
    )
    shown = repr(_webhook_events(body.encode()))
    assert WEBHOOK_KEY.lower() not in shown.lower() and "***" in shown


@pytest.mark.parametrize(
    "split",
    [
        "".join(f"&#{ord(c)};" for c in WEBHOOK_KEY),
        "sandbox-key<![CDATA[-for-local]]>-tests-WEBHOOK",
        "sandbox-key<!-- c -->-for-local-tests-WEBHOOK",
        "sandbox-key<?p x?>-for-local-tests-WEBHOOK",
    ],
)
def test_a_key_split_or_spelled_by_xml_in_a_webhook_body_is_masked(split: str) -> None:
    xml = "<r><results><result><messageId>x-1</messageId><sender>" + split
    xml += "</sender></result></results></r>"
    events, _ = _webhook_events(xml.encode(), "application/xml")
    assert WEBHOOK_KEY not in repr(events) and events[0]["sender"] == "***"


def test_many_known_keys_are_searched_together_and_each_is_masked_in_its_spelling() -> None:
    # Dozens of keys the process has used; a body longer than one search piece spells three
    # of them (one across a piece boundary, one upper-cased, one percent-encoded, one with a
    # JSON escape); each is masked, every other text is returned as it is.
    keys = [f"known-key-{i:03d}-for-a-many-keys-test" for i in range(40)]
    for key in keys:
        register_secret(key)
    filler = "x" * (64 * 1024 - 20)
    texts = [filler + keys[7], keys[31].upper(), keys[24].replace("-", "%2D"), "a%2Fb", "plain"]
    raw = json.dumps({"texts": texts, "escaped": "@"})
    raw = raw.replace("@", keys[38].replace("-", "\\u002d"))  # JSON escapes in the bytes
    body = json.loads(raw)
    masked = scrub_known_keys(body, raw.encode())
    assert masked["texts"] == [filler + "***", "***", "***", "a%2Fb", "plain"]
    assert masked["escaped"] == "***"


@pytest.mark.parametrize(
    "data",
    [b"", b"nothing here", b"K" * 70_000 + b"EY-ONE-0123456789", b"%4B%45%59-two-0123456789"],
)
def test_searching_for_many_keys_at_once_finds_what_searching_for_each_finds(data: bytes) -> None:
    secrets = ["key-one-0123456789", "KEY-TWO-0123456789", "key-three-0123456789"]
    assert held_of(data, secrets) == [s for s in secrets if may_hold(data, s)]


@pytest.mark.parametrize("spelled", ["%5C", "%5c"])
def test_a_key_json_writes_escaped_is_masked_when_partly_percent_encoded(spelled: str) -> None:
    # One backslash written as JSON writes it, the other percent-encoded: no search of the
    # bytes spells the key, so the texts themselves are looked at.
    key = "back\\slash\\key-0123456789"
    register_secret(key)
    text = "say " + key.replace("\\", spelled, 1) + " a%2Fb"
    raw = json.dumps({"t": text}).encode()
    assert b"\\\\" in raw
    assert scrub_known_keys(json.loads(raw), raw) == {"t": "say *** a%2Fb"}


@pytest.mark.parametrize("key", ['quote"key-0123456789', "back\\slash\\key-0123456789"])
def test_a_key_json_writes_escaped_is_masked_when_written_whole(key: str) -> None:
    register_secret(key)
    raw = json.dumps({"t": f"say {key.upper()} a/b"}).encode()
    assert scrub_known_keys(json.loads(raw), raw) == {"t": "say *** a/b"}


@pytest.mark.parametrize(
    ("key", "written"),
    [
        ("back\\slash\\key-0123456789", "back\\\\slash\\u00255Ckey-0123456789"),
        ('quote"key-0123456789', "quote\\u002522key-0123456789"),
    ],
    ids=["partly percent-encoded", "percent-encoded"],
)
def test_a_key_json_writes_escaped_is_masked_when_its_percent_sign_is_a_json_escape(
    key: str, written: str
) -> None:
    # The bytes hold no '%' (JSON wrote it \u0025); the parsed text does.
    register_secret(key)
    raw = ('{"t": "say ' + written + ' a/b"}').encode()
    assert b"%" not in raw
    assert scrub_known_keys(json.loads(raw), raw) == {"t": "say *** a/b"}
    assert scrub_answer(json.loads(raw), raw, key, {}) == {"t": "say *** a/b"}


@pytest.mark.parametrize("over", ["aiohttp", "a caller's transport"])
def test_the_async_path_masks_a_carried_secret_and_then_lets_it_go(over: str) -> None:
    import asyncio

    from infobip_connector import aclose_pooled_clients
    from infobip_connector.redaction import HiddenStr, keys
    from infobip_connector.request import InfobipRequest
    from infobip_connector.transport import client
    from infobip_connector.transport.connection import settings_for

    from .rawserver import RawServer, answer

    said = {"requestError": {"serviceException": {"messageId": "BAD", "text": f"{SHORT} is weak"}}}
    request = InfobipRequest("POST", "/subscriptions/1/subscription/SMS", {"p": HiddenStr(SHORT)})

    async def send(url: str) -> tuple[str, object]:
        connection = {"token": "sandbox-key-for-local-tests", "baseUrl": url}
        transport = None if over == "aiohttp" else httpx.AsyncHTTPTransport()
        try:
            await client.send_async(settings_for(connection), request, transport)
        except ConnectorError as error:
            return str(error.to_dict()) + str(error), keys._carried.get()
        finally:
            await aclose_pooled_clients()
            if transport is not None:
                await transport.aclose()
        raise AssertionError("the refusal was not raised")

    with RawServer(answer(400, json.dumps(said).encode())) as server:
        shown, left = asyncio.run(send(server.url))
    assert SHORT not in shown and "*** is weak" in shown
    assert left is None
