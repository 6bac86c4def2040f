"""Send WhatsApp Template Message: the request, the answer, the checks, the sandbox and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import jsonschema
import pytest

from infobip_connector import component
from infobip_connector.definition.model import Property, format_path, walk
from infobip_connector.errors import InputError, OutcomeUnknownError, RejectedError
from infobip_connector.runtime.template_rules import BUTTON_PARAMETER_LIMITS, HEADER_MEMBERS
from infobip_connector.sandbox import NO_TEMPLATES_SENDER, Fault, Sandbox, SandboxServer
from infobip_connector.sandbox.templates import Template

from .conftest import SHARED
from .operation_slices import NO_SHARED
from .sandbox_support import conforms
from .test_e2e import cli, error_of

ACTION = "sendWhatsappTemplateMessage"
PATH = "/whatsapp/1/message/template"
KEY = "template-key-5e2b-91c3"  # at least 16 characters, as Infobip keys are
SANDBOX_OPTIONS = {"api_key": KEY, "deliver_reports": False}
CONNECTION = {"token": "template-token-9a4e", "baseUrl": "https://xyz12.api.infobip.com"}
SENDER = "447860099299"
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


# ---------------------------------------------------------------- checks before sending


def _problems(values: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        component.validate_input(ACTION, values)
    return {e["path"]: e["message"] for e in caught.value.errors}


def _one(content: dict[str, Any] | None = None, **message: Any) -> dict[str, Any]:
    base = {
        "from": SENDER,
        "to": "41793026727",
        "content": content or {"templateName": "t", "language": "en"},
    }
    return {"messages": [{**base, **message}]}


def test_from_and_to_are_checked_as_phone_numbers() -> None:
    problems = _problems(_one(**{"from": "12", "to": "+1 (555) 0"}))
    assert set(problems) == {"messages[0].from", "messages[0].to"}


def test_sms_failover_sender_follows_the_sms_sender_rules() -> None:
    problems = _problems(_one(smsFailover={"from": "AB", "text": "x"}))
    assert "3 to 11 characters" in problems["messages[0].smsFailover.from"]
    problems = _problems(_one(smsFailover={"from": "Info\u00e9SMS", "text": "x"}))
    assert "ASCII" in problems["messages[0].smsFailover.from"]
    # A numeric sender is normalised like a number.
    values = component.validate_input(
        ACTION, _one(smsFailover={"from": "+44 7860 099299", "text": "x"})
    )
    assert values["messages"][0]["smsFailover"]["from"] == SENDER


@pytest.mark.parametrize(
    ("header", "path", "words"),
    [
        ({"type": "TEXT"}, "placeholder", "is required when type is TEXT"),
        ({"type": "DOCUMENT", "mediaUrl": "https://e.com/a.pdf"}, "filename", "is required"),
        ({"type": "IMAGE"}, "mediaUrl", "is required when type is IMAGE"),
        ({"type": "LOCATION", "latitude": 1}, "longitude", "is required"),
        (
            {"type": "IMAGE", "mediaUrl": "https://e.com/a.png", "placeholder": "x"},
            "placeholder",
            "does not belong to a header of type IMAGE (it takes mediaUrl)",
        ),
        ({"type": "LOCATION", "latitude": 91, "longitude": 0}, "latitude", "at most 90"),
        ({"type": "VIDEO", "mediaUrl": "ftp://e.com/a.mp4"}, "mediaUrl", "http"),
        ({"type": "AUDIO"}, "type", "one of"),
    ],
)
def test_a_header_takes_the_members_of_its_type(
    header: dict[str, Any], path: str, words: str
) -> None:
    content = {
        "templateName": "t",
        "language": "en",
        "templateData": {"body": {"placeholders": ["x"]}, "header": header},
    }
    problems = _problems(_one(content))
    where = f"messages[0].content.templateData.header.{path}"
    assert words in problems[where], problems


def test_buttons_are_checked_by_type() -> None:
    buttons = [
        {"type": "COPY_CODE", "parameter": "1234567890123456"},
        {"type": "QUICK_REPLY", "parameter": "q" * 129},
        {"type": "URL", "parameter": "u" * 500},
        {"type": "URL", "parameter": "a"},
        {"type": "URL", "parameter": "b"},
    ]
    content = {"templateName": "t", "language": "en", "templateData": {"buttons": buttons}}
    problems = _problems(_one(content))
    base = "messages[0].content.templateData.buttons"
    assert "at most 15" in problems[f"{base}[0].parameter"]
    assert "at most 128" in problems[f"{base}[1].parameter"]
    assert "at most two dynamic URL buttons" in problems[base]
    assert f"{base}[2].parameter" not in problems  # 500 is within a URL extension's 2,000


DATA = "messages[0].content.templateData"


@pytest.mark.parametrize(
    ("data", "path", "limit"),
    [
        # WhatsApp's limits: a body parameter, a text header, a whole button URL.
        ({"body": {"placeholders": ["a", "p" * 32769]}}, "body.placeholders[1]", 32768),
        # An emoji is two UTF-16 code units, as Infobip counts.
        ({"body": {"placeholders": ["\U0001f600" * 16385]}}, "body.placeholders[0]", 32768),
        ({"header": {"type": "TEXT", "placeholder": "h" * 61}}, "header.placeholder", 60),
        ({"buttons": [{"type": "URL", "parameter": "u" * 2001}]}, "buttons[0].parameter", 2000),
    ],
)
def test_template_texts_have_whatsapps_caps(data: dict[str, Any], path: str, limit: int) -> None:
    content = {"templateName": "t", "language": "en", "templateData": data}
    problems = _problems(_one(content))
    assert list(problems) == [f"{DATA}.{path}"]
    assert f"at most {limit} characters" in problems[f"{DATA}.{path}"]


@pytest.mark.parametrize(
    "data",
    [
        # A body alone: WhatsApp's limit for a body parameter.
        {"body": {"placeholders": ["p" * 32768, "\U0001f600" * 16384]}},
        # With a header and buttons, a body parameter has 1,024.
        {
            "body": {"placeholders": ["p" * 1024, "\U0001f600" * 512]},
            "header": {"type": "TEXT", "placeholder": "h" * 60},
            "buttons": [{"type": "URL", "parameter": "u" * 2000}],
        },
    ],
)
def test_template_texts_at_their_caps_are_accepted(data: dict[str, Any]) -> None:
    values = _one({"templateName": "t", "language": "en", "templateData": data})
    assert component.validate_input(ACTION, values)["messages"][0]["content"]["templateData"]


def test_every_text_item_of_a_list_has_a_cap() -> None:
    """A list of free texts (placeholders, IDs) caps each item, in every action."""
    uncapped = [
        f"{action.name}: {format_path(path)}"
        for action in component.definition.actions
        for path, prop in walk(action.as_property())
        if path
        and path[-1] == "*"
        and prop.type == "STRING"
        and prop.maxLength is None
        and not prop.options
    ]
    assert uncapped == []


def test_empty_placeholder_values_and_repeated_ids_are_refused() -> None:
    content = {
        "templateName": "t",
        "language": "en",
        "templateData": {"body": {"placeholders": ["a", " "]}},
    }
    values = _one(content, messageId="same")
    values["messages"].append({**values["messages"][0]})
    problems = _problems(values)
    assert "blank" in problems["messages[0].content.templateData.body.placeholders[1]"]
    assert "is the same as messages[0].messageId" in problems["messages[1].messageId"]


def test_bad_input_never_reaches_infobip() -> None:
    with pytest.raises(InputError):
        _recorded(_one({"templateName": "", "language": "en"}))


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
        _run(sandbox, _one(content))
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
    values = _one({"templateName": "no_such_template", "language": "en"})
    result = cli(server.url, "run", ACTION, "--input", "-", key=KEY, stdin=values)
    assert result.returncode == 3, result.stderr
    error = error_of(result)
    assert error["type"] == "rejected"
    assert error["details"]["violations"][0]["field"] == "messages[0].content.templateName"


# ---------------------------------------------------------------- the template and language pickers

NAME = "messages[0].content.templateName"
LANGUAGE = "messages[0].content.language"


def _options(sandbox: Sandbox, path: str, values: dict[str, Any]) -> list[dict[str, str]]:
    return component.options(ACTION, path, values, {"token": KEY}, transport=sandbox.transport())


def test_the_template_picker_lists_the_senders_approved_templates() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    options = _options(sandbox, NAME, _one())
    assert options == [
        {"value": "welcome", "label": "welcome (de, en)"},
        {"value": "order_update", "label": "order_update (en)"},
        {"value": "verification_code", "label": "verification_code (en)"},
        {"value": "order_payment", "label": "order_payment (en)"},
    ]
    assert [(r.method, r.path) for r in sandbox.requests] == [
        ("GET", f"/whatsapp/2/senders/{SENDER}/templates")
    ]


def test_the_language_picker_lists_the_chosen_templates_languages() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    values = _one({"templateName": "welcome"})
    assert _options(sandbox, LANGUAGE, values) == [
        {"value": "de", "label": "de"},
        {"value": "en", "label": "en"},
    ]
    with pytest.raises(InputError) as caught:
        _options(sandbox, LANGUAGE, _one({"language": "en"}))
    assert caught.value.errors[0]["path"] == NAME


def test_the_sender_is_looked_up_in_infobips_form() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.add_template(SENDER, Template("spring_sale", "hr", "Proljetna rasprodaja!", id="7"))
    values = _one(**{"from": "+44 7860 099299"})
    assert {"value": "spring_sale", "label": "spring_sale (hr)"} in _options(sandbox, NAME, values)


def test_the_picker_asks_infobip_exactly_this_and_keeps_approved_templates() -> None:
    seen: list[httpx.Request] = []
    answer = {
        "templates": [
            {"name": "a", "language": "en", "status": "APPROVED"},
            {"name": "b", "language": "en", "status": "PENDING"},
            {"name": "c", "language": "en", "status": "REJECTED"},
            {"name": "a", "language": "fr", "status": "APPROVED"},
        ]
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answer)

    options = component.options(
        ACTION,
        "messages[].content.templateName",
        _one(),
        CONNECTION,
        transport=httpx.MockTransport(handler),
    )
    assert options == [{"value": "a", "label": "a (en, fr)"}]
    (request,) = seen
    assert request.method == "GET" and request.content == b""
    assert request.url.raw_path == f"/whatsapp/2/senders/{SENDER}/templates".encode()


@pytest.mark.parametrize(
    ("message", "path"),
    [({"from": None}, "messages[0].from"), ({"from": "12"}, "messages[0].from")],
)
def test_a_missing_or_wrong_sender_is_input_error_and_nothing_is_asked(
    message: dict[str, Any], path: str
) -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    with pytest.raises(InputError) as caught:
        _options(sandbox, NAME, _one(**message))
    assert caught.value.errors[0]["path"] == path
    assert sandbox.requests == []


def test_the_picker_is_a_read_a_503_is_retried() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.script("GET", f"/whatsapp/2/senders/{SENDER}/templates", Fault(status=503))
    assert _options(sandbox, NAME, _one())[0]["value"] == "welcome"
    assert len(sandbox.requests) == 2


def test_cli_options_over_a_socket(server: SandboxServer, sandbox: Sandbox, tmp_path: Any) -> None:
    (tmp_path / "input.json").write_text(json.dumps(_one()))
    result = cli(
        server.url,
        "options",
        ACTION,
        "messages[].content.templateName",
        "--input",
        str(tmp_path / "input.json"),
        key=KEY,
    )
    assert result.returncode == 0, result.stderr
    assert [o["value"] for o in json.loads(result.stdout)] == [
        "welcome",
        "order_update",
        "verification_code",
        "order_payment",
    ]


#: The pickers' properties as ``options`` names them (any message: ``[]``).
PICKED_NAME = "messages[].content.templateName"
PICKED_LANGUAGE = "messages[].content.language"


def _sandbox_cli(*args: str, values: dict[str, Any], tmp_path: Any) -> Any:
    """``infobip-connector ARGS --input FILE --sandbox`` (FILE holding ``values``), run."""
    (tmp_path / "input.json").write_text(json.dumps(values))
    command = [*args, "--input", str(tmp_path / "input.json"), "--sandbox"]
    return subprocess.run(
        [sys.executable, "-m", "infobip_connector", *command],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_sandbox_has_a_sender_without_templates(tmp_path: Any) -> None:
    values = _one(**{"from": NO_TEMPLATES_SENDER})
    result = _sandbox_cli("options", ACTION, PICKED_NAME, values=values, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    # The language picker of a template the sender does not have: at templateName.
    values = _one({"templateName": "welcome"}, **{"from": NO_TEMPLATES_SENDER})
    result = _sandbox_cli("options", ACTION, PICKED_LANGUAGE, values=values, tmp_path=tmp_path)
    assert error_of(result)["type"] == "input"
    assert error_of(result)["details"]["errors"][0]["path"] == NAME


def test_the_sender_without_templates_can_be_given_one() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    assert _options(sandbox, NAME, _one(**{"from": NO_TEMPLATES_SENDER})) == []
    sandbox.add_template(NO_TEMPLATES_SENDER, Template("first", "en", "Hello", id="9"))
    options = _options(sandbox, NAME, _one(**{"from": NO_TEMPLATES_SENDER}))
    assert options == [{"value": "first", "label": "first (en)"}]
    assert _options(sandbox, NAME, _one())[0]["value"] == "welcome"  # the others keep theirs


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
