"""The editor's HTTP server without a browser: page, static files, API, limits and secrets."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import struct
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.hosts.editor import EditorServer, make_server
from infobip_connector.hosts.editor.api import EditorBackend
from infobip_connector.hosts.editor.handler import MAX_BODY_BYTES
from infobip_connector.redaction import redact
from infobip_connector.sandbox import Sandbox, SandboxServer

SMS_INPUTS = {
    "messages": [
        {"text": "Hello", "destinations": [{"to": "41793026727"}, {"to": "+41 79 302 67 28"}]}
    ]
}


@pytest.fixture()
def server() -> Iterator[EditorServer]:
    with make_server(0) as running:
        yield running


def request(
    server: EditorServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def post_json(server: EditorServer, path: str, payload: Any) -> tuple[int, Any]:
    status, _, data = request(
        server, "POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    return status, json.loads(data)


def test_page_and_static_files_are_served(server: EditorServer) -> None:
    status, headers, page = request(server, "GET", "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b"/static/editor.js" in page and b"/static/editor.css" in page
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    for path, kind in (
        ("/static/editor.js", "text/javascript"),
        ("/static/editor.css", "text/css"),
    ):
        status, headers, data = request(server, "GET", path)
        assert status == 200 and headers["Content-Type"].startswith(kind) and data


def test_no_path_outside_the_static_files(server: EditorServer) -> None:
    for path in ("/static/../server.py", "/static/api.py", "/nope", "/static/"):
        status, _, _ = request(server, "GET", path)
        assert status == 404, path


def test_definition_is_what_the_component_exports(server: EditorServer) -> None:
    status, _, data = request(server, "GET", "/api/definition")
    assert status == 200
    definition = json.loads(data)
    # The lists named by `suggestions:` travel with it; the rest is the component's own JSON.
    time_zones = definition.pop("suggestions")["timeZones"]
    assert {"Europe/Zagreb", "America/New_York", "UTC"} <= set(time_zones)
    assert definition == component.definition_json()
    assert [a["name"] for a in definition["actions"]] == component.action_names


@pytest.mark.parametrize(
    ("inputs", "path"),
    [
        ({"messages": [{"text": "", "destinations": [{"to": "41793026727"}]}]}, "messages[0].text"),
        (
            {"messages": [{"text": "Hi", "destinations": [{"to": "12"}]}]},
            "messages[0].destinations[0].to",
        ),
    ],
)
def test_validate_reports_the_cli_errors_by_path(
    server: EditorServer, inputs: dict[str, Any], path: str
) -> None:
    status, answer = post_json(server, "/api/validate", {"action": "sendSms", "inputs": inputs})
    assert status == 200 and answer["ok"] is False
    assert path in {e["path"] for e in answer["errors"]}
    with pytest.raises(InputError) as raised:
        component.validate_input("sendSms", inputs)
    assert answer["errors"] == raised.value.errors


def test_validate_returns_normalised_values(server: EditorServer) -> None:
    status, answer = post_json(server, "/api/validate", {"action": "sendSms", "inputs": SMS_INPUTS})
    assert status == 200 and answer["ok"] is True
    destinations = answer["values"]["messages"][0]["destinations"]
    assert [d["to"] for d in destinations] == ["41793026727", "41793026728"]


def test_unknown_action_is_a_bad_request(server: EditorServer) -> None:
    status, answer = post_json(server, "/api/validate", {"action": "sendFax", "inputs": {}})
    assert status == 400
    assert "sendFax" in answer["error"]["message"]


def test_run_in_sandbox(server: EditorServer) -> None:
    sandbox = pytest.importorskip("infobip_connector.sandbox")
    if not hasattr(sandbox, "Sandbox"):
        pytest.skip("infobip_connector.sandbox has no Sandbox yet")
    payload = {"action": "sendSms", "inputs": SMS_INPUTS, "connection": None, "sandbox": True}
    status, answer = post_json(server, "/api/run", payload)
    assert status == 200, answer
    output = answer["output"]
    assert output["bulkId"]
    assert [m["status"]["name"] for m in output["messages"]] == ["PENDING_ACCEPTED"] * 2


def test_run_with_invalid_inputs_is_a_typed_error(server: EditorServer) -> None:
    payload = {"action": "sendSms", "inputs": {}, "connection": None, "sandbox": True}
    status, answer = post_json(server, "/api/run", payload)
    assert status == 422
    assert answer["error"]["type"] == "input"
    assert answer["error"]["details"]["errors"] == [{"path": "messages", "message": "is required"}]


def test_run_without_sandbox_needs_a_connection(server: EditorServer) -> None:
    payload = {"action": "sendSms", "inputs": SMS_INPUTS, "connection": None, "sandbox": False}
    status, answer = post_json(server, "/api/run", payload)
    assert status == 400 and answer["error"]["type"] == "request"


class _EchoingInfobip(BaseHTTPRequestHandler):
    """A hostile upstream that repeats the Authorization header in its error body."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = json.dumps(
            {
                "requestError": {
                    "serviceException": {
                        "messageId": "BAD_REQUEST",
                        "text": f"bad request, you sent {self.headers.get('Authorization')}",
                    }
                }
            }
        ).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture()
