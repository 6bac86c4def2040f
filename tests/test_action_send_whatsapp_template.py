"""Send WhatsApp Template Message: the request, the answer, the sandbox, the CLI and the rules
against Infobip's description (the checks: test_template_checks.py; the pickers:
test_template_pickers.py)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import pytest

from infobip_connector import component
from infobip_connector.definition.model import Property
from infobip_connector.errors import InputError, OutcomeUnknownError, RejectedError
from infobip_connector.runtime.template_rules import BUTTON_PARAMETER_LIMITS, HEADER_MEMBERS
from infobip_connector.sandbox import Fault, Sandbox, SandboxServer

from .conftest import SHARED
from .operation_slices import NO_SHARED
from .sandbox_support import conforms
from .template_support import ACTION, CONNECTION, KEY, SANDBOX_OPTIONS, SENDER, one_message
from .test_e2e import cli, error_of

__all__ = ["SANDBOX_OPTIONS"]  # the ``server`` fixture's settings (conftest.py)

PATH = "/whatsapp/1/message/template"
# The status Infobip answers an accepted message with, as the declared output sample has it.
PENDING = component.definition.action(ACTION).output.sample["messages"][0]["status"]

ORDER = {
    "templateName": "order_update",
    "language": "en",
    "templateData": {
        "body": {"placeholders": ["A-17", "shipped", "Friday"]},
        "header": {"type": "TEXT", "placeholder": "A-17"},
        "buttons": [
            {"type": "URL", "parameter": "A-17"},
            {"type": "QUICK_REPLY", "parameter": "support"},
        ],
    },
}
VALUES: dict[str, Any] = {
    "bulkId": "bulk-7",
    "messages": [
        {
            "from": SENDER,
            "to": "+41 79 302 67 27",
            "messageId": "m-1",
            "content": ORDER,
            "callbackData": "order=A-17",
            "smsFailover": {"from": "InfoSMS", "text": "Your order A-17 shipped."},
        },
        {
            "from": SENDER,
            "to": "41793026728",
            "messageId": "m-2",
            "content": {
                "templateName": "verification_code",
                "language": "en",
                "templateData": {
                    "body": {"placeholders": ["482913"]},
                    "buttons": [{"type": "URL", "parameter": "482913"}],
                },
            },
        },
    ],
}


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    """Infobip's answer to ``body``: one pending entry per message."""
    return {
        "messages": [
            {
                "to": m["to"],
                "messageCount": 1,
                "messageId": m["messageId"],
                "status": PENDING,
            }
            for m in body["messages"]
        ],
        "bulkId": body["bulkId"],
    }


