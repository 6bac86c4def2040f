"""The key is masked however it is spelled, and a value too short to be a key masks nothing.

Spellings: another letter case (an error text echoing the key upper-cased), percent-encoded
(a URL quoted back), a member name of the connection values (quoted as an error's path), a
base URL whose path holds the key (the sandbox's log line). The editor masks the token the
page sends with the package's own rule: values only, and only what could be a key.
"""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest

from infobip_connector import ConfigurationError, RejectedError, component, connection_from_values
from infobip_connector.hosts.editor.api import EditorBackend, scrub
from infobip_connector.masking import mask_secrets
from infobip_connector.redaction import redact
from infobip_connector.sandbox import Sandbox, SandboxServer

BASE = "https://xyz.api.infobip.com"
KEY = "Spelled-Key-5ecret-0042-abcdef"
SMS = {"bulkId": "B1", "messages": [{"destinations": [{"to": "41793026727"}], "text": "Hi"}]}


def _percent(text: str) -> str:
    return "".join(f"%{ord(c):02X}" for c in text)


SPELLINGS = {
    "upper": KEY.upper(),
    "lower": KEY.lower(),
    "percent": _percent(KEY),
    "percent lower-case hex": _percent(KEY).lower(),
    "percent upper": _percent(KEY.upper()),
}


def _rejected_with(text: str) -> RejectedError:
    body = {"requestError": {"serviceException": {"messageId": "BAD", "text": text}}}
    transport = httpx.MockTransport(lambda request: httpx.Response(400, json=body))
    with pytest.raises(RejectedError) as info:
        component.execute("sendSms", SMS, {"token": KEY, "baseUrl": BASE}, transport=transport)
    return info.value


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_an_error_echoing_the_key_in_another_spelling_masks_it(spelling: str) -> None:
    error = _rejected_with(f"bad key {spelling} given")
    shown = json.dumps(error.to_dict()) + str(error) + repr(error)
    assert spelling not in shown and KEY.lower() not in shown.lower()
    assert "bad key *** given" in error.message


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_redact_masks_every_spelling_and_keeps_the_text_around_it(spelling: str) -> None:
    connection_from_values({"token": KEY, "baseUrl": BASE})  # registers the key
    assert redact(f"at {spelling}; done") == "at ***; done"


def test_a_kept_id_holding_the_key_in_another_case_stays_whole() -> None:
    held = f"ID-{KEY.upper()}-1"
    assert mask_secrets(f"{held} and {KEY.upper()}", (KEY,), {held}) == f"{held} and ***"


def test_masking_a_percent_encoded_key_keeps_the_text_around_it_as_written() -> None:
    # Only the escapes that spell the key are replaced: a %0A beside it stays an escape (no
    # forged log line), and data around it (a path, a query) keeps its escapes.
    text = f"x {_percent(KEY)} %0aEVIL %0D%09%7F%00 %41 a%2Fb?q=1%2B1"
    assert mask_secrets(text, (KEY,)) == "x *** %0aEVIL %0D%09%7F%00 %41 a%2Fb?q=1%2B1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # part escaped, part written, in another letter case: one stretch spells the key
        (f"a%2Fb {KEY[:5].upper()}{_percent(KEY[5:])}!%21", "a%2Fb ***!%21"),
        (f"{_percent(KEY)}{_percent(KEY).lower()}%2F", "******%2F"),
        (f"%25{_percent(KEY)}%25", "%25***%25"),
    ],
    ids=["mixed", "twice in a row", "between escaped percent signs"],
)
def test_only_the_characters_that_spell_a_percent_encoded_key_are_masked(
    text: str, expected: str
) -> None:
    assert mask_secrets(text, (KEY,)) == expected


def test_a_kept_id_holding_a_percent_encoded_key_stays_whole() -> None:
    held = f"ID-{KEY}-1"
    text = f"{_percent(held)} and {_percent(KEY)}%2F"
    assert mask_secrets(text, (KEY,), {held}) == f"{_percent(held)} and ***%2F"


def test_an_output_value_keeps_its_escapes_when_a_percent_encoded_key_is_masked() -> None:
    text = f"https://example.com/a%2Fb?key={_percent(KEY)}&x=%41"
    output = _answered({"originalText": text, "previews": [{"textPreview": text}]})
    assert output["originalText"] == "https://example.com/a%2Fb?key=***&x=%41"


