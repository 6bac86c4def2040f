"""``mcp --http``: every body that cannot be read gets a JSON-RPC error, as its stdio line.

A text holding half of a UTF-16 pair (``"\\ud800"``) or bytes that are not UTF-8 keep the
request's id, and the error names the member by path; a body that is not JSON, JSON that
is no JSON-RPC message, a body past the bound and a Content-Type other than JSON each get
a JSON-RPC error in a JSON body, never a bare status, pydantic's text or ``internal``.
A real server (``--sandbox``) on a free port; skipped without the ``mcp`` extra.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from .test_mcp_http_guard import opened_session, serving

httpx = pytest.importorskip("httpx")

SEND_HEAD = b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sendSms",'
TEXT_AT = "params.arguments.messages[0].text"


def _send(text: bytes) -> bytes:
    """A sendSms call whose text is ``text`` as written in the body."""
    arguments = b'"arguments":{"messages":[{"destinations":[{"to":"+41793026727"}],"text":"'
    return SEND_HEAD + arguments + text + b'"}]}}}'


#: (body, HTTP status, JSON-RPC code, id answered, path named or None).
CASES: dict[str, tuple[bytes, int, int, Any, str | None]] = {
    "half a pair in arguments": (_send(b"\\ud800"), 400, -32602, 1, TEXT_AT),
    "bytes not UTF-8 in arguments": (_send(b"\xff\xfe"), 400, -32602, 1, TEXT_AT),
    "half a pair in the id": (b'{"jsonrpc":"2.0","id":"\\udc00a","method":"ping"}', 400, -32600,
                              "\udc00a", "id"),
    "half a pair in the method": (b'{"jsonrpc":"2.0","id":3,"method":"pi\\ud800"}', 400, -32600,
                                  3, "method"),
    "empty": (b"", 400, -32700, None, None),
    "not JSON": (b"garbage", 400, -32700, None, None),
    "NaN": (b'{"jsonrpc":"2.0","id":6,"method":"ping","params":{"x":NaN}}', 400, -32700, None,
            None),
    "byte order mark": (b'\xef\xbb\xbf{"jsonrpc":"2.0","id":4,"method":"ping"}', 400, -32700,
                        None, None),
    "batch": (b'[{"jsonrpc":"2.0","id":5,"method":"ping"}]', 400, -32600, None, None),
    "a number": (b"42", 400, -32600, None, None),
    "no jsonrpc member": (b'{"id":7,"method":"ping","params":{"text":"+41793026727"}}', 400,
                          -32600, 7, None),
    "a member given twice": (_send(b'a","text":"b'), 400, -32600, 1, None),
    "the id given twice": (b'{"jsonrpc":"2.0","id":9,"id":10,"method":"ping"}', 400, -32600,
                           None, None),
    "huge": (b'{"jsonrpc":"2.0","id":8,"method":"ping","params":{"x":"' + b"a" * (5 << 20)
             + b'"}}', 413, -32600, None, None),
}  # fmt: skip


@pytest.fixture(scope="module")
def session() -> Iterator[tuple[Any, str, dict[str, str]]]:
    """A client, the server's URL and the headers of an initialized session."""
    for port in serving():
        with httpx.Client(timeout=60) as client:
            url, headers = opened_session(client, port)
            yield client, url, headers


def _error(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body: dict[str, Any] = json.loads(answer.text)
    assert body["jsonrpc"] == "2.0" and set(body) == {"jsonrpc", "id", "error"}
    assert "internal" not in answer.text and "input_value" not in answer.text
    return body


@pytest.mark.parametrize("case", list(CASES))
def test_an_unreadable_body_gets_a_json_rpc_error(
    session: tuple[Any, str, dict[str, str]], case: str
) -> None:
    client, url, headers = session
    body, status, code, request_id, path = CASES[case]
    answer = _error(client.post(url, content=body, headers=headers), status)
    assert answer["error"]["code"] == code
    assert answer["id"] == request_id
    if path is not None:
        data = answer["error"]["data"]
        assert data["type"] == "input"
        assert [e["path"] for e in data["details"]["errors"]] == [path]
        assert path in answer["error"]["message"]
    assert "+41" not in json.dumps(answer)  # the body is never quoted back
    alive = client.post(url, json={"jsonrpc": "2.0", "id": 99, "method": "ping"}, headers=headers)
    assert alive.status_code == 200 and '"id":99' in alive.text


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/jsonx"])
def test_a_body_that_is_not_said_to_be_json_gets_a_json_rpc_error(
    session: tuple[Any, str, dict[str, str]], content_type: str | None
) -> None:
    client, url, headers = session
    sent = {k: v for k, v in headers.items() if k != "Content-Type"}
    if content_type is not None:
        sent["Content-Type"] = content_type
    ping = b'{"jsonrpc":"2.0","id":11,"method":"ping"}'
    answer = _error(client.post(url, content=ping, headers=sent), 415)
    assert answer["error"]["code"] == -32600 and "Content-Type" in answer["error"]["message"]
