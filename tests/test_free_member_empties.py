"""Empty values inside objects with free members (a FLOW button's ``data``, an order
payment's ``callbackData``) are data, not fields left empty: each one Infobip's description
allows there is sent exactly as given, each one it does not is refused at its own path, and
never is one dropped in silence. The library, ``serve``, the CLI, the editor's JSON preview
and the sandbox agree; a free object that is itself empty is still not given."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest

from infobip_connector import component

from .conftest import ROOT
from .serve_support import request, run_worker, sandbox_methods
from .template_support import ACTION, input_problems, sent_body
from .test_cli import error_of, run_cli
from .test_free_member_rules import CALLBACK, DATA, flow, flow_client, razorpay, sent_data

# Values Infobip's description allows below a flow data member (any JSON value): sent as is.
KEPT = [
    {"screen": {}},
    {"screen": {"name": None}},
    {"screen": {"tags": [], "extra": {}, "note": None}},
    {"screen": {"items": [{}, [], None]}},
    {"screen": {"step": 1}, "later": {}},
]


@pytest.mark.parametrize("data", KEPT)
def test_empty_values_a_flow_data_member_allows_are_sent_as_given(data: dict[str, Any]) -> None:
    assert sent_data(data) == data
    assert _validated(data) == data


# Values the description does not allow (a first-level member is an object; no text is blank).
REFUSED = [
    ({"screen": None}, "screen", "must be an object, not null"),
    ({"screen": []}, "screen", "must be an object, not a list"),
    ({"screen": ""}, "screen", "must be an object, not text"),
    ({"ok": {"a": 1}, "screen": None}, "screen", "must be an object, not null"),
    ({"screen": {"name": ""}}, "screen.name", "must not be blank"),
    ({"screen": {"list": ["a", ""]}}, "screen.list[1]", "must not be blank"),
]


@pytest.mark.parametrize(("data", "where", "said"), REFUSED)
def test_empty_values_a_flow_data_member_does_not_allow_are_refused_at_their_path(
    data: dict[str, Any], where: str, said: str
) -> None:
    problems = input_problems(flow(data))
    assert list(problems) == [f"{DATA}.{where}"], problems
    assert problems[f"{DATA}.{where}"].startswith(said)


@pytest.mark.parametrize(
    ("callback_data", "where", "said"),
    [
        ({"orderRef": ""}, ".orderRef", "must not be empty"),
        ({"orderRef": None}, ".orderRef", "must be text, not null"),
        ({"orderRef": "A-17", "channel": ""}, ".channel", "must not be empty"),
        ({"orderRef": {}}, ".orderRef", "must be text"),
        ({"orderRef": []}, ".orderRef", "must be text"),
    ],
)
def test_empty_values_of_a_callback_data_map_are_refused_at_their_path(
    callback_data: dict[str, Any], where: str, said: str
) -> None:
    problems = input_problems(razorpay(callback_data))
    assert list(problems) == [CALLBACK + where], problems
    assert problems[CALLBACK + where].startswith(said)


def test_a_free_object_that_is_itself_empty_is_not_given() -> None:
    sent = sent_body(flow({}))
    assert "data" not in sent["messages"][0]["content"]["templateData"]["buttons"][0]


def test_python_values_in_free_members_are_sent_as_plain_json() -> None:
    data = OrderedDict(screen=OrderedDict(tags=(), name=None, extra={}))
    assert sent_data(data) == {"screen": {"tags": [], "name": None, "extra": {}}}


def _validated(data: dict[str, Any]) -> Any:
    values = component.validate_input(ACTION, flow(data))
    return values["messages"][0]["content"]["templateData"]["buttons"][0]["data"]


# ------------------------------------------------------------ the hosts


def test_serve_validates_free_members_as_the_library_does() -> None:
    lines = (
        request(1, "validate", action=ACTION, input=flow({"screen": {"tags": []}}))
        + b"\n"
        + request(2, "validate", action=ACTION, input=flow({"screen": None}))
        + b"\n"
    )
    answers = {answer["id"]: answer for answer in run_worker(sandbox_methods(), lines)}
    result = answers[1]["result"]["messages"][0]["content"]["templateData"]["buttons"][0]
    assert result["data"] == {"screen": {"tags": []}}
    [problem] = answers[2]["error"]["data"]["error"]["details"]["errors"]
    assert problem["path"] == f"{DATA}.screen"


def test_the_cli_refuses_an_empty_member_at_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = tmp_path / "flow.json"
    given.write_text(json.dumps(flow({"screen": None})), encoding="utf-8")
    code, _, err = run_cli(capsys, "run", ACTION, "--input", str(given), "--sandbox")
    assert code != 0
    paths = [problem["path"] for problem in error_of(err)["details"]["errors"]]
    assert paths == [f"{DATA}.screen"]


def test_the_sandbox_takes_and_refuses_the_same_members() -> None:
    with flow_client() as client:
        for data in KEPT:
            answer = client.post("/whatsapp/1/message/template", json=flow(data))
            assert answer.status_code == 200, (data, answer.text)
        for data, where, _ in REFUSED[:4]:
            answer = client.post("/whatsapp/1/message/template", json=flow(data))
            assert answer.status_code == 400, data
            found = answer.json()["requestError"]["serviceException"]["validationErrors"]
            assert f"{DATA}.{where}" in found


NODE = shutil.which("node")
_PREVIEW = """
const values = require(process.argv[1]);
const given = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(values.prune(given.values, given.root)));
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_editor_preview_shows_free_members_as_sent() -> None:
    action = next(a for a in component.definition_json()["actions"] if a["name"] == ACTION)
    data = {"screen": {"tags": [], "note": None, "extra": {}}, "later": {}}
    values = flow(data)
    values["messages"][0]["messageId"] = ""  # a field left empty: dropped, as the runtime does
    root = {"type": "OBJECT", "properties": action["properties"]}
    assert NODE is not None
    script = ROOT / "infobip_connector" / "hosts" / "editor" / "static" / "values.js"
    done = subprocess.run(
        [NODE, "-e", _PREVIEW, str(script)],
        input=json.dumps({"values": values, "root": root}).encode(),
        capture_output=True,
        timeout=60,
        check=True,
    )
    shown = json.loads(done.stdout)
    assert "messageId" not in shown["messages"][0]
    assert shown["messages"][0]["content"]["templateData"]["buttons"][0]["data"] == data


def _deep(levels: int) -> dict[str, Any]:
    deep: dict[str, Any] = {"x": 1}
    for _ in range(levels):
        deep = {"a": deep}
    return deep


@pytest.mark.parametrize(
    "data",
    [
        {" ": {}},
        {"\u200b": {"a": 1}},
        {"a": {"": 1}},
        {"a": {"b": [{" ": 1}]}},
        {"a": _deep(10)},
        {"a": {"t": "x" * 20_001}},
        {"a": {"t": "\U0001f600" * 10_000}},
        {"a\u0001": {}},
        {"a": {"k\n": 1}},
        {"a": {"t": "x\u0001"}},
        {"a": {"t": " "}},
        {"a": {"t": ["ok", "\u200b"]}},
        {"a": {"n": 2**63}},
        {"a": {"n": -(2**63) - 1}},
    ],
)
def test_the_sandbox_refuses_flow_data_out_of_bounds_where_the_connector_does(
    data: dict[str, Any],
) -> None:
    connector = set(input_problems(flow(data)))
    with flow_client() as client:
        answer = client.post("/whatsapp/1/message/template", json=flow(data))
    assert answer.status_code == 400
    found = answer.json()["requestError"]["serviceException"]["validationErrors"]
    assert connector <= set(found), (connector, found)