def test_text_without_the_key_is_returned_as_it_is() -> None:
    text = "100% sure: 50%2F50, Ärger, İstanbul"
    assert mask_secrets(text, (KEY,)) == text


@pytest.mark.parametrize(
    "connection",
    [
        {"token": KEY, KEY: 1},
        {"token": KEY, f"x{KEY.upper()}": 1},
        {"token": KEY, "baseUrl": BASE, _percent(KEY): "y"},
    ],
    ids=["the key", "upper-cased inside", "percent-encoded"],
)
def test_a_connection_member_named_after_the_key_is_masked_in_the_error(
    connection: dict[str, Any],
) -> None:
    with pytest.raises(ConfigurationError) as info:
        connection_from_values(connection)
    shown = json.dumps(info.value.to_dict())
    assert info.value.errors[0]["path"].endswith("***"), shown
    assert "5ecret" not in shown.lower()
    # The same through an execution: the error the engine sees.
    with pytest.raises(ConfigurationError) as again:
        component.execute("previewSms", {"text": "hi"}, connection, transport=Sandbox().transport())
    assert "5ecret" not in json.dumps(again.value.to_dict()).lower()


def test_the_sandbox_log_masks_the_presented_key_in_a_base_url_path() -> None:
    log = io.StringIO()
    with SandboxServer(Sandbox(deliver_reports=False), access_log=log) as server:
        for spelled in (KEY, KEY.upper(), _percent(KEY)):
            httpx.post(
                f"{server.url}/{spelled}/sms/1/preview",
                json={"text": "hi"},
                headers={"Authorization": f"App {KEY}"},
            )
        # A presented "key" too short to be one masks nothing of the path.
        httpx.get(f"{server.url}/sms/1/preview", headers={"Authorization": "App sms"})
    lines = log.getvalue()
    assert lines.count("\n") == 4
    assert "5ecret" not in lines.lower()
    assert lines.count("/***/sms/1/preview") == 3
    assert "GET /sms/1/preview " in lines


# ---------------------------------------------------------------- the editor's answers


@pytest.mark.parametrize("token", ["e", "at", "16", "Infobip", "x" * 15])
def test_the_editor_never_garbles_an_answer_with_a_token_too_short_to_be_a_key(
    token: str,
) -> None:
    status, answer = EditorBackend().run(
        "previewSms", {"text": "hi"}, {"token": token, "baseUrl": BASE}, False
    )
    assert status == 422
    error = answer["error"]
    assert set(error) == {"type", "message", "details"}
    assert error["type"] == "configuration"
    assert "is too short to be an Infobip API key" in error["message"]
    assert error["details"]["errors"][0]["path"] == "token"


def test_the_editor_masks_values_only_never_names() -> None:
    value = {KEY: KEY, "note": f"say {KEY.upper()}", "list": [_percent(KEY)], "error": 1}
    assert scrub(value, KEY) == {KEY: "***", "note": "say ***", "list": ["***"], "error": 1}


def _answered(body: dict[str, Any], raw: bytes | None = None) -> dict[str, Any]:
    content = raw if raw is not None else json.dumps(body).encode()
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=content, headers={"Content-Type": "application/json"}
        )
    )
    output: dict[str, Any] = component.execute(
        "previewSms", {"text": "x"}, {"token": KEY, "baseUrl": BASE}, transport=transport
    )
    return output


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
@pytest.mark.parametrize("escaped", [False, True], ids=["plain", "json-escaped"])
def test_an_output_echoing_the_key_in_another_spelling_masks_it(
    spelling: str, escaped: bool
) -> None:
    text = f"pre {spelling} post"
    body = {"originalText": text, "previews": [{"textPreview": text, "messageCount": 1}]}
    raw = json.dumps(body, ensure_ascii=True).encode()
    if escaped:  # every letter as a \u escape: the raw bytes spell nothing
        raw = raw.replace(text.encode(), "".join(f"\\u{ord(c):04x}" for c in text).encode())
    output = _answered(body, raw)
    assert output["originalText"] == "pre *** post"
    assert output["previews"][0]["textPreview"] == "pre *** post"


