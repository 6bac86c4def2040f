"""Every JSON line the connector writes is one line to every reader.

JSON leaves U+0085, U+2028 and U+2029 unescaped in its texts, where Python's
``str.splitlines`` and JavaScript's line terminators break: a reader splitting the CLI's
output, a ``poll``'s events, a ``serve`` answer or an MCP message that way got a line that
is no JSON. The connector writes each as its escape (``hosts/jsonout.escaped_breaks``):
the same JSON data. The MCP server's stdio lines are tested in test_mcp_lines.py, which runs
where the ``mcp`` extra is installed.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from infobip_connector.hosts import jsonout
from infobip_connector.hosts.serve.worker import Worker
from infobip_connector.sandbox import Sandbox, SandboxServer

from .serve_support import Feed, groups_of, request, sandbox_methods
from .test_cli import error_of, run_cli

MARKS = ["\u0085", "\u2028", "\u2029"]
KEY = "json-lines-key-0123456789"
SANDBOX_OPTIONS = {"api_key": KEY, "report_delay": 0.0}


def _one_line(text: str) -> Any:
    """The JSON of ``text``, which must be one line (its final newline aside) to
    ``str.splitlines`` as to a split at ``\\n``."""
    assert text.splitlines() == text.rstrip("\n").split("\n") == [text.rstrip("\n")]
    return json.loads(text)


def _data(mark: str) -> dict[str, Any]:
    # In a member name and in texts, after an escaped backslash, beside characters whose
    # UTF-8 shares a lead byte with one of the marks (U+201C, U+00A0), and nested.
    return {
        f"na{mark}me": [f"a{mark}b", f"\\{mark}", {"deep": mark * 3}],
        "quotes": "\u201cGr\u00fc\u00dfe\u201d\u00a0\u2027\u202a",
    }


@pytest.mark.parametrize("mark", MARKS)
@pytest.mark.parametrize("pretty", [True, False], ids=["pretty", "compact"])
@pytest.mark.parametrize("wide", [False, True], ids=["orjson", "standard library"])
def test_encoded_json_holds_no_raw_line_break(mark: str, pretty: bool, wide: bool) -> None:
    data: dict[str, Any] = _data(mark)
    if wide:
        data["big"] = 2**70  # past 64 bits: written by the standard library, not orjson
    text = jsonout.encode(data, pretty=pretty).decode("utf-8")
    assert mark not in text
    assert f"\\u{ord(mark):04x}" in text
    assert json.loads(text) == data
    assert "\u201c" in text and "\u00a0" in text  # other characters are left as they are
    if not pretty:
        assert _one_line(text) == data
        assert jsonout.line(data) == text.rstrip("\n")


def test_ascii_json_is_returned_untouched() -> None:
    data = b'{"a":"b\\u2028"}\n'
    assert jsonout.escaped_breaks(data) is data


@pytest.mark.parametrize("mark", MARKS)
def test_text_escapes_agree_with_byte_escapes(mark: str) -> None:
    text = json.dumps(_data(mark), ensure_ascii=False)
    assert jsonout.escaped_break_text(text).encode() == jsonout.escaped_breaks(text.encode())
    assert json.loads(jsonout.escaped_break_text(text)) == _data(mark)


@pytest.mark.parametrize("mark", MARKS)
def test_the_clis_error_line_is_one_line(
    mark: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "input.json"
    values = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]}
    source.write_text(json.dumps({**values, f"fo{mark}o": 1}), encoding="utf-8")
    code, out, err = run_cli(capsys, "run", "sendSms", "--sandbox", "--input", str(source))
    assert code == 2 and out == ""
    last = err.rstrip("\n").split("\n")[-1]
    assert _one_line(last)["error"]["details"]["errors"][0]["path"] == f"fo{mark}o"
    assert error_of(err)["type"] == "input"


@pytest.mark.parametrize("mark", MARKS)
def test_a_poll_event_is_one_line(
    mark: str,
    server: SandboxServer,
    sandbox: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INFOBIP_API_KEY", KEY)
    monkeypatch.setenv("INFOBIP_BASE_URL", server.url)
    sent = sandbox.receive_sms("385916242493", "385921004026", f"line one{mark}line two")
    state = tmp_path / "state.json"
    code, out, err = run_cli(capsys, "poll", "newInboundSms", "--state", str(state))
    assert code == 0, err
    event = _one_line(out)
    assert event["messageId"] == sent and event["text"] == f"line one{mark}line two"


@pytest.mark.parametrize("mark", MARKS)
def test_a_serve_answer_is_one_line(mark: str) -> None:
    values = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]}
    line = request(7, "execute", action="sendSms", input={**values, f"fo{mark}o": 1})
    written: list[bytes] = []
    worker = Worker(sandbox_methods(), written.append, max_in_flight=2, grace=5.0)
    asyncio.run(worker.serve(Feed(groups_of(line + b"\n"))))
    answer = _one_line(b"".join(written).decode("utf-8"))
    assert answer["id"] == 7
    assert answer["error"]["data"]["error"]["details"]["errors"][0]["path"] == f"fo{mark}o"
