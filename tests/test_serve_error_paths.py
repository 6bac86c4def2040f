"""Each error names the member at fault and says what it must be; all of them, not the first.

Through ``serve``, as a client meets them: the webhook call's headers and settings, the
options' input and property path, and a connection with several bad settings.
"""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.errors import UsageError
from infobip_connector.hosts.serve.connections import Connections
from infobip_connector.hosts.serve.methods import Methods

from .serve_support import KEY, SMS, by_id, methods_for, request, run_worker, sandbox_methods
from .test_serve_triggers import SETTINGS, call_of, inbound_body

TEMPLATE = "messages[0].content.templateName"


def answer(line: bytes) -> Any:
    [only] = run_worker(sandbox_methods(), line + b"\n")
    return only


def problems(line: bytes) -> dict[str, str]:
    error = answer(line)["error"]
    return {p["path"]: p["message"] for p in error["data"]["error"]["details"]["errors"]}


def webhook(request_call: dict[str, Any], settings: Any) -> bytes:
    return request(
        1, "handleWebhook", trigger="newInboundSms", request=request_call, settings=settings
    )


def test_a_header_value_that_is_not_a_string_is_named_by_the_header() -> None:
    call = dict(call_of(inbound_body()), headers={"Content-Type": 5})
    assert problems(webhook(call, SETTINGS)) == {
        "request.headers.Content-Type": "must be a string (the header's value)"
    }


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"allowUnauthenticated": "yes"}, {"allowUnauthenticated": "must be true or false"}),
        ({"hmacSecret": {"a": 1}}, {"hmacSecret": "must be a string of 1 to 4096 characters"}),
        ({"hmacSecret": ""}, {"hmacSecret": "must be 1 to 4096 characters"}),
        (
            {"basicAuth": {"username": 7, "password": ["p"]}},
            {
                "basicAuth.username": "must be a string of 1 to 255 characters, no ':'",
                "basicAuth.password": "must be a string of 1 to 255 characters",
            },
        ),
    ],
)
def test_webhook_settings_of_the_wrong_type_are_named(
    settings: dict[str, Any], expected: dict[str, str]
) -> None:
    assert problems(webhook(call_of(inbound_body()), settings)) == expected


def test_every_unknown_webhook_setting_is_named() -> None:
    found = problems(webhook(call_of(inbound_body()), {**SETTINGS, "hmacSecrte": "x", "other": 1}))
    assert set(found) == {"hmacSecrte", "other"}
    assert all("is not a webhook setting" in message for message in found.values())


def options(property_path: str, values: Any) -> bytes:
    return request(
        1, "options", action="sendWhatsappTemplateMessage", property=property_path, input=values
    )


def test_options_name_a_list_given_as_an_object() -> None:
    assert problems(options(TEMPLATE, {"messages": {"from": "441134960000"}})) == {
        "messages": "must be a list"
    }
    assert problems(options(TEMPLATE, {"messages": [[]]})) == {"messages[0]": "must be an object"}


@pytest.mark.parametrize(
    "path",
    ["messages[0]..content.templateName", ".messages[0].content.templateName", "messages.", "a..b"],
)
def test_a_property_path_with_an_empty_step_is_refused(path: str) -> None:
    found = problems(options(path, {"messages": [{"from": "441134960000"}]}))
    assert list(found) == ["property"] and "is not a property path" in found["property"]


def test_test_connection_reports_every_bad_setting() -> None:
    connection = {"token": KEY, "readTimeout": "x", "maxAttempts": 1e9, "deadline": -1}
    lines = request(1, "testConnection", connection=connection) + b"\n"
    # Without --sandbox, as a request's own connection is taken; refused before any send.
    error = by_id(run_worker(methods_for(None, sandbox=False), lines))[1]["error"]
    found = {p["path"] for p in error["data"]["error"]["details"]["errors"]}
    # Named as the request names them: members of its ``connection``.
    assert found == {"connection.readTimeout", "connection.maxAttempts", "connection.deadline"}


def test_an_unknown_connection_member_is_named_with_every_other_bad_setting() -> None:
    connection = {"bogus": 1, "zz": 2, "readTimeout": -1, "maxAttempts": "x"}
    lines = request(1, "execute", action="sendSms", input=SMS, connection=connection) + b"\n"
    error = by_id(run_worker(methods_for(None, sandbox=False), lines))[1]["error"]
    found = {p["path"] for p in error["data"]["error"]["details"]["errors"]}
    expected = {"bogus", "zz", "token", "readTimeout", "maxAttempts"}
    assert found == {f"connection.{path}" for path in expected}


def test_an_unusable_key_is_named_with_every_input_error() -> None:
    line = request(1, "execute", action="sendSms", input={"messages": "x"}, idempotencyKey=" ")
    error = by_id(run_worker(methods_for(None, sandbox=False), line + b"\n"))[1]["error"]
    found = {p["path"] for p in error["data"]["error"]["details"]["errors"]}
    assert found == {"idempotencyKey", "messages"}


def test_repeated_without_a_key_is_named_before_a_missing_default_connection() -> None:
    missing = UsageError([{"path": "INFOBIP_API_KEY", "message": "is not set"}])
    keyless = Methods(component, Connections(None, None, missing, sandbox=False))
    line = request(1, "execute", action="sendSms", input=SMS, repeated=True)
    error = by_id(run_worker(keyless, line + b"\n"))[1]["error"]
    assert error["code"] == -32602
    assert [p["path"] for p in error["data"]["error"]["details"]["errors"]] == ["repeated"]
