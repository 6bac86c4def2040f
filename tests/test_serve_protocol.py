"""``serve`` speaks JSON-RPC 2.0 as the specification writes it, and maps the component onto it.

The specification's own examples (https://www.jsonrpc.org/specification, section 7) come
first; then the methods, their params, and the typed errors with the CLI's error object.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.hosts import cli
from infobip_connector.hosts.serve.connections import Connections
from infobip_connector.hosts.serve.methods import Methods
from infobip_connector.sandbox import Fault, Sandbox

from .serve_support import (
    KEY,
    SMS,
    by_id,
    methods_for,
    request,
    run_worker,
    sandbox_methods,
    send_sms,
)


def serve(*lines: bytes | str, methods: Methods | None = None) -> list[Any]:
    data = b"\n".join(line.encode() if isinstance(line, str) else line for line in lines)
    return run_worker(methods or sandbox_methods(), data + b"\n")


def code(answer: dict[str, Any]) -> int:
    value: int = answer["error"]["code"]
    return value


# -- the specification's examples ---------------------------------------------------------


def test_a_call_is_answered_with_its_id_and_result() -> None:
    [answer] = serve(request(1, "schema", action="connection"))
    assert answer["jsonrpc"] == "2.0"
    assert answer["id"] == 1
    assert answer["result"] == component.connection_schema()
    assert "error" not in answer


def test_positional_params_are_invalid_params() -> None:
    line = '{"jsonrpc": "2.0", "method": "schema", "params": ["sendSms"], "id": 1}'
    [answer] = serve(line)
    assert code(answer) == -32602
    assert answer["id"] == 1
    assert answer["error"]["data"]["error"]["details"]["errors"][0]["path"] == "params"


def test_notifications_get_no_answer_even_when_they_fail() -> None:
    assert (
        serve(
            '{"jsonrpc": "2.0", "method": "definition"}',
            '{"jsonrpc": "2.0", "method": "foobar"}',
            '{"jsonrpc": "2.0", "method": "schema", "params": {"action": "nope"}}',
        )
        == []
    )


def test_an_unknown_method_is_method_not_found() -> None:
    [answer] = serve('{"jsonrpc": "2.0", "method": "foobar", "id": "1"}')
    assert (code(answer), answer["id"]) == (-32601, "1")
    assert answer["error"]["data"]["error"]["details"]["errors"][0]["path"] == "method"


def test_invalid_json_is_a_parse_error_with_a_null_id() -> None:
    [answer] = serve('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]')
    assert (code(answer), answer["id"]) == (-32700, None)


def test_an_invalid_request_object_is_answered_with_a_null_id() -> None:
    [answer] = serve('{"jsonrpc": "2.0", "method": 1, "params": "bar"}')
    assert (code(answer), answer["id"]) == (-32600, None)


def test_a_batch_that_is_not_json_is_one_parse_error() -> None:
    line = (
        '[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},'
        '{"jsonrpc": "2.0", "method"]'
    )
    [answer] = serve(line)
    assert (code(answer), answer["id"]) == (-32700, None)


def test_an_empty_batch_is_one_invalid_request() -> None:
    [answer] = serve("[]")
    assert isinstance(answer, dict)
    assert (code(answer), answer["id"]) == (-32600, None)


@pytest.mark.parametrize("line", ["[1]", "[1,2,3]"])
def test_a_batch_of_non_requests_is_an_array_of_invalid_requests(line: str) -> None:
    [answers] = serve(line)
    assert isinstance(answers, list)
    assert len(answers) == len(json.loads(line))
    assert all(code(a) == -32600 and a["id"] is None for a in answers)


def test_a_mixed_batch_answers_every_request_but_the_notifications() -> None:
    line = json.dumps(
        [
            {"jsonrpc": "2.0", "method": "schema", "params": {"action": "sendSms"}, "id": "1"},
            {"jsonrpc": "2.0", "method": "definition"},
            {"jsonrpc": "2.0", "method": "validate", "params": {"action": "sendSms"}, "id": "2"},
            {"foo": "boo"},
            {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
            {"jsonrpc": "2.0", "method": "definition", "id": "9"},
        ]
    )
    [answers] = serve(line)
    assert isinstance(answers, list)
    assert len(answers) == 5
    found = by_id([a for a in answers if a["id"] is not None])
    assert found["1"]["result"] == component.input_schema("sendSms")
    assert code(found["2"]) == -32602
    assert code(found["5"]) == -32601
    assert found["9"]["result"] == component.definition_json()
    assert [code(a) for a in answers if a["id"] is None] == [-32600]


def test_a_batch_of_notifications_gets_no_answer_at_all() -> None:
    line = '[{"jsonrpc": "2.0", "method": "definition"}, {"jsonrpc": "2.0", "method": "x"}]'
    assert serve(line) == []


# -- ids and request objects --------------------------------------------------------------


@pytest.mark.parametrize("request_id", ["abc", 7, -3, 2.5, None, "", 2**63 - 1])
def test_the_id_comes_back_as_it_was_sent(request_id: Any) -> None:
    [answer] = serve(request(request_id, "definition"))
    assert answer["id"] == request_id
    assert type(answer["id"]) is type(request_id)


@pytest.mark.parametrize("request_id", ["{}", "[1]", "true"])
def test_an_id_of_another_type_is_an_invalid_request(request_id: str) -> None:
    [answer] = serve(f'{{"jsonrpc": "2.0", "method": "definition", "id": {request_id}}}')
    assert (code(answer), answer["id"]) == (-32600, None)


@pytest.mark.parametrize(
    "line",
    [
        '{"jsonrpc": "1.0", "method": "definition", "id": 4}',
        '{"method": "definition", "id": 4}',
        '{"jsonrpc": 2.0, "method": "definition", "id": 4}',
        '{"jsonrpc": "2.0", "id": 4}',
        '{"jsonrpc": "2.0", "method": "definition", "params": 3, "id": 4}',
        '{"jsonrpc": "2.0", "method": "definition", "params": null, "id": 4}',
    ],
)
def test_a_request_object_that_breaks_the_spec_is_invalid_with_its_id(line: str) -> None:
    [answer] = serve(line)
    assert (code(answer), answer["id"]) == (-32600, 4)


def test_every_error_carries_the_connectors_error_object() -> None:
    answers = serve("nope", "[]", request(1, "nope"), request(2, "schema"))
    for answer in answers:
        error = answer["error"]["data"]["error"]
        assert set(error) == {"type", "message", "details"}
        assert error["message"] == answer["error"]["message"]


# -- methods and params -------------------------------------------------------------------


def test_definition_and_schemas() -> None:
    answers = by_id(
        serve(
            request(1, "definition"),
            request(2, "schema", action="sendSms", output=True),
            request(3, "schema", action="connection", output=True),
            request(4, "schema", action="sendSms", output="yes"),
        )
    )
    assert answers[1]["result"] == component.definition_json()
    assert answers[2]["result"] == component.output_schema("sendSms")
    assert code(answers[3]) == -32602
    assert answers[4]["error"]["data"]["error"]["details"]["errors"] == [
        {"path": "output", "message": "must be true or false"}
    ]


def test_validate_returns_the_normalised_values_and_sends_nothing() -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    methods = methods_for(sandbox.transport())
    [answer] = serve(request(1, "validate", action="sendSms", input=SMS), methods=methods)
    assert answer["result"]["messages"][0]["destinations"][0]["to"] == "41793026727"
    assert sandbox.requests == []


def test_validate_takes_the_connections_phone_number_check() -> None:
    answers = by_id(
        serve(
            request(1, "validate", action="sendSms", input=SMS, phoneNumberCheck="possible"),
            request(2, "validate", action="sendSms", input=SMS, phoneNumberCheck="any"),
        )
    )
    assert "result" in answers[1]
    assert answers[2]["error"]["data"]["error"]["details"]["errors"] == [
        {"path": "phoneNumberCheck", "message": "must be one of: valid, possible"}
    ]


@pytest.mark.parametrize(
    ("params", "path", "message"),
    [
        ({"input": SMS}, "action", "is required"),
        ({"action": "sendSms"}, "input", "is required"),
        ({"action": 5, "input": SMS}, "action", "must be a string"),
        ({"action": "sendSms", "input": SMS, "idempotency_key": "k"}, "idempotency_key", None),
        ({"action": "sendSms", "input": SMS, "connection": "key"}, "connection", None),
        ({"action": "sendMail", "input": SMS}, "action", None),
    ],
)
def test_bad_params_are_named(params: dict[str, Any], path: str, message: str | None) -> None:
    [answer] = serve(request(1, "execute", **params))
    assert code(answer) == -32602
    [problem] = answer["error"]["data"]["error"]["details"]["errors"]
    assert problem["path"] == path
    if message is not None:
        assert problem["message"] == message


@pytest.mark.parametrize(
    ("method", "params", "path", "message"),
    [
        ("execute", {"action": "sendSms", "input": None}, "input", "is required"),
        ("execute", {"action": "sendSms", "input": [SMS]}, "input", "must be an object"),
        ("execute", {"action": "sendSms", "input": "x"}, "input", "must be an object"),
        (
            "execute",
            {"action": "sendSms", "input": SMS, "idempotencyKey": 5},
            "idempotencyKey",
            None,
        ),
        ("execute", {"action": None, "input": SMS}, "action", "is required"),
        ("validate", {"action": "sendSms", "input": None}, "input", "is required"),
        ("validate", {"action": "sendSms", "input": 3}, "input", "must be an object"),
        ("options", {"action": "sendSms", "property": "from", "input": []}, "input", None),
        ("schema", {"action": "sendSms", "output": "yes"}, "output", None),
        ("handleWebhook", {"trigger": "t", "request": {}, "settings": None}, "settings", None),
    ],
)
def test_null_and_wrong_type_params_are_invalid_params_naming_them(
    method: str, params: dict[str, Any], path: str, message: str | None
) -> None:
    [answer] = serve(request(1, method, **params))
    assert code(answer) == -32602
    # Every bad member is named (the webhook call here has others: its trigger, its body).
    problems = answer["error"]["data"]["error"]["details"]["errors"]
    [problem] = [p for p in problems if p["path"] == path]
    if message is not None:
        assert problem["message"].startswith(message)


def test_an_optional_member_that_is_null_is_not_given() -> None:
    answers = by_id(
        serve(
            request(1, "execute", action="sendSms", input=SMS, idempotencyKey=None),
            request(2, "execute", action="sendSms", input=SMS, connection=None),
            request(3, "schema", action="sendSms", output=None),
            request(4, "validate", action="sendSms", input=SMS, phoneNumberCheck=None),
        )
    )
    assert all("result" in answers[n] for n in (1, 2, 3, 4)), answers


def test_a_sandbox_worker_refuses_a_requests_own_connection() -> None:
    connection = {"token": "another-key-0123456789"}
    [answer] = serve(request(1, "execute", action="sendSms", input=SMS, connection=connection))
    assert code(answer) == -32602
    assert "another-key" not in json.dumps(answer)


def test_execute_sends_and_options_and_test_connection_read() -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    template = {"messages": [{"from": "447860099299"}]}
    answers = by_id(
        serve(
            send_sms(1),
            request(
                2,
                "options",
                action="sendWhatsappTemplateMessage",
                property="messages[].content.templateName",
                input=template,
            ),
            request(3, "testConnection"),
            methods=methods_for(sandbox.transport()),
        )
    )
    [message] = answers[1]["result"]["messages"]
    assert sandbox.accepted_message_ids == {message["messageId"]}
    assert answers[2]["result"] and all({"value", "label"} <= set(o) for o in answers[2]["result"])
    assert "balance" in answers[3]["result"]


# -- typed errors -------------------------------------------------------------------------


def cli_error(capsys: pytest.CaptureFixture[str], tmp_path: Any, values: Any) -> Any:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    with pytest.raises(SystemExit):
        cli.main(["run", "sendSms", "--input", str(path), "--sandbox"])
    return json.loads(capsys.readouterr().err.splitlines()[-1])


def test_an_input_error_is_the_object_the_cli_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    values = {"messages": [{"destinations": [{"to": "12"}, {"to": "x"}], "text": " "}]}
    [answer] = serve(request(1, "execute", action="sendSms", input=values))
    assert code(answer) == -32002
    assert answer["error"]["data"] == cli_error(capsys, tmp_path, values)
    assert answer["error"]["data"]["error"]["type"] == "input"


def test_a_rejection_an_unknown_outcome_and_a_refused_key_keep_their_types() -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    sandbox.script("POST", "/sms/2/text/advanced", Fault(status=400), Fault(status=500))
    methods = methods_for(sandbox.transport())
    rejected, unknown = (serve(send_sms(n), methods=methods)[0] for n in (1, 2))
    assert (code(rejected), rejected["error"]["data"]["error"]["type"]) == (-32003, "rejected")
    assert (code(unknown), unknown["error"]["data"]["error"]["type"]) == (-32004, "outcome_unknown")
    details = unknown["error"]["data"]["error"]["details"]
    assert details["bulkId"] and details["messageIds"]
    stranger = Connections(
        {"token": "not-the-sandbox-key-42"}, sandbox.transport(), None, sandbox=True
    )
    [refused] = serve(send_sms(3), methods=Methods(component, stranger))
    assert (code(refused), refused["error"]["data"]["error"]["type"]) == (-32005, "authentication")
    assert "not-the-sandbox-key-42" not in json.dumps(refused)


def test_without_a_key_a_request_is_told_how_to_give_one() -> None:
    connections = Connections.from_options(
        connection_file=None,
        sandbox=False,
        environ={},
        read_json=lambda path, what: None,
        notices=None,  # type: ignore[arg-type]  # not written to without --sandbox
    )
    answers = by_id(
        serve(send_sms(1), request(2, "definition"), methods=Methods(component, connections))
    )
    error = answers[1]["error"]["data"]["error"]
    assert (code(answers[1]), error["type"]) == (-32002, "usage")
    assert error["details"]["errors"][0]["path"] == "INFOBIP_API_KEY"
    assert "--sandbox" in error["message"] and "params" in error["message"]
    assert "result" in answers[2]


def test_an_idempotency_key_gives_a_repeated_step_the_same_ids() -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    step = {"action": "sendSms", "input": SMS}
    answers = by_id(
        serve(
            request(1, "execute", **step, idempotencyKey="dag/run-7/task"),
            request(2, "execute", **step, idempotencyKey="dag/run-7/task"),
            request(3, "execute", **step, idempotencyKey="dag/run-8/task"),
            request(4, "execute", **step, idempotencyKey=None),
            methods=methods_for(sandbox.transport()),
        )
    )
    ids = {
        n: (a["result"]["bulkId"], a["result"]["messages"][0]["messageId"])
        for n, a in answers.items()
    }
    assert ids[1] == ids[2]
    assert len({ids[1], ids[3], ids[4]}) == 3


@pytest.mark.parametrize("key", ["", "x" * 300, "tab\there"])
def test_an_unusable_idempotency_key_is_an_input_error_naming_it(key: Any) -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    step = request(1, "execute", action="sendSms", input=SMS, idempotencyKey=key)
    [answer] = serve(step, methods=methods_for(sandbox.transport()))
    assert code(answer) == -32002
    [problem] = answer["error"]["data"]["error"]["details"]["errors"]
    assert problem["path"] == "idempotencyKey"
    assert sandbox.requests == []
