"""Kinds, query and path parameters, dynamic options: on test-only actions (tests/defined/).

A ``read`` is retried after an ambiguous failure; a ``consume`` (like a ``send``) never is,
and its error says the items may be lost. Parameters are placed as declared and encoded
once, identically on the sync and async paths.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from infobip_connector import Component, InputError, OutcomeUnknownError, UnreachableError
from infobip_connector.transport import exchange
from tests.defined import write_definition

BASE = "https://xyz12.api.infobip.com"
LOGS = {"results": [{"messageId": "M1"}]}


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "BACKOFF_BASE", 0.001)


@pytest.fixture(scope="module")
def defined(tmp_path_factory: pytest.TempPathFactory) -> Component:
    return Component(write_definition(tmp_path_factory.mktemp("defined")))


def test_query_parameters_repeated_or_joined_and_no_body_on_get(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component
) -> None:
    httpx_mock.add_response(json=LOGS)
    values = {"messageId": ["M1", "M 2&x=1"], "bulkId": ["B1", "B2"], "limit": 5}
    assert defined.execute("getSmsLogs", values, connection) == LOGS
    (request,) = httpx_mock.get_requests()
    assert request.method == "GET"
    assert request.url.raw_path == (
        b"/sms/3/logs?messageId=M1&messageId=M%202%26x%3D1&bulkId=B1%2CB2&limit=5"
    )
    assert request.content == b""
    assert "Content-Type" not in request.headers


def test_filters_left_out_are_not_sent(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component
) -> None:
    httpx_mock.add_response(json=LOGS)
    defined.execute("getSmsLogs", {}, connection)
    assert httpx_mock.get_requests()[0].url.raw_path == b"/sms/3/logs"


def test_empty_filters_are_refused(connection: dict[str, str], defined: Component) -> None:
    with pytest.raises(InputError) as caught:
        defined.execute("getSmsLogs", {"messageId": [], "limit": None}, connection)
    assert [e["path"] for e in caught.value.errors] == ["messageId", "limit"]


@pytest.mark.parametrize("sender", ["../../account/1/balance", "a/b?c=d#e", ".", "%2E"])
def test_path_parameters_cannot_change_the_path(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component, sender: str
) -> None:
    httpx_mock.add_response(json={"templates": []})
    defined.execute("getWhatsappTemplates", {"sender": sender}, connection)
    path = httpx_mock.get_requests()[0].url.raw_path.decode()
    segment = path.removeprefix("/whatsapp/2/senders/").removesuffix("/templates")
    assert "/" not in segment and "." not in segment and "?" not in path
    assert httpx.URL("http://h/" + segment).path[1:] == sender


class _Recorder(http.server.BaseHTTPRequestHandler):
    targets: list[str] = []

    def do_GET(self) -> None:
        self.targets.append(self.path)
        body = json.dumps(TEMPLATES).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def recorder() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.targets = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_sync_and_async_paths_send_the_same_target(recorder: str, defined: Component) -> None:
    connection = {"token": "kinds-key-1-0a1b2c3d", "baseUrl": recorder}
    values = {"sender": "../x y/ä"}
    defined.execute("getWhatsappTemplates", values, connection)
    asyncio.run(defined.execute_async("getWhatsappTemplates", values, connection))
    sync, pooled_async = _Recorder.targets
    assert sync == pooled_async == "/whatsapp/2/senders/%2E%2E%2Fx%20y%2F%C3%A4/templates"


@pytest.mark.parametrize(
    "fault",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"), httpx.ReadError("reset")],
)
def test_a_read_is_retried_after_an_ambiguous_failure(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component, fault: Exception
) -> None:
    httpx_mock.add_exception(fault)
    httpx_mock.add_response(json=LOGS)
    assert defined.execute("getSmsLogs", {}, connection) == LOGS
    assert len(httpx_mock.get_requests()) == 2


def test_a_read_is_retried_after_a_5xx_until_attempts_run_out(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component
) -> None:
    httpx_mock.add_response(status_code=503, text="busy", is_reusable=True)
    with pytest.raises(UnreachableError) as info:
        defined.execute("getSmsLogs", {}, {**connection, "maxAttempts": 3})
    assert len(httpx_mock.get_requests()) == 3
    assert "safe to repeat" in info.value.message
    assert "resending" not in info.value.message


def test_a_read_is_retried_on_the_async_path(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component
) -> None:
    httpx_mock.add_response(status_code=502)
    httpx_mock.add_response(json=LOGS)
    output = asyncio.run(
        defined.execute_async("getSmsLogs", {}, connection, transport=httpx.AsyncHTTPTransport())
    )
    assert output == LOGS and len(httpx_mock.get_requests()) == 2


@pytest.mark.parametrize("fault", [503, httpx.ReadTimeout("slow")])
def test_a_consume_is_never_repeated_and_says_items_may_be_lost(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component, fault: Any
) -> None:
    if isinstance(fault, int):
        httpx_mock.add_response(status_code=fault)
    else:
        httpx_mock.add_exception(fault)
    with pytest.raises(OutcomeUnknownError) as info:
        defined.execute("getSmsDeliveryReports", {"bulkId": "B1"}, connection)
    assert len(httpx_mock.get_requests()) == 1
    assert "lost" in info.value.message and "resending" not in info.value.message
    assert info.value.details["bulkId"] == "B1"


def test_a_read_answer_of_the_wrong_shape_says_it_is_safe_to_repeat(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component
) -> None:
    httpx_mock.add_response(json=[1, 2])
    with pytest.raises(OutcomeUnknownError) as info:
        defined.execute("getSmsLogs", {}, connection)
    assert "safe to repeat" in info.value.message


def test_rejected_warnings_only_for_sends(
    httpx_mock: HTTPXMock,
    connection: dict[str, str],
    defined: Component,
    caplog: pytest.LogCaptureFixture,
) -> None:
    rejected = {"groupId": 5, "name": "REJECTED_NETWORK"}
    httpx_mock.add_response(json={"results": [{"messageId": "M1", "status": rejected}]})
    with caplog.at_level(logging.WARNING):
        defined.execute("getSmsLogs", {}, connection)
    assert "rejected" not in caplog.text


# ---------------------------------------------------------------- dynamic options

TEMPLATES = {
    "templates": [
        {"name": "welcome", "language": "en"},
        {"name": "order_ready", "language": "de"},
    ]
}


def test_options_follow_the_dependency(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component
) -> None:
    httpx_mock.add_response(json=TEMPLATES)
    values = {"messages": [{"from": "111"}, {"from": "447860099299"}]}
    options = defined.options(
        "getWhatsappTemplates", "messages[1].content.templateName", values, connection
    )
    assert options == [
        {"value": "welcome", "label": "welcome (en)"},
        {"value": "order_ready", "label": "order_ready (de)"},
    ]
    (request,) = httpx_mock.get_requests()
    assert request.method == "GET"
    assert request.url.raw_path == b"/whatsapp/2/senders/447860099299/templates"


def test_options_are_a_read(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component
) -> None:
    httpx_mock.add_response(status_code=503)
    httpx_mock.add_response(json=TEMPLATES)
    values = {"messages": [{"from": "447860099299"}]}
    defined.options("getWhatsappTemplates", "messages[].content.templateName", values, connection)
    assert len(httpx_mock.get_requests()) == 2


@pytest.mark.parametrize(
    ("path", "values", "where", "said"),
    [
        ("messages[].content.templateName", {}, "messages[0].from", "is required"),
        ("messages[].content.templateName", {"messages": [{"from": 7}]}, "messages[0].from", ""),
        (
            "messages[].content.templateName",
            {"messages": [{"from": "x" * 25}]},
            "messages[0].from",
            "",
        ),
        ("messages[].from", {}, "property", "no options"),
        ("messages[].nothing", {}, "property", "not a property"),
        ("messages[.from", {}, "property", "not a property path"),
        (["messages"], {}, "property", "not a property path"),
        ("messages[].content.templateName", [], "", "object"),
    ],
)
def test_options_input_mistakes_never_reach_infobip(
    httpx_mock: HTTPXMock,
    connection: dict[str, str],
    defined: Component,
    path: Any,
    values: Any,
    where: str,
    said: str,
) -> None:
    with pytest.raises(InputError) as info:
        defined.options("getWhatsappTemplates", path, values, connection)
    assert info.value.errors[0]["path"] == where
    assert said in info.value.errors[0]["message"]
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize("answer", [{"templates": [{"name": 3}]}, {"x": 1}, [None], "text"])
def test_options_from_an_answer_of_another_shape_are_a_typed_error(
    httpx_mock: HTTPXMock, connection: dict[str, str], defined: Component, answer: Any
) -> None:
    httpx_mock.add_response(json=answer)
    with pytest.raises(OutcomeUnknownError) as info:
        defined.options(
            "getWhatsappTemplates",
            "messages[].content.templateName",
            {"messages": [{"from": "447860099299"}]},
            connection,
        )
    assert "safe to repeat" in info.value.message


def _templates_action(raw: dict[str, Any]) -> dict[str, Any]:
    action: dict[str, Any] = raw["actions"][2]
    return action


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda a: a["properties"][0].pop("minLength"), "in: path"),
        (lambda a: a["properties"][0].pop("required"), "in: path"),
        (
            lambda a: a["properties"][1]["items"]["properties"][0].update({"in": "query"}),
            "top-level",
        ),
        (lambda a: a.update({"accountsMessages": True}), "accountsMessages"),
        (lambda a: a.update({"kind": "write"}), "kind"),
        (lambda a: a.pop("kind"), "kind"),
    ],
)
def test_definition_rules_for_kinds_and_parameters(change: Any, said: str) -> None:
    import yaml

    from infobip_connector.definition.model import DefinitionError, parse_definition
    from tests.defined import definition_text

    raw = yaml.safe_load(definition_text())
    change(_templates_action(raw))
    with pytest.raises(DefinitionError, match=said):
        parse_definition(raw)


def test_cli_options_over_a_real_socket(
    recorder: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from infobip_connector.hosts.cli import main

    definition = write_definition(tmp_path)
    (tmp_path / "in.json").write_text('{"messages": [{"from": "447860099299"}]}')
    (tmp_path / "c.json").write_text(
        json.dumps({"token": "kinds-key-2-0a1b2c3d", "baseUrl": recorder})
    )
    main(
        [
            "options",
            "getWhatsappTemplates",
            "messages[].content.templateName",
            "--input",
            str(tmp_path / "in.json"),
            "--connection",
            str(tmp_path / "c.json"),
            "--definition",
            str(definition),
        ]
    )
    assert json.loads(capsys.readouterr().out) == [
        {"value": "welcome", "label": "welcome (en)"},
        {"value": "order_ready", "label": "order_ready (de)"},
    ]
    assert _Recorder.targets == ["/whatsapp/2/senders/447860099299/templates"]


def test_cli_options_of_a_property_without_them_is_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from infobip_connector.hosts.cli import main

    with pytest.raises(SystemExit) as info:
        main(["options", "sendSms", "messages[].text", "--sandbox"])
    assert info.value.code == 2
    error = json.loads(capsys.readouterr().err.splitlines()[-1])["error"]
    assert error["details"]["errors"][0]["path"] == "property"


def test_the_definition_as_json_writes_keys_as_connector_yaml(defined: Component) -> None:
    data = defined.definition_json()
    assert '"location"' not in json.dumps(data)
    logs = data["actions"][0]["properties"]
    assert logs[0]["in"] == "query" and "explode" not in logs[0]
    assert logs[1]["explode"] is False
    assert "in" not in data["actions"][2]["properties"][1]  # the default, body, is left out


# ---------------------------------------------------------------- the editor's options


def _editor_options(
    defined: Component, monkeypatch: pytest.MonkeyPatch, inputs: Any, connection: Any
) -> tuple[int, dict[str, Any]]:
    """The editor backend's answer for the template-name field, on the test definition."""
    from infobip_connector.hosts.editor import api

    monkeypatch.setattr(api, "component", defined)
    return api.EditorBackend().options(
        "getWhatsappTemplates",
        "messages[0].content.templateName",
        inputs,
        connection,
        connection is None,
    )


def test_editor_backend_lists_options_from_the_sandbox(
    defined: Component, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = {"messages": [{"from": "447860099299"}]}
    status, answer = _editor_options(defined, monkeypatch, inputs, None)
    assert status == 200
    assert {"value": "welcome", "label": "welcome (en)"} in answer["options"]


def test_editor_backend_options_mistakes_are_typed_and_keep_the_token(
    defined: Component, monkeypatch: pytest.MonkeyPatch
) -> None:
    connection = {"token": "editor-options-key-9", "baseUrl": "https://xyz12.api.infobip.com"}
    status, answer = _editor_options(defined, monkeypatch, {"messages": [{}]}, connection)
    assert status == 422
    assert answer["error"]["details"]["errors"][0]["path"] == "messages[0].from"
    assert "editor-options-key-9" not in json.dumps(answer)
