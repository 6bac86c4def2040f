"""``serve`` exposes the triggers: event schemas, webhook calls handed over by the engine, polls.

The worker lives on between calls, so a webhook body Infobip posts again starts nothing twice,
and a poll's state is passed back by the client like any other value.
"""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.hosts.serve.protocol import RpcError
from infobip_connector.sandbox import Sandbox
from infobip_connector.triggers.security import signature

from .serve_support import KEY, by_id, methods_for, request, run_worker
from .trigger_support import SECRET, examples

SETTINGS = {"hmacSecret": SECRET}


def inbound_body() -> bytes:
    """Infobip's published example, received now (its own time is years old: stale)."""
    body = next(iter(examples("newInboundSms").values()))
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000%z")
    return json.dumps({"results": [dict(r, receivedAt=now) for r in body["results"]]}).encode()


def call_of(body: bytes, secret: str = SECRET) -> dict[str, Any]:
    """A webhook call as the engine received it, signed as Infobip is assumed to sign."""
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature(body, secret)}
    return {"method": "POST", "headers": headers, "body": body.decode()}


def webhook(request_id: Any, call: dict[str, Any], settings: Any = SETTINGS) -> bytes:
    return request(
        request_id, "handleWebhook", trigger="newInboundSms", request=call, settings=settings
    )


def serve(*lines: bytes, sandbox: Sandbox | None = None) -> dict[Any, Any]:
    account = sandbox or Sandbox(KEY, deliver_reports=False)
    return by_id(
        run_worker(methods_for(account.transport()), b"\n".join(lines) + b"\n", max_in_flight=1)
    )


def test_event_schemas_of_every_trigger() -> None:
    names = component.trigger_names
    answers = serve(*(request(name, "eventSchema", trigger=name) for name in names))
    assert {name: answers[name]["result"] for name in names} == {
        name: component.event_schema(name) for name in names
    }


def test_a_webhook_call_gives_its_events_once() -> None:
    body = inbound_body()
    answers = serve(webhook(1, call_of(body)), webhook(2, call_of(body)))
    first, again = answers[1]["result"], answers[2]["result"]
    assert first["status"] == 200 and first["error"] is None and first["events"]
    assert json.loads(first["body"]) == {"events": len(first["events"])}
    assert again["status"] == 200 and again["events"] == []  # Infobip posted it again


def test_a_body_in_base64_is_checked_byte_for_byte() -> None:
    body = inbound_body()
    call = call_of(body)
    del call["body"]
    call["bodyBase64"] = base64.b64encode(body).decode()
    assert serve(webhook(1, call))[1]["result"]["status"] == 200


def test_a_wrong_signature_is_refused_without_quoting_the_secret() -> None:
    answers = serve(webhook(1, call_of(inbound_body(), secret="another-secret-1234")))
    result = answers[1]["result"]
    assert result["status"] == 401 and result["events"] == []
    text = json.dumps(answers)
    assert SECRET not in text and "another-secret-1234" not in text


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ({"body": None, "bodyBase64": "not base64!"}, "request.bodyBase64"),
        ({"body": None}, "request.body"),
        ({"body": b"{}".hex(), "bodyBase64": "e30="}, "request.body"),
        ({"cookies": {}}, "request.cookies"),
        ({"method": 5}, "request.method"),
        ({"headers": ["Content-Type"]}, "request.headers"),
        ({"headers": {"X-Hub-Signature-256": 5}}, "request.headers.X-Hub-Signature-256"),
    ],
)
def test_a_malformed_webhook_call_is_invalid_params(given: dict[str, Any], path: str) -> None:
    call = {**call_of(inbound_body()), **given}
    if call["body"] is None and "bodyBase64" in given:
        del call["body"]
    error = serve(webhook(1, call))[1]["error"]
    [problem] = error["data"]["error"]["details"]["errors"]
    assert (error["code"], problem["path"]) == (-32602, path)


