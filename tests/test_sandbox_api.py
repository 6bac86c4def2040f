"""The sandbox answers like Infobip: wire format, authentication, validation and statuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from infobip_connector.sandbox import Fault, Sandbox

SLICES = Path(__file__).resolve().parent / "fixtures" / "openapi"
SMS = "/sms/2/text/advanced"
WHATSAPP = "/whatsapp/1/message/text"
KEY = "sandbox-key-3141"


def conforms(slice_name: str, body: Any) -> None:
    schema = json.loads((SLICES / slice_name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(body)


@pytest.fixture()
def sandbox() -> Sandbox:
    return Sandbox(KEY, deliver_reports=False)


@pytest.fixture()
def client(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(
        transport=sandbox.transport(),
        base_url="https://xyz12.api.infobip.com",
        headers={"Authorization": f"App {KEY}"},
    )


def sms_request(**message: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"destinations": [{"to": "41793026727"}], "text": "Hello", **message}
    return {"messages": [base]}


def whatsapp_request(**fields: Any) -> dict[str, Any]:
    return {"from": "441134960000", "to": "441134960001", "content": {"text": "Hi"}, **fields}


def test_sms_success_matches_the_published_wire_format(client: httpx.Client) -> None:
    request = {
        "bulkId": "BULK-1",
        "includeSmsCountInResponse": True,
        "messages": [
            {
                "from": "InfoSMS",
                "text": "Hello",
                "destinations": [{"to": "41793026727", "messageId": "m-1"}, {"to": "41793026834"}],
                "sendAt": "2026-12-01T09:00:00.000+0100",
                "validityPeriod": 720,
                "transliteration": "TURKISH",
                "language": {"languageCode": "TR"},
                "deliveryTimeWindow": {
                    "days": ["MONDAY"],
                    "from": {"hour": 6, "minute": 0},
                    "to": {"hour": 15, "minute": 30},
                },
                "regional": {"turkeyIys": {"recipientType": "TACIR", "brandCode": 7}},
            },
            {"text": "Ünïcödé", "destinations": [{"to": "41793026700"}]},
        ],
        "sendingSpeedLimit": {"amount": 10, "timeUnit": "HOUR"},
    }
    conforms("sms_advanced_request.json", request)
    response = client.post(SMS, json=request)
    assert response.status_code == 200
    body = response.json()
    conforms("sms_response.json", body)
    assert body["bulkId"] == "BULK-1"
    assert [entry["to"] for entry in body["messages"]] == [
        "41793026727",
        "41793026834",
        "41793026700",
    ]
    assert body["messages"][0]["messageId"] == "m-1"
    assert len(body["messages"][1]["messageId"]) == 36
    assert body["messages"][0]["status"] == {
        "groupId": 1,
        "groupName": "PENDING",
        "id": 26,
        "name": "PENDING_ACCEPTED",
        "description": "Message sent to next instance",
    }
    assert [entry["smsCount"] for entry in body["messages"]] == [1, 1, 1]


def test_sms_count_is_left_out_unless_asked_and_bulk_id_is_generated(client: httpx.Client) -> None:
    body = client.post(SMS, json=sms_request()).json()
    assert "smsCount" not in body["messages"][0]
    assert len(body["bulkId"]) == 36
    clipped = client.post(SMS, json={**sms_request(), "bulkId": "b" * 150}).json()
    assert clipped["bulkId"] == "b" * 100


def test_whatsapp_success_matches_the_published_wire_format(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    request = whatsapp_request(
        messageId="wa-1",
        callbackData="cb",
        content={"text": "Hi https://example.com", "previewUrl": True},
        urlOptions={"shortenUrl": False},
    )
    conforms("whatsapp_text_request.json", request)
    response = client.post(WHATSAPP, json=request)
    assert response.status_code == 200
    body = response.json()
    conforms("whatsapp_single_message_info.json", body)
    assert body == {
        "to": "441134960001",
        "messageCount": 1,
        "messageId": "wa-1",
        "status": {
            "groupId": 1,
            "groupName": "PENDING",
            "id": 7,
            "name": "PENDING_ENROUTE",
            "description": "Message sent to next instance",
        },
    }
    assert sandbox.accepted_message_ids == {"wa-1"}
    assert sandbox.accepted_messages[0].text == "Hi https://example.com"


def test_balance(client: httpx.Client) -> None:
    response = client.get("/account/1/balance")
    assert response.status_code == 200
    assert response.json() == {"balance": 47.79, "currency": "EUR"}


UNAUTHORIZED = {
    "requestError": {
        "serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}
    }
}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "App wrong-key"},
        {"Authorization": f"Basic {KEY}"},
        {"Authorization": f"Bearer {KEY}"},
        {"Authorization": "App "},
        {"Authorization": KEY},
    ],
)
def test_bad_credentials_are_401(sandbox: Sandbox, headers: dict[str, str]) -> None:
    with httpx.Client(transport=sandbox.transport(), base_url="http://sandbox") as anonymous:
        response = anonymous.post(SMS, json=sms_request(), headers=headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    conforms("sms_api_exception.json", response.json())
    assert sandbox.accepted_message_ids == set()


def test_without_a_configured_key_any_app_key_is_accepted() -> None:
    with httpx.Client(transport=Sandbox().transport(), base_url="http://sandbox") as open_client:
        ok = open_client.get("/account/1/balance", headers={"Authorization": "App anything"})
        missing = open_client.get("/account/1/balance")
        blank = open_client.get("/account/1/balance", headers={"Authorization": "App  "})
    assert (ok.status_code, missing.status_code, blank.status_code) == (200, 401, 401)


def validation_errors(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 400
    body = response.json()
    conforms("sms_api_exception.json", body)
    exception = body["requestError"]["serviceException"]
    assert (exception["messageId"], exception["text"]) == ("BAD_REQUEST", "Bad request")
    errors: dict[str, list[str]] = exception.get("validationErrors", {})
    return errors


@pytest.mark.parametrize(
    ("request_body", "path", "message"),
    [
        ({}, "messages", "must not be null"),
        ({"messages": []}, "messages", "must not be empty"),
        ({"messages": [{"text": "x"}]}, "messages[0].destinations", "must not be null"),
        (sms_request(destinations=[]), "messages[0].destinations", "must not be empty"),
        (
            sms_request(destinations=[{"to": " "}]),
            "messages[0].destinations[0].to",
            "must not be blank",
        ),
        (sms_request(destinations=[{}]), "messages[0].destinations[0].to", "must not be null"),
        (
            sms_request(destinations=[{"to": "4" * 65}]),
            "messages[0].destinations[0].to",
            "size must be between 0 and 64",
        ),
        (
            sms_request(destinations=[{"to": "1", "messageId": "m" * 201}]),
            "messages[0].destinations[0].messageId",
            "size must be between 0 and 200",
        ),
        (
            sms_request(callbackData="c" * 4001),
            "messages[0].callbackData",
            "size must be between 0 and 4000",
        ),
        (sms_request(validityPeriod=1.5), "messages[0].validityPeriod", "must be an integer"),
        (sms_request(validityPeriod="720"), "messages[0].validityPeriod", "must be an integer"),
        (
            sms_request(sendAt="2026-12-01T09:00:00+01:00"),
            "messages[0].sendAt",
            "must match yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm",
        ),
        (
            sms_request(sendAt="2026-12-01T09:00:00.000+1900"),
            "messages[0].sendAt",
            "has a UTC offset outside -18:00 to +18:00",
        ),
        (
            sms_request(sendAt="2026-02-30T09:00:00.000+0100"),
            "messages[0].sendAt",
            "Text '2026-02-30T09:00:00.000+0100' could not be parsed: Invalid date 'FEBRUARY 30'",
        ),
        (sms_request(transliteration="KLINGON"), "messages[0].transliteration", None),
        (sms_request(language={"languageCode": "XX"}), "messages[0].language.languageCode", None),
        (sms_request(notifyContentType="text/plain"), "messages[0].notifyContentType", None),
        (
            sms_request(deliveryTimeWindow={"days": ["FUNDAY"]}),
            "messages[0].deliveryTimeWindow.days[0]",
            None,
        ),
        (
            sms_request(deliveryTimeWindow={"days": ["MONDAY"], "from": {"hour": 24, "minute": 0}}),
            "messages[0].deliveryTimeWindow.from.hour",
            "must be less than or equal to 23",
        ),
        (
            {**sms_request(), "sendingSpeedLimit": {"amount": 1, "timeUnit": "WEEK"}},
            "sendingSpeedLimit.timeUnit",
            None,
        ),
        (
            sms_request(regional={"turkeyIys": {"recipientType": "OTHER"}}),
            "messages[0].regional.turkeyIys.recipientType",
            None,
        ),
        (sms_request(entityId="e" * 51), "messages[0].entityId", "size must be between 0 and 50"),
        (sms_request(applicationId="a" * 51), "messages[0].applicationId", None),
        (sms_request(flash="yes"), "messages[0].flash", "must be a boolean"),
        (sms_request(destinations=[{"to": 41793026727}]), "messages[0].destinations[0].to", None),
        (sms_request(surprise=True), "messages[0].surprise", "unrecognized field"),
        ({**sms_request(), "extra": 1}, "extra", "unrecognized field"),
    ],
)
def test_sms_validation_names_the_field(
    client: httpx.Client, request_body: dict[str, Any], path: str, message: str | None
) -> None:
    errors = validation_errors(client.post(SMS, json=request_body))
    assert path in errors, errors
    if message is not None:
        assert message in errors[path]


def test_several_problems_are_reported_together(client: httpx.Client) -> None:
    body = {"messages": [{"destinations": [{"to": ""}, {"to": "1"}]}, {"destinations": []}]}
    errors = validation_errors(client.post(SMS, json=body))
    assert errors == {
        "messages[0].destinations[0].to": ["must not be blank"],
        "messages[1].destinations": ["must not be empty"],
    }


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({"from": ""}, "from", "must not be blank"),
        ({"from": "4" * 25}, "from", "size must be between 1 and 24"),
        ({"to": "4" * 151}, "to", "size must be between 1 and 150"),
        ({"to": None}, "to", "must not be null"),
        ({"messageId": "m" * 201}, "messageId", "size must be between 0 and 200"),
        ({"content": {"text": ""}}, "content.text", "size must be between 1 and 4096"),
        ({"content": {"text": "x" * 4097}}, "content.text", "size must be between 1 and 4096"),
        # Lengths are UTF-16 code units: 2049 emoji are 4098 units.
        ({"content": {"text": "😀" * 2049}}, "content.text", "size must be between 1 and 4096"),
        ({"content": {}}, "content.text", "must not be null"),
        ({"content": None}, "content", "must not be null"),
        ({"callbackData": "c" * 4001}, "callbackData", "size must be between 0 and 4000"),
        ({"notifyUrl": "http://h/" + "p" * 2040}, "notifyUrl", "size must be between 0 and 2048"),
        ({"entityId": "e" * 256}, "entityId", "size must be between 0 and 255"),
        ({"applicationId": "a" * 256}, "applicationId", "size must be between 0 and 255"),
        ({"bogus": 1}, "bogus", "unrecognized field"),
    ],
)
def test_whatsapp_validation_names_the_field(
    client: httpx.Client, fields: dict[str, Any], path: str, message: str
) -> None:
    response = client.post(WHATSAPP, json=whatsapp_request(**fields))
    conforms("whatsapp_api_exception.json", response.json())
    assert message in validation_errors(response)[path]


def test_empty_whatsapp_text_gets_both_messages(client: httpx.Client) -> None:
    errors = validation_errors(client.post(WHATSAPP, json=whatsapp_request(content={"text": ""})))
    assert errors == {"content.text": ["size must be between 1 and 4096", "must not be blank"]}


@pytest.mark.parametrize("content", [b"not json", b"[1, 2]", b'{"messages": NaN}', b""])
def test_unparseable_bodies_are_400(client: httpx.Client, content: bytes) -> None:
    response = client.post(SMS, content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["requestError"]["serviceException"]["messageId"] == "BAD_REQUEST"


def test_duplicate_message_ids_are_rejected_across_requests_and_channels(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.set_idempotent_sending(True)  # the account setting; off, a repeat is sent again
    duplicate = {
        "groupId": 5,
        "groupName": "REJECTED",
        "id": 23,
        "name": "REJECTED_DUPLICATE_MESSAGE_ID",
        "description": "Message ID is duplicated",
    }
    first = client.post(SMS, json=sms_request(destinations=[{"to": "1", "messageId": "dup"}]))
    assert first.json()["messages"][0]["status"]["groupName"] == "PENDING"
    again = client.post(
        SMS,
        json=sms_request(destinations=[{"to": "2", "messageId": "dup"}, {"to": "3"}]),
    )
    assert again.status_code == 200
    assert again.json()["messages"][0]["status"] == duplicate
    assert again.json()["messages"][1]["status"]["groupName"] == "PENDING"
    whatsapp = client.post(WHATSAPP, json=whatsapp_request(messageId="dup"))
    assert whatsapp.status_code == 200
    assert whatsapp.json()["status"] == duplicate
    same_request = client.post(
        SMS,
        json=sms_request(
            destinations=[{"to": "4", "messageId": "x"}, {"to": "5", "messageId": "x"}]
        ),
    )
    assert [m["status"]["id"] for m in same_request.json()["messages"]] == [26, 23]
    assert len([m for m in sandbox.accepted_messages if m.message_id == "dup"]) == 1


def test_unregistered_destinations_are_rejected(client: httpx.Client, sandbox: Sandbox) -> None:
    body = client.post(
        SMS, json=sms_request(destinations=[{"to": "999123", "messageId": "u"}, {"to": "41"}])
    ).json()
    assert body["messages"][0]["status"] == {
        "groupId": 5,
        "groupName": "REJECTED",
        "id": 51,
        "name": "REJECTED_DESTINATION_NOT_REGISTERED",
        "description": "Destination not registered",
    }
    assert body["messages"][1]["status"]["groupName"] == "PENDING"
    whatsapp = client.post(WHATSAPP, json=whatsapp_request(to="999555")).json()
    assert whatsapp["status"]["id"] == 51
    assert "u" not in sandbox.accepted_message_ids


def test_unknown_path_is_404_and_wrong_method_is_405(client: httpx.Client) -> None:
    missing = client.get("/sms/1/nothing")
    assert missing.status_code == 404
    assert missing.json()["requestError"]["serviceException"]["messageId"] == "NOT_FOUND"
    wrong = client.get(SMS)
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "POST"
    assert client.post("/account/1/balance").status_code == 405


def test_requests_are_recorded_with_the_key_redacted(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    client.post(SMS, json=sms_request(), params={"q": "1"})
    client.get("/account/1/balance")
    client.post(SMS, content=b"oops")
    recorded = sandbox.requests
    assert [(r.method, r.path, r.outcome, r.status) for r in recorded] == [
        ("POST", SMS, "accepted", 200),
        ("GET", "/account/1/balance", "ok", 200),
        ("POST", SMS, "bad_request", 400),
    ]
    assert recorded[0].headers["Authorization"] == "App ***"
    assert recorded[0].body == sms_request()
    assert recorded[2].body == "oops"
    assert recorded[0].received_at <= recorded[1].received_at
    assert KEY not in repr(recorded) + repr(sandbox) + str([dict(r.headers) for r in recorded])
    assert sandbox.request_counts == {SMS: 2, "/account/1/balance": 1}


def test_reset_forgets_everything(client: httpx.Client, sandbox: Sandbox) -> None:
    client.post(SMS, json=sms_request(destinations=[{"to": "1", "messageId": "r"}]))
    sandbox.script("GET", "/account/1/balance", Fault(status=500))
    sandbox.fault_rate(1.0, seed=1)
    sandbox.reset()
    assert (sandbox.requests, sandbox.accepted_message_ids, sandbox.pending_faults) == (
        [],
        set(),
        0,
    )
    assert client.get("/account/1/balance").status_code == 200
    again = client.post(SMS, json=sms_request(destinations=[{"to": "1", "messageId": "r"}]))
    assert again.json()["messages"][0]["status"]["groupName"] == "PENDING"


def test_random_faults_are_seeded_and_only_of_the_chosen_kinds(sandbox: Sandbox) -> None:
    def run(seed: int) -> list[int | str]:
        sandbox.reset()
        sandbox.fault_rate(0.5, seed=seed, kinds=["unavailable", "rate_limited", "lost_answer"])
        seen: list[int | str] = []
        with httpx.Client(
            transport=sandbox.transport(),
            base_url="http://sandbox",
            headers={"Authorization": f"App {KEY}"},
        ) as faulty:
            for index in range(60):
                response = faulty.post(
                    SMS, json=sms_request(destinations=[{"to": "1", "messageId": f"id-{index}"}])
                )
                seen.append(response.status_code)
                if response.status_code == 429:
                    assert response.headers["Retry-After"] == "0"
        return seen

    first, second = run(7), run(7)
    assert first == second
    assert set(first) == {200, 429, 500, 503}
    # A lost answer (500 after acceptance) still counts as accepted.
    lost = sum(1 for r in sandbox.requests if r.outcome.startswith("accepted +"))
    assert len(sandbox.accepted_message_ids) == first.count(200) + lost
    assert lost > 0
    sandbox.fault_rate(0.0, seed=0)
    assert run_once_ok(sandbox)


def run_once_ok(sandbox: Sandbox) -> bool:
    with httpx.Client(transport=sandbox.transport(), base_url="http://sandbox") as plain:
        response = plain.get("/account/1/balance", headers={"Authorization": f"App {KEY}"})
    return response.status_code == 200