def echoing_upstream() -> Iterator[str]:
    upstream = HTTPServer(("127.0.0.1", 0), _EchoingInfobip)
    thread = threading.Thread(target=upstream.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{upstream.server_address[1]}"
    upstream.shutdown()
    upstream.server_close()


def test_token_is_never_echoed_nor_logged(
    server: EditorServer, echoing_upstream: str, canary: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    connection = {"token": canary, "baseUrl": echoing_upstream, "maxAttempts": 1}
    payload = {
        "action": "sendSms",
        "inputs": SMS_INPUTS,
        "connection": connection,
        "sandbox": False,
    }
    status, _, data = request(
        server,
        "POST",
        "/api/run",
        json.dumps(payload).encode(),
        {"Content-Type": "application/json"},
    )
    answer = json.loads(data)
    assert status == 502 and answer["error"]["type"] == "rejected", answer
    assert canary not in data.decode()
    assert canary not in caplog.text
    # Invalid connection values come back as configuration errors, still without the token.
    connection = {"token": canary, "baseUrl": f"ftp://{canary}.example"}
    payload["connection"] = connection
    status, _, data = request(
        server,
        "POST",
        "/api/run",
        json.dumps(payload).encode(),
        {"Content-Type": "application/json"},
    )
    assert status == 422 and json.loads(data)["error"]["type"] == "configuration"
    assert canary not in data.decode()


def test_body_over_the_cap_is_refused_unread(server: EditorServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest("POST", "/api/validate")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(MAX_BODY_BYTES + 1))
        conn.endheaders()
        response = conn.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["error"]["type"] == "request"
    finally:
        conn.close()


def test_malformed_requests(server: EditorServer) -> None:
    json_type = {"Content-Type": "application/json"}
    status, _, _ = request(server, "POST", "/api/validate", b"{not json", json_type)
    assert status == 400
    status, _, _ = request(server, "POST", "/api/validate", b"[1, 2]", json_type)
    assert status == 400
    # A form post from another site cannot reach the API: it cannot send JSON without a preflight.
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, _ = request(server, "POST", "/api/run", b"action=sendSms", form)
    assert status == 415
    status, _, _ = request(
        server, "POST", "/api/validate", b"{}", {**json_type, "Origin": "https://evil.example"}
    )
    assert status == 403
    status, _, _ = request(server, "POST", "/api/nothing", b"{}", json_type)
    assert status == 404


def test_foreign_host_header_is_refused(server: EditorServer) -> None:
    status, _, _ = request(server, "GET", "/api/definition", headers={"Host": "attacker.example"})
    assert status == 403


def test_only_loopback_hosts() -> None:
    for host in ("0.0.0.0", "192.168.1.10", "example.com", "::1"):
        with pytest.raises(ValueError, match="loopback"):
            make_server(0, host)


def test_server_lifecycle() -> None:
    server = make_server(0, "localhost")
    assert server.url == f"http://127.0.0.1:{server.port}/"
    server.start()
    status, _, _ = request(server, "GET", "/")
    assert status == 200
    server.stop()
    with pytest.raises(OSError):
        request(server, "GET", "/")
    make_server(0).stop()  # never started: stopping must not hang


def raw_status(server: EditorServer, body: bytes, content_type: str = "application/json") -> int:
    status, headers, data = request(
        server, "POST", "/api/validate", body, {"Content-Type": content_type}
    )
    assert headers["Content-Type"].startswith("application/json")
    error = json.loads(data)["error"]
    assert error["type"] == "request" and error["message"]
    return status


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
        (
            b'{"action": "sendSms", "inputs": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "application/json",
            400,
        ),
        (
            b'{"action": "sendSms", "inputs": ' + b'{"a":' * 2000 + b"1" + b"}" * 2000 + b"}",
            "application/json",
            400,
        ),
        (b"{" * 100_000, "application/json", 400),
        (b'{"action": "sendSms", "inputs": NaN}', "application/json", 400),
        (b"\xff\xfe\x00", "application/json", 400),
        (b"{}", "text/plain", 415),
        (b"{}", "application/xml", 415),
    ],
    ids=["deep", "deep-inputs", "deep-objects", "unclosed", "nan", "binary", "text", "xml"],
)
def test_bad_bodies_get_the_editors_error_shape(
    server: EditorServer, body: bytes, content_type: str, expected: int
) -> None:
    assert raw_status(server, body, content_type) == expected
    status, _, _ = request(server, "GET", "/api/definition")
    assert status == 200, "the server keeps serving"


