"""WhatsApp templates in the sandbox: the seeded list per sender, and template sends that
must match an approved template of the sender in name, language, placeholders, header and
buttons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from infobip_connector.sandbox import Sandbox, Template

from .sandbox_support import KEY, client_for, conforms

SENDER = "447860099299"
TEMPLATE = "/whatsapp/1/message/template"


@pytest.fixture()
def sandbox() -> Sandbox:
    return Sandbox(KEY, deliver_reports=False)


@pytest.fixture(params=["transport", "socket"])
def client(sandbox: Sandbox, request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    yield from client_for(sandbox, request.param)


def message(name: str = "welcome", language: str = "en", **data: Any) -> dict[str, Any]:
    template_data: dict[str, Any] = {"body": {"placeholders": ["Ana"]}, **data}
    return {
        "from": SENDER,
        "to": "41793026727",
        "content": {"templateName": name, "language": language, "templateData": template_data},
    }


def order_update(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "body": {"placeholders": ["A-17", "shipped", "Friday"]},
        "header": {"type": "TEXT", "placeholder": "A-17"},
        "buttons": [
            {"type": "URL", "parameter": "A-17"},
            {"type": "QUICK_REPLY", "parameter": "help"},
        ],
        **overrides,
    }
    return message("order_update", **data)


def errors(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.text
    body = response.json()
    conforms("whatsapp_api_exception.json", body)
    exception = body["requestError"]["serviceException"]
    assert exception["messageId"] == "BAD_REQUEST"
    found: dict[str, list[str]] = exception["validationErrors"]
    return found


def test_a_sender_lists_the_seeded_approved_templates(client: httpx.Client) -> None:
    response = client.get(f"/whatsapp/2/senders/{SENDER}/templates")
    assert response.status_code == 200
    body = response.json()
    conforms("whatsapp_templates_response.json", body)
    listed = {(t["name"], t["language"]) for t in body["templates"]}
    assert {("welcome", "en"), ("welcome", "de"), ("order_update", "en")} <= listed
    assert all(t["status"] == "APPROVED" for t in body["templates"])
    order = next(t for t in body["templates"] if t["name"] == "order_update")
    assert order["structure"]["header"] == {"format": "TEXT", "text": "Order {{1}}"}
    assert [b["type"] for b in order["structure"]["buttons"]] == ["URL", "QUICK_REPLY"]


def test_an_added_template_is_listed_and_sendable(sandbox: Sandbox, client: httpx.Client) -> None:
    sandbox.add_template(SENDER, Template("promo", "en", "Sale ends {{1}}", "MARKETING"))
    listed = client.get(f"/whatsapp/2/senders/{SENDER}/templates").json()["templates"]
    assert listed[-1]["name"] == "promo"
    other = client.get("/whatsapp/2/senders/385991234567/templates").json()["templates"]
    assert "promo" not in {t["name"] for t in other}
    response = client.post(TEMPLATE, json={"messages": [message("promo")]})
    assert response.status_code == 200, response.text


def test_a_matching_template_send_is_accepted(sandbox: Sandbox, client: httpx.Client) -> None:
    body = {"bulkId": "T-1", "messages": [message(), order_update()]}
    conforms("whatsapp_template_request.json", body)
    response = client.post(TEMPLATE, json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    conforms("whatsapp_bulk_message_info.json", answer)
    assert answer["bulkId"] == "T-1"
    assert [m["status"]["groupName"] for m in answer["messages"]] == ["PENDING", "PENDING"]
    texts = [m.text for m in sandbox.accepted_messages]
    assert texts == [
        "Hello Ana, welcome to our service!",
        "Your order A-17 is shipped. Expected delivery: Friday.",
    ]


def test_unknown_name_or_language_is_rejected_and_nothing_is_sent(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    body = {"messages": [message(), message("nope"), message(language="fr")]}
    found = errors(client.post(TEMPLATE, json=body))
    assert set(found) == {
        "messages[1].content.templateName",
        "messages[2].content.templateName",
    }
    assert sandbox.accepted_messages == []


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"body": {"placeholders": []}}, "templateData.body.placeholders"),
        ({"body": {"placeholders": ["a", "b", "c", "d"]}}, "templateData.body.placeholders"),
        ({"header": None}, "templateData.header"),
        (
            {"header": {"type": "IMAGE", "mediaUrl": "https://x.test/a.png"}},
            "templateData.header.type",
        ),
        ({"header": {"type": "TEXT"}}, "templateData.header.placeholder"),
        ({"buttons": [{"type": "URL", "parameter": "A-17"}]}, "templateData.buttons"),
        (
            {
                "buttons": [
                    {"type": "QUICK_REPLY", "parameter": "x"},
                    {"type": "URL", "parameter": "y"},
                ]
            },
            "templateData.buttons[0].type",
        ),
    ],
)
def test_placeholders_header_and_buttons_must_match_the_template(
    client: httpx.Client, overrides: dict[str, Any], path: str
) -> None:
    payload = order_update(**overrides)
    if payload["content"]["templateData"].get("header", 0) is None:
        del payload["content"]["templateData"]["header"]
    found = errors(client.post(TEMPLATE, json={"messages": [payload]}))
    assert f"messages[0].content.{path}" in found
    assert all(key.startswith("messages[0].content.templateData.") for key in found)


def test_a_header_for_a_template_without_one_is_rejected(client: httpx.Client) -> None:
    payload = message(header={"type": "TEXT", "placeholder": "x"})
    found = errors(client.post(TEMPLATE, json={"messages": [payload]}))
    assert found == {"messages[0].content.templateData.header.type": ["template header is absent"]}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, "messages"),
        ({"messages": []}, "messages"),
        ({"messages": [{"to": "1", "content": {}}]}, "messages[0].from"),
        ({"messages": [message() | {"to": ""}]}, "messages[0].to"),
        (
            {"messages": [message() | {"smsFailover": {"from": "X"}}]},
            "messages[0].smsFailover.text",
        ),
        (
            {"messages": [message(carousel={"cards": []})]},
            "messages[0].content.templateData.carousel.cards",
        ),
        ({"messages": [message()], "bulkId": "b" * 101}, "bulkId"),
        (
            {
                "messages": [
                    message(limitedTimeOffer={"expirationTime": "2030-01-01T10:00:00-23:59"})
                ]
            },
            "messages[0].content.templateData.limitedTimeOffer.expirationTime",
        ),
    ],
)
def test_a_body_against_the_published_schema_is_400_by_path(
    client: httpx.Client, body: dict[str, Any], path: str
) -> None:
    assert path in errors(client.post(TEMPLATE, json=body))


def test_sms_failover_and_notify_fields_are_accepted(client: httpx.Client) -> None:
    payload = message() | {
        "smsFailover": {"from": "InfoSMS", "text": "Hello Ana"},
        "callbackData": "cb",
        "messageId": "wa-1",
    }
    response = client.post(TEMPLATE, json={"messages": [payload]})
    assert response.status_code == 200, response.text
    assert response.json()["messages"][0]["messageId"] == "wa-1"


HEADERS = {
    "TEXT": {"type": "TEXT", "placeholder": "A-17"},
    "DOCUMENT": {"type": "DOCUMENT", "mediaUrl": "https://example.com/a.pdf", "filename": "a.pdf"},
    "IMAGE": {"type": "IMAGE", "mediaUrl": "https://example.com/a.png"},
    "VIDEO": {"type": "VIDEO", "mediaUrl": "https://example.com/a.mp4"},
    "GIF": {"type": "GIF", "mediaUrl": "https://example.com/a.mp4"},
    "LOCATION": {"type": "LOCATION", "latitude": 45.8, "longitude": 15.9},
}


@pytest.mark.parametrize("kind", HEADERS)
def test_every_header_kind_the_connector_accepts_is_served(kind: str, sandbox: Sandbox) -> None:
    # Through the connector: what it validates and sends, the sandbox must take.
    from infobip_connector import component

    name = f"t_{kind.lower()}"
    text = "Order {{1}}" if kind == "TEXT" else None
    sandbox.add_template(
        SENDER,
        Template(name=name, language="en", body="Hi {{1}}", header_format=kind, header_text=text),
    )
    values = {"messages": [message(name, header=HEADERS[kind])]}
    connection = {"token": KEY, "baseUrl": "https://api.infobip.com"}
    output = component.execute(
        "sendWhatsappTemplateMessage", values, connection, transport=sandbox.transport()
    )
    assert output["messages"][0]["status"]["groupName"] == "PENDING"
    listed = client_for_listing(sandbox, name)
    assert listed["structure"]["header"]["format"] == kind


def client_for_listing(sandbox: Sandbox, name: str) -> dict[str, Any]:
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.infobip.com",
        headers={"Authorization": f"App {KEY}"},
    ) as http:
        listed = http.get(f"/whatsapp/2/senders/{SENDER}/templates").json()["templates"]
    return next(t for t in listed if t["name"] == name)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ({"type": "LOCATION", "latitude": 45.8}, "longitude"),
        ({"type": "LOCATION", "latitude": 91, "longitude": 0}, "latitude"),
        ({"type": "LOCATION", "latitude": 0, "longitude": "east"}, "longitude"),
        ({"type": "GIF"}, "mediaUrl"),
    ],
)
def test_a_location_or_gif_header_must_give_its_members(
    header: dict[str, Any], field: str, sandbox: Sandbox, client: httpx.Client
) -> None:
    kind = header["type"]
    sandbox.add_template(
        SENDER, Template(name="t_h", language="en", body="Hi {{1}}", header_format=kind)
    )
    found = errors(client.post(TEMPLATE, json={"messages": [message("t_h", header=header)]}))
    assert f"messages[0].content.templateData.header.{field}" in found, found


def test_a_header_format_the_sandbox_cannot_serve_is_refused_when_added() -> None:
    with pytest.raises(ValueError, match="header_format"):
        Template(name="t_audio", language="en", body="Hi", header_format="AUDIO")
