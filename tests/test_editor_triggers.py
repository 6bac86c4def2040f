"""The editor's triggers over HTTP: each trigger's schema and sample, and a simulated reply
that comes out of the sandbox as the event the trigger emits."""

from __future__ import annotations

import jsonschema
import pytest

from infobip_connector import component
from infobip_connector.hosts.editor import EditorServer
from infobip_connector.hosts.editor.triggers import Simulator
from infobip_connector.sandbox import Fault, Sandbox

from .test_editor_server import post_json, request, server

__all__ = ["server"]  # the editor server fixture, used by name


def test_the_page_loads_the_triggers_script(server: EditorServer) -> None:
    status, headers, page = request(server, "GET", "/")
    assert status == 200 and b"/static/triggers.js" in page and b'id="triggers-card"' in page
    status, headers, script = request(server, "GET", "/static/triggers.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert b"/api/simulate" in script


@pytest.mark.parametrize("trigger", component.trigger_names)
def test_each_trigger_shows_its_event_schema_and_a_sample_that_fits_it(
    server: EditorServer, trigger: str
) -> None:
    status, info = post_json(server, "/api/trigger", {"trigger": trigger})
    assert status == 200
    assert info["name"] == trigger and info["eventSchema"] == component.event_schema(trigger)
    jsonschema.validate(info["sample"], info["eventSchema"])
    assert (info["simulate"] is not None) == (trigger == "newInboundSms")


def test_a_simulated_reply_is_the_event_the_trigger_emits_once(server: EditorServer) -> None:
    values = {"from": "41793026728", "to": "447860099299", "text": "Tomorrow at 9, please"}
    status, answer = post_json(
        server, "/api/simulate", {"trigger": "newInboundSms", "values": values}
    )
    assert status == 200, answer
    [event] = answer["events"]
    jsonschema.validate(event, component.event_schema("newInboundSms"))
    assert (event["from"], event["to"], event["text"]) == tuple(values.values())
    # The next simulation shows only its own event: the poll's state is kept per trigger.
    status, again = post_json(server, "/api/simulate", {"trigger": "newInboundSms"})
    assert status == 200 and [e["text"] for e in again["events"]] == ["YES"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"trigger": "nope"}, "unknown trigger"),
        ({"trigger": ["newInboundSms"]}, "unknown trigger"),
        ({"trigger": "whatsappSeenReport"}, "not simulated"),
        ({"trigger": "newInboundSms", "values": []}, "must be an object"),
        ({"trigger": "newInboundSms", "values": {"sender": "x"}}, "no member"),
        ({"trigger": "newInboundSms", "values": {"text": 5}}, "values.text"),
        ({"trigger": "newInboundSms", "values": {"from": " "}}, "values.from"),
    ],
)
def test_bad_simulations_are_request_errors(
    server: EditorServer, body: dict[str, object], fragment: str
) -> None:
    status, answer = post_json(server, "/api/simulate", body)
    assert status == 400 and fragment in answer["error"]["message"]


def test_an_unknown_trigger_has_no_schema(server: EditorServer) -> None:
    status, answer = post_json(server, "/api/trigger", {"trigger": "nope"})
    assert status == 400 and "unknown trigger" in answer["error"]["message"]


def test_a_simulation_shows_the_items_the_poll_refused() -> None:
    account = Sandbox()
    simulator = Simulator(account)
    simulator.simulate("newInboundSms", {"text": "first"})  # the state now holds a poll
    good = {
        "messageId": "in-2",
        "from": "41793026727",
        "to": "447860099299",
        "text": "second",
        "receivedAt": "2026-11-30T16:30:00.000+0000",
    }
    body = {"results": [good, {"from": 5}], "messageCount": 2, "pendingMessageCount": 0}
    account.script("GET", "/sms/1/inbox/reports", Fault(status=200, body=body, process=True))
    answer = simulator.simulate("newInboundSms", {"text": "second"})
    assert [e["text"] for e in answer["events"]] == ["second"]
    [refused] = answer["refused"]
    assert refused["path"] == "results[1]" and refused["item"] == {"from": 5}
    assert refused["errors"] and all(e["path"].startswith("results[1]") for e in refused["errors"])


def test_the_page_shows_the_refused_items(server: EditorServer) -> None:
    status, _, script = request(server, "GET", "/static/triggers.js")
    assert status == 200 and b"answer.refused" in script and b"trigger-refused" in script
    status, _, page = request(server, "GET", "/")
    assert status == 200 and b'id="trigger-refused"' in page
