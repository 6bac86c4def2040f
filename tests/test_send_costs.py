"""Guards on the work a send does, counted in Python calls rather than timed.

Timings on a shared machine are noise; the number of Python-level calls a step makes is
exact. These tests pin the shape of the cost (which work grows with the size of a send,
which work is done once per connection rather than per send), not a figure.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import orjson
from pydantic import SecretStr

from infobip_connector.redaction import HiddenStr, encode_carrying
from infobip_connector.request import InfobipRequest
from infobip_connector.transport import client
from infobip_connector.transport.connection import ConnectionSettings

KEY = "bench-key-0123456789-abcdef"


def python_calls(action: Callable[[], Any]) -> int:
    """How many Python functions ``action`` calls (C functions not counted)."""
    calls = 0

    def count(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def sms_body(recipients: int) -> dict[str, Any]:
    destinations = [{"to": f"4179302{n:04d}", "messageId": f"m-{n}"} for n in range(recipients)]
    return {"messages": [{"from": "InfoSMS", "destinations": destinations, "text": "Hi"}]}


def test_encoding_a_request_costs_the_same_python_calls_for_10_or_1000_recipients() -> None:
    settings = ConnectionSettings(token=SecretStr(KEY))

    def exchange(recipients: int) -> Callable[[], Any]:
        request = InfobipRequest("POST", "/sms/2/text/advanced", sms_body(recipients))
        return lambda: client._Exchange(settings, request)

    exchange(1)()  # caches filled
    assert python_calls(exchange(1000)) == python_calls(exchange(10))


def test_the_secrets_a_body_carries_are_found_where_they_are_nested() -> None:
    class Mapping(dict[str, Any]):
        pass

    body = {
        "url": "https://hooks.example.com",
        "auth": Mapping(password=HiddenStr("pw-9x"), items=[1, (HiddenStr("hmac-2"),)]),
        "plain": ["text", 3, 2.5, None, True],
    }
    encoded, carried = encode_carrying(body)
    assert encoded == orjson.dumps(body)
    assert carried == ("pw-9x", "hmac-2")
    assert encode_carrying(sms_body(3)) == (orjson.dumps(sms_body(3)), ())
