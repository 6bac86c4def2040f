"""A finished key compares sends as Infobip reads them (``hosts/sendprint.py``, ``wireform.py``).

Equal on the wire is the same send (a repeat is replayed, nothing sent); different on the
wire stays a different send (the key is refused as used for other input, nothing sent).
Each pair below is checked both ways: the spelling Infobip reads alike, and the nearest
change Infobip reads otherwise.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.hosts.sendprint import send_print
from infobip_connector.sandbox import Sandbox

from .serve_support import KEY, methods_for, request, run_worker

TO = [{"to": "+41793026727"}]
AT = "2027-01-01T10:00:00Z"  # a month ahead of the tests' clock at most 180 days


def sms(**message: Any) -> dict[str, Any]:
    return {"messages": [{"destinations": TO, "text": "Hello", **message}]}


def bulk(**members: Any) -> dict[str, Any]:
    return {**sms(), **members}


def same(a: dict[str, Any], b: dict[str, Any], scope: Any = None, other: Any = None) -> bool:
    first = send_print(component, "sendSms", a, {}, "K", scope)
    second = send_print(component, "sendSms", b, {}, "K", scope if other is None else other)
    assert first is not None and second is not None
    return first == second


WINDOW = {"from": {"hour": 8, "minute": 0}, "to": {"hour": 18, "minute": 0}}

ALIKE = {
    "flash false is flash absent": (sms(), sms(flash=False)),
    "intermediateReport false is absent": (sms(), sms(intermediateReport=False)),
    "timeUnit MINUTE is absent": (
        bulk(sendingSpeedLimit={"amount": 5}),
        bulk(sendingSpeedLimit={"amount": 5, "timeUnit": "MINUTE"}),
    ),
    "shortenUrl true is absent within urlOptions": (
        bulk(urlOptions={"trackClicks": False}),
        bulk(urlOptions={"trackClicks": False, "shortenUrl": True}),
    ),
    "sendAt in another offset": (sms(sendAt=AT), sms(sendAt="2027-01-01T11:00:00+01:00")),
    "sendAt in another precision": (sms(sendAt=AT), sms(sendAt="2027-01-01T10:00:00.000+0000")),
    "sendAt as a date-time in a zone": (
        sms(sendAt=AT),
        sms(sendAt={"dateTime": "2027-01-01T11:00:00", "zoneId": "Europe/Zurich"}),
    ),
    "days in another order": (
        sms(deliveryTimeWindow={**WINDOW, "days": ["MONDAY", "FRIDAY"]}),
        sms(deliveryTimeWindow={**WINDOW, "days": ["FRIDAY", "MONDAY"]}),
    ),
}

UNLIKE = {
    "flash true": (sms(), sms(flash=True)),
    "timeUnit HOUR": (
        bulk(sendingSpeedLimit={"amount": 5}),
        bulk(sendingSpeedLimit={"amount": 5, "timeUnit": "HOUR"}),
    ),
    "urlOptions given, all defaults, against none": (sms(), bulk(urlOptions={"shortenUrl": True})),
    "sendAt an hour later": (sms(sendAt=AT), sms(sendAt="2027-01-01T10:00:00-01:00")),
    "sendAt a second later": (sms(sendAt=AT), sms(sendAt="2027-01-01T10:00:01Z")),
    "another day": (
        sms(deliveryTimeWindow={**WINDOW, "days": ["MONDAY", "FRIDAY"]}),
        sms(deliveryTimeWindow={**WINDOW, "days": ["MONDAY", "SUNDAY"]}),
    ),
    "destinations in another order": (
        sms(destinations=[{"to": "+41793026727"}, {"to": "+41793026728"}]),
        sms(destinations=[{"to": "+41793026728"}, {"to": "+41793026727"}]),
    ),
    "another text": (sms(), sms(text="Hello!")),
    "a messageId given": (sms(), sms(destinations=[{"to": "+41793026727", "messageId": "M-1"}])),
    # The stand-in of the IDs derived from the key is no text a user could give.
    "a messageId spelling the stand-in of derived IDs": (
        sms(),
        sms(destinations=[{"to": "+41793026727", "messageId": "(derived from the key)"}]),
    ),
    "a bulkId spelling the stand-in of derived IDs": (
        sms(),
        {**sms(), "bulkId": "(derived from the key)"},
    ),
    "callbackData that looks like a date-time": (
        sms(callbackData="2027-01-01T10:00:00.000+0000"),
        sms(callbackData="2027-01-01T11:00:00.000+0100"),
    ),
}


@pytest.mark.parametrize("pair", ALIKE.values(), ids=list(ALIKE))
def test_sends_infobip_reads_alike_are_one_send(pair: tuple[Any, Any]) -> None:
    assert same(*pair) and same(pair[1], pair[0])


@pytest.mark.parametrize("pair", UNLIKE.values(), ids=list(UNLIKE))
def test_sends_infobip_reads_otherwise_stay_different(pair: tuple[Any, Any]) -> None:
    assert not same(*pair) and not same(pair[1], pair[0])


def test_the_account_counts_the_way_to_send_does_not() -> None:
    base = {"token": KEY}
    for alike in (
        {"token": KEY, "baseUrl": "https://api.infobip.com/"},
        {"token": KEY, "baseUrl": "api.infobip.com", "readTimeout": 10, "maxAttempts": 1},
    ):
        assert same(sms(), sms(), base, alike)
    for other in (
        {"token": KEY + "x"},
        {"token": KEY, "baseUrl": "https://xyz12.api.infobip.com"},
    ):
        assert not same(sms(), sms(), base, other)


def test_serve_replays_a_repeat_spelled_as_infobip_reads_it_alike() -> None:
    box = Sandbox(KEY, deliver_reports=False)
    methods = methods_for(box.transport(), sandbox=False)
    first = sms(sendAt=AT, deliveryTimeWindow={**WINDOW, "days": ["MONDAY", "FRIDAY"]})
    again = copy.deepcopy(first)
    again["messages"][0].update(
        flash=False,
        sendAt="2027-01-01T11:00:00+01:00",
        deliveryTimeWindow={**WINDOW, "days": ["FRIDAY", "MONDAY"]},
    )
    line = request(1, "execute", action="sendSms", input=first, idempotencyKey="K")
    [sent] = run_worker(methods, line + b"\n")
    own = {"token": KEY, "baseUrl": "https://api.infobip.com/", "readTimeout": 10}
    line = request(2, "execute", action="sendSms", input=again, idempotencyKey="K", connection=own)
    [replayed] = run_worker(methods, line + b"\n")
    assert replayed.get("result") == sent["result"], replayed
    posts = [r for r in box.requests if r.method == "POST"]
    assert len(posts) == 1