def _recorded(values: dict[str, Any], answer: Any = None) -> tuple[Any, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        return httpx.Response(200, json=answer if answer is not None else _answer(body))

    output = component.execute(ACTION, values, CONNECTION, transport=httpx.MockTransport(handler))
    return output, seen


def test_the_exact_request() -> None:
    _, seen = _recorded(VALUES)
    assert len(seen) == 1
    request = seen[0]
    assert request.method == "POST"
    assert request.url.path == PATH and request.url.query == b""
    assert request.headers["Authorization"] == f"App {CONNECTION['token']}"
    expected = json.loads(json.dumps(VALUES))
    expected["messages"][0]["to"] = "41793026727"  # normalised like every phone number
    assert json.loads(request.content) == expected


def test_a_template_without_placeholders_gets_the_empty_list_infobip_requires() -> None:
    # An editor's untouched placeholder list is pruned as "not given"; Infobip requires one.
    for data in ({}, {"body": {"placeholders": []}}, {"body": {}}, None):
        content = {"templateName": "hello", "language": "en"}
        if data is not None:
            content["templateData"] = data
        _, seen = _recorded(
            {"messages": [{"from": SENDER, "to": "41793026727", "content": content}]}
        )
        sent = json.loads(seen[0].content)
        assert sent["messages"][0]["content"]["templateData"] == {"body": {"placeholders": []}}
        # IDs were assigned before sending, so any outcome can be reconciled.
        assert sent["bulkId"] and sent["messages"][0]["messageId"]


def test_the_body_is_valid_against_infobips_request_schema() -> None:
    for values in (
        VALUES,
        {
            "messages": [
                {
                    "from": SENDER,
                    "to": "41793026727",
                    "content": {"templateName": "x", "language": "de"},
                }
            ]
        },
    ):
        _, seen = _recorded(values)
        conforms("whatsapp_template_request.json", json.loads(seen[0].content))


def test_every_header_type_is_sent_as_infobip_describes_it() -> None:
    headers = [
        {"type": "TEXT", "placeholder": "A-17"},
        {"type": "DOCUMENT", "mediaUrl": "https://example.com/a.pdf", "filename": "a.pdf"},
        {"type": "IMAGE", "mediaUrl": "https://example.com/a.png"},
        {"type": "VIDEO", "mediaUrl": "https://example.com/a.mp4"},
        {"type": "GIF", "mediaUrl": "https://example.com/a.mp4"},
        {"type": "LOCATION", "latitude": 45.8, "longitude": -15.97},
    ]
    for header in headers:
        content = {
            "templateName": "t",
            "language": "en",
            "templateData": {"body": {"placeholders": ["x"]}, "header": header},
        }
        _, seen = _recorded(
            {"messages": [{"from": SENDER, "to": "41793026727", "content": content}]}
        )
        body = json.loads(seen[0].content)
        assert body["messages"][0]["content"]["templateData"]["header"] == header
        conforms("whatsapp_template_request.json", body)


def test_the_answer_is_shaped_to_the_declared_output() -> None:
    output, _ = _recorded(VALUES)
    jsonschema.Draft202012Validator(component.output_schema(ACTION)).validate(output)
    assert [m["messageId"] for m in output["messages"]] == ["m-1", "m-2"]
    assert output["bulkId"] == "bulk-7"


def test_an_answer_without_bulk_id_gets_the_one_sent() -> None:
    one = {
        "messages": [
            {
                "from": SENDER,
                "to": "41793026727",
                "messageId": "only",
                "content": {"templateName": "t", "language": "en"},
            }
        ],
        "bulkId": "b-1",
    }
    answer = _answer(json.loads(json.dumps(one)))
    del answer["bulkId"]
    output, _ = _recorded(one, answer)
    assert output["bulkId"] == "b-1"


def test_an_answer_that_leaves_a_message_out_is_outcome_unknown() -> None:
    answer = _answer(json.loads(json.dumps(VALUES)))
    answer["messages"].pop()
    with pytest.raises(OutcomeUnknownError) as caught:
        _recorded(VALUES, answer)
    assert caught.value.details["missingMessageIds"] == ["m-2"]


def test_bad_input_never_reaches_infobip() -> None:
    with pytest.raises(InputError):
        _recorded(one_message({"templateName": "", "language": "en"}))


# ---------------------------------------------------------------- against the sandbox


def _run(sandbox: Sandbox, values: dict[str, Any]) -> Any:
    return component.execute(ACTION, values, {"token": KEY}, transport=sandbox.transport())


def test_the_sandbox_accepts_a_matching_send_and_its_answer_is_infobips_shape() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    output = _run(sandbox, VALUES)
    assert [m["status"]["name"] for m in output["messages"]] == ["PENDING_ENROUTE"] * 2
    raw = sandbox.requests[0]
    assert raw.path == PATH
    conforms("whatsapp_bulk_message_info.json", output)
    assert sandbox.accepted_message_ids == {"m-1", "m-2"}


def test_placeholders_that_do_not_match_the_template_are_rejected() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    content = {
        "templateName": "welcome",
        "language": "en",
        "templateData": {"body": {"placeholders": ["Ann", "extra"]}},
    }
    with pytest.raises(RejectedError) as caught:
        _run(sandbox, one_message(content))
    fields = [v["field"] for v in caught.value.details["violations"]]
    assert fields == ["messages[0].content.templateData.body.placeholders"]
    assert sandbox.accepted_message_ids == set()


def test_a_503_is_outcome_unknown_after_exactly_one_request() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.script("POST", PATH, Fault(status=503, process=True))
    with pytest.raises(OutcomeUnknownError) as caught:
        _run(sandbox, VALUES)
    assert len(sandbox.requests) == 1
    assert caught.value.details["messageIds"] == ["m-1", "m-2"]
    assert caught.value.details["bulkId"] == "bulk-7"
    assert "before resending" in caught.value.message


def test_cli_run_over_a_socket(server: SandboxServer, sandbox: Sandbox) -> None:
    result = cli(server.url, "run", ACTION, "--input", "-", key=KEY, stdin=VALUES)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert [m["to"] for m in output["messages"]] == ["41793026727", "41793026728"]
    assert output["bulkId"] == "bulk-7"
    assert len(sandbox.requests) == 1


def test_cli_run_reports_a_template_mismatch_by_field(
    server: SandboxServer, sandbox: Sandbox
) -> None:
    values = one_message({"templateName": "no_such_template", "language": "en"})
    result = cli(server.url, "run", ACTION, "--input", "-", key=KEY, stdin=values)
    assert result.returncode == 3, result.stderr
    error = error_of(result)
    assert error["type"] == "rejected"
    assert error["details"]["violations"][0]["field"] == "messages[0].content.templateName"


# ---------------------------------------------------------------- the rules and Infobip's unions

SPEC = SHARED / "infobip-openapi" / "infobip-whatsapp-openapi.json"


Variants = dict[str, tuple[set[str], dict[str, Any]]]


def _variants(spec: dict[str, Any], union: dict[str, Any]) -> Variants:
    """``{type: (required members, member schemas)}`` of a discriminated union (not ``type``)."""
    schemas = spec["components"]["schemas"]
    found: Variants = {}
    for kind, ref in union["discriminator"]["mapping"].items():
        variant = schemas[ref.rsplit("/", 1)[-1]]
        members: dict[str, Any] = {}
        for part in variant.get("allOf", []):
            members.update(part.get("properties", {}) if "$ref" not in part else {})
        found[kind] = (set(variant.get("required", [])) - {"type"}, members)
    return found


@pytest.mark.skipif(not SPEC.exists(), reason=NO_SHARED)
def test_header_and_button_rules_follow_infobips_unions() -> None:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    operation = spec["paths"][PATH]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schemas = spec["components"]["schemas"]

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        return schemas[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema

    message = resolve(resolve(schemas[ref.rsplit("/", 1)[-1]])["properties"]["messages"]["items"])
    data = resolve(resolve(message["properties"]["content"])["properties"]["templateData"])
    headers = _variants(spec, resolve(data["properties"]["header"]))
    for kind, members in HEADER_MEMBERS.items():
        required, declared = headers[kind]
        assert set(members) == required == set(declared), kind
    buttons = _variants(spec, resolve(data["properties"]["buttons"]["items"]))
    for kind in ("QUICK_REPLY", "URL", "COPY_CODE"):
        required, declared = buttons[kind]
        assert required == {"parameter"}, kind
        assert declared["parameter"].get("maxLength") == BUTTON_PARAMETER_LIMITS.get(kind), kind


@pytest.mark.parametrize(
    "prop",
    [
        {"type": "STRING", "sentWhenEmpty": []},
        {"type": "ARRAY", "items": {"type": "STRING"}, "sentWhenEmpty": {}},
        {"type": "ARRAY", "items": {"type": "STRING"}, "sentWhenEmpty": [], "required": True},
    ],
)
def test_sent_when_empty_belongs_to_an_optional_object_or_list(prop: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="sentWhenEmpty"):
        Property(name="x", **prop)