def test_a_null_member_of_the_webhook_call_is_not_given() -> None:
    call = {**call_of(inbound_body()), "method": None, "bodyBase64": None}
    assert serve(webhook(1, call))[1]["result"]["status"] == 200


def test_unusable_settings_and_unknown_triggers_are_named() -> None:
    call = {"method": "POST", "headers": {}, "body": "{}"}
    answers = serve(
        request(1, "handleWebhook", trigger="newInboundSms", request=call, settings={}),
        request(2, "eventSchema", trigger="newFax"),
        request(
            3, "handleWebhook", trigger="newInboundSms", request=call, settings={"hmacSecret": ""}
        ),
    )
    assert answers[1]["error"]["data"]["error"]["type"] == "configuration"
    assert answers[2]["error"]["code"] == -32602
    assert answers[3]["error"]["code"] == -32002


def test_polls_pass_their_state_on_and_return_each_item_once() -> None:
    account = Sandbox(KEY, deliver_reports=False)
    first = account.receive_sms("385916242493", "385921004026", "first")
    [answer] = serve(request(1, "poll", trigger="newInboundSms"), sandbox=account).values()
    events, state = answer["result"]["events"], answer["result"]["state"]
    assert [e["messageId"] for e in events] == [first]
    later = account.receive_sms("385916242494", "385921004026", "later")
    again = serve(request(2, "poll", trigger="newInboundSms", state=state), sandbox=account)[2]
    assert [e["messageId"] for e in again["result"]["events"]] == [later]


def test_a_state_no_poll_returned_is_an_input_error() -> None:
    answers = serve(request(1, "poll", trigger="newInboundSms", state={"not": "a state"}))
    assert answers[1]["error"]["code"] == -32002
    assert answers[1]["error"]["data"]["error"]["details"]["errors"][0]["path"].startswith("state")


def test_release_webhook_lets_infobips_retry_return_the_events_again() -> None:
    methods = methods_for(Sandbox(KEY, deliver_reports=False).transport())
    body = json.dumps({"results": [{"messageId": "serve-release-1", "text": "hi"}]}).encode()
    params = {"trigger": "newInboundSms", "request": call_of(body), "settings": SETTINGS}

    async def calls() -> None:
        first = await methods.call("handleWebhook", params)
        assert first["events"] and first["refused"] == []
        # The engine could not start its workflows: it releases, then answers Infobip 5xx.
        released = await methods.call("releaseWebhook", {"release": first["release"]})
        assert released == {"released": len(first["events"])}
        retry = await methods.call("handleWebhook", params)
        assert retry["events"] == first["events"]
        assert (await methods.call("handleWebhook", params))["events"] == []  # used: a repeat
        with pytest.raises(RpcError) as caught:
            await methods.call("releaseWebhook", {"release": first["release"]})  # given twice
        assert caught.value.code == -32602

    asyncio.run(calls())


def test_every_bad_member_of_a_webhook_call_is_named_at_once() -> None:
    call = {**call_of(inbound_body()), "headers": {"Content-Type": 5}}
    bad_settings = {"allowUnauthenticated": "yes", "hmacSecret": 5}
    answers = serve(
        request(1, "handleWebhook", trigger="newInboundSms", request=call, settings=bad_settings),
        request(2, "handleWebhook", trigger="newFax", request=call_of(inbound_body())),
        request(3, "execute", action=5, input=[]),
    )
    paths = {
        n: {p["path"] for p in answers[n]["error"]["data"]["error"]["details"]["errors"]}
        for n in (1, 2, 3)
    }
    assert all(answers[n]["error"]["code"] == -32602 for n in (1, 2, 3))
    assert paths[1] == {
        "request.headers.Content-Type",
        "settings.allowUnauthenticated",
        "settings.hmacSecret",
    }
    assert paths[2] == {"trigger", "settings"}
    assert paths[3] == {"action", "input"}
