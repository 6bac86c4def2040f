"""The editor's own reading of a JSON field and a number field (``static/values.js``), run
with Node: what a field hands on is exactly what was typed, or text with a problem said under
the field (so the server refuses it too and nothing is sent); never a rounded number, a
dropped member or a member lost to the prototype. Skipped where ``node`` is not installed;
``test_editor_browser_fields.py`` drives the same code in the page."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from .conftest import ROOT

NODE = shutil.which("node")
VALUES_JS = ROOT / "infobip_connector" / "hosts" / "editor" / "static" / "values.js"

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

# Reads every case in one Node process: {"json": [...], "number": [...], "prune": [...]}.
_RUNNER = """
const values = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const shown = (read) =>
  ({ value: read.value === undefined ? null : read.value, problem: read.problem });
console.log(JSON.stringify({
  json: cases.json.map((text) => shown(values.readJson(text))),
  number: cases.number.map((text) => shown(values.readNumber(text))),
  prune: cases.prune.map((text) => JSON.stringify(values.prune(values.readJson(text).value))),
}));
"""


def _run(**cases: list[str]) -> dict[str, Any]:
    assert NODE is not None
    given = {"json": [], "number": [], "prune": [], **cases}
    done = subprocess.run(
        [NODE, "-e", _RUNNER, str(VALUES_JS)],
        input=json.dumps(given).encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


REFUSED_JSON = [
    ('{"a": 1e999}', "a: the number 1e999 cannot be kept exactly", "as null"),
    ('{"id": 12345678901234567890}', "id: the number 12345678901234567890", "12345678901234567000"),
    ('{"x": [1, 9007199254740993]}', "x[1]: the number 9007199254740993", "9007199254740992"),
    ('{"x": 1e-400}', "x: the number 1e-400", "as 0;"),
    ('{"a": 0.30000000000000000001}', "a: the number", "as 0.3;"),
    ('{"a": {"x": 1}, "a": {"y": 2}}', 'the member "a" is given twice', "at the top level"),
    ('{"x": [{"a": 1}, {"a": 1, "a": 2}]}', 'the member "a" is given twice', "at x[1]"),
    ('{"a\\u0062": 1, "ab": 2}', 'the member "ab" is given twice', "at the top level"),
]


@pytest.mark.parametrize(("text", "said", "detail"), REFUSED_JSON)
def test_a_json_field_refuses_what_it_cannot_keep_exactly(
    text: str, said: str, detail: str
) -> None:
    (read,) = _run(json=[text])["json"]
    assert read["value"] == text  # handed on as text: the server names the field too
    assert read["problem"].startswith(said) and detail in read["problem"], read["problem"]


KEPT_JSON = [
    '{"a": 0.1, "b": 1.50, "c": 9007199254740991, "d": -9007199254740991, "e": 5e-324}',
    '{"f": [1, 2, {"g": 1e2}], "h": 1.7976931348623157e308, "i": -0, "j": 123e-2}',
    '[{"a": 1}, {"a": 2}]',
    '{"a": {"b": 1}, "c": {"b": 2}, "s": "a \\"quoted\\": 1e999, \\"s\\": 2"}',
    '{"__proto__": {"screen": "A"}, "b": 1}',
]


@pytest.mark.parametrize("text", KEPT_JSON)
def test_a_json_field_hands_on_what_it_can_keep_exactly(text: str) -> None:
    (read,) = _run(json=[text])["json"]
    assert read["problem"] == ""
    assert read["value"] == json.loads(text)


def test_a_proto_member_is_kept_in_the_input_json_shown() -> None:
    text = '{"data": {"__proto__": {"screen": "A"}, "b": 1}}'
    (shown,) = _run(prune=[text])["prune"]
    assert json.loads(shown) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "value", "problem"),
    [
        ("12", 12, ""),
        (" 1.5 ", 1.5, ""),
        ("9007199254740991", 9007199254740991, ""),
        ("", None, ""),
        ("1e999", "1e999", "the number 1e999 cannot be kept exactly"),
        ("12345678901234567890", "12345678901234567890", "the number 12345678901234567890 cannot"),
        ("12abc", "12abc", "not a number"),
    ],
)
def test_a_number_field_hands_on_the_number_typed_or_refuses_it(
    text: str, value: Any, problem: str
) -> None:
    (read,) = _run(number=[text])["number"]
    assert read["value"] == value
    assert read["problem"].startswith(problem) and bool(read["problem"]) == bool(problem)