def test_a_streamed_body_over_the_cap_is_refused(server: EditorServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest("POST", "/api/validate")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        chunk = b" " * 65536
        try:
            for _ in range(MAX_BODY_BYTES // len(chunk) + 2):
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass  # the server may close once it has answered
        response = conn.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["error"]["type"] == "request"
    finally:
        conn.close()


@pytest.mark.parametrize(
    "base_url",
    ["https://[::1", "https://[v1.x:.api.infobip.com]", "http://[::1]:99999", "https://[]"],
)
def test_malformed_connection_urls_are_configuration_errors(
    server: EditorServer, base_url: str, canary: str
) -> None:
    payload = {
        "action": "sendSms",
        "inputs": SMS_INPUTS,
        "connection": {"token": canary, "baseUrl": base_url},
        "sandbox": False,
    }
    status, answer = post_json(server, "/api/run", payload)
    assert status == 422, answer
    assert answer["error"]["type"] == "configuration"
    assert answer["error"]["details"]["errors"][0]["path"] == "baseUrl"
    assert canary not in json.dumps(answer)


def test_slow_clients_hold_no_threads_and_are_cut_off() -> None:
    server = EditorServer("127.0.0.1", 0, idle_timeout=1.0).start()
    try:
        threads_before = threading.active_count()
        slow = []
        for _ in range(200):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(b"POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
            slow.append(sock)
        status, _, _ = request(server, "GET", "/api/definition")
        assert status == 200
        assert threading.active_count() <= threads_before + 8
        try:
            for sock in slow:
                assert sock.recv(1024) == b""  # closed after the idle timeout, not held
        finally:
            for sock in slow:
                sock.close()
    finally:
        server.stop()


def test_a_browser_that_aborts_gets_no_traceback_printed(
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answered = threading.Event()

    def slow_definition(self: Any) -> dict[str, Any]:
        time.sleep(0.3)
        answered.set()
        return {"big": "x" * 1_000_000}

    monkeypatch.setattr(EditorBackend, "definition", slow_definition)
    caplog.set_level(logging.DEBUG)
    with make_server(0) as server:
        for _ in range(3):
            answered.clear()
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall(
                f"GET /api/definition HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
            )
            # Abort as a browser does when the tab closes: a reset, not an orderly close.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
            assert answered.wait(5)
            time.sleep(0.2)
        status, _, _ = request(server, "GET", "/")
        assert status == 200
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert "BrokenPipe" not in out + err and "ConnectionReset" not in out + err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_sandbox_run_masks_no_ordinary_word(server: EditorServer) -> None:
    payload = {"action": "sendSms", "inputs": SMS_INPUTS, "connection": None, "sandbox": True}
    status, _ = post_json(server, "/api/run", payload)
    assert status == 200
    # The sandbox run's key is masked from then on; it must not be a word data can hold.
    assert redact("messageId sandbox, bulkId sandbox") == "messageId sandbox, bulkId sandbox"


@pytest.mark.parametrize(
    "raw",
    [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\n\r\n",
        b"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
    ids=["garbage", "negative-length", "long-line", "bad-chunk"],
)
def test_malformed_http_is_answered_400_and_prints_nothing(
    raw: bytes, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with make_server(0) as editor, SandboxServer(Sandbox()) as sandbox:
        for port in (editor.port, int(sandbox.url.rsplit(":", 1)[1])):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(raw)
                assert sock.recv(64).startswith(b"HTTP/1.0 400 ")
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_options_of_a_property_without_them_is_answered_typed(server: EditorServer) -> None:
    payload = {"action": "sendSms", "property": "messages[0].text", "inputs": {}, "sandbox": True}
    status, answer = post_json(server, "/api/options", payload)
    assert status == 422
    assert answer["error"]["details"]["errors"][0]["path"] == "property"


def test_options_say_whether_the_list_was_cut(server: EditorServer) -> None:
    payload = {
        "action": "sendWhatsappTemplateMessage",
        "property": "messages[0].content.templateName",
        "inputs": {"messages": [{"from": "447860099299"}]},
        "sandbox": True,
    }
    status, answer = post_json(server, "/api/options", payload)
    assert status == 200 and answer["options"]
    assert answer["truncated"] is False and answer["dropped"] == 0
