"""Each error names the member at fault and says what it must be; all of them, not the first.

Through ``serve``, as a client meets them: the webhook call's headers and settings, the
options' input and property path, and a connection with several bad settings.
"""

from __future__ import annotations

from typing import Any

import pytest

from .serve_support import KEY, by_id, methods_for, request, run_worker, sandbox_methods
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
    assert found == {"readTimeout", "maxAttempts", "deadline"}