def test_an_output_with_percent_signs_but_no_key_is_returned_as_it_is() -> None:
    text = "100% sure, 50%41 off, %zz"
    output = _answered({"originalText": text, "previews": [{"textPreview": text}]})
    assert output["originalText"] == text


def test_the_cli_masks_an_output_echoing_the_key_in_another_case(
    capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    from infobip_connector.hosts.cli import main

    with SandboxServer(Sandbox(KEY, deliver_reports=False)) as server:
        connection = tmp_path / "connection.json"
        connection.write_text(json.dumps({"token": KEY, "baseUrl": server.url}))
        values = tmp_path / "values.json"
        values.write_text(json.dumps({"text": f"pre {KEY.upper()} post x{_percent(KEY)}y"}))
        main(["run", "previewSms", "--input", str(values), "--connection", str(connection)])
    out = capsys.readouterr().out
    assert KEY.lower() not in out.lower() and _percent(KEY) not in out
    assert json.loads(out)["originalText"] == "pre *** post x***y"


def test_the_editor_keeps_the_ids_it_sent_whole_in_outputs_and_errors() -> None:
    from infobip_connector.sandbox import Fault

    token = "AbCdEfGhIjKlMnOp"
    ids = {"bulkId": f"bulk-{token}", "messageId": f"msg-{token}"}
    values = {
        "bulkId": ids["bulkId"],
        "messages": [
            {"destinations": [{"to": "41793026727", "messageId": ids["messageId"]}], "text": "hi"}
        ],
    }
    sandbox = Sandbox(token, deliver_reports=False)
    with SandboxServer(sandbox) as server:
        connection = {"token": token, "baseUrl": server.url}
        status, answer = EditorBackend().run("sendSms", values, connection, False)
        assert status == 200, answer
        output = answer["output"]
        assert output["bulkId"] == ids["bulkId"]
        assert output["messages"][0]["messageId"] == ids["messageId"]
        sandbox.script("POST", "/sms/2/text/advanced", Fault(process=True))
        again = {**values, "bulkId": f"again-{token}"}
        status, answer = EditorBackend().run("sendSms", again, connection, False)
    details = answer["error"]["details"]
    assert answer["error"]["type"] == "outcome_unknown"
    assert (details["bulkId"], details["messageIds"]) == (f"again-{token}", [ids["messageId"]])


def test_the_editor_masks_the_key_beside_an_id_it_sent() -> None:
    kept = frozenset({f"msg-{KEY}"})
    value = {"messageId": f"msg-{KEY}", "note": f"{KEY} and msg-{KEY}"}
    assert scrub(value, KEY, kept) == {"messageId": f"msg-{KEY}", "note": f"*** and msg-{KEY}"}


def test_a_percent_sign_written_as_a_json_escape_in_a_log_text_is_read_before_masking() -> None:
    connection_from_values({"token": KEY, "baseUrl": BASE})  # registers the key
    spelled = _percent(KEY).replace("%", "\\u0025")  # a quoted JSON body, escaped once more
    assert redact(f'{{"error": "bad key {spelled}"}}') == '{"error": "bad key ***"}'


def test_reading_json_escapes_in_a_log_text_never_writes_a_control_character() -> None:
    connection_from_values({"token": KEY, "baseUrl": BASE})
    escaped = KEY.replace("-", "\\u002d")
    text = '"' + escaped + ' \\u007f \\u001b"'
    assert redact(text) == '"*** \\u007f \\u001b"'


def test_a_snippet_masks_a_long_key_spelled_with_escaped_percent_signs() -> None:
    # Eight characters a key character (\u0025 and two hex digits): the window read past
    # the cut holds the whole key however long an accepted key is.
    from infobip_connector.redaction import register_secret, snippet

    key = "Ab" * 240
    register_secret(key)
    spelled = _percent(key).replace("%", "\\u0025")
    assert snippet(spelled, 200).startswith("***")


def test_a_snippet_masks_a_long_key_whose_percent_escapes_are_json_escapes_each() -> None:
    # 18 characters a key character: \u0025, then the two hex digits as escapes too.
    from infobip_connector.redaction import register_secret, snippet

    key = "Ab" * 240
    register_secret(key)
    spelled = "".join("\\u0025" + "".join(f"\\u{ord(h):04x}" for h in f"{ord(c):02X}") for c in key)
    assert snippet(spelled, 200).startswith("***")
