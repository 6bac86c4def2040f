"""The editor's JSON and number fields in headless Chromium: what was typed is handed on
exactly, or refused under the field; the page never rounds a number or drops a member.
``test_editor_values_js.py`` runs the same reading (``static/values.js``) in Node."""

from __future__ import annotations

from .editor_browser_support import (  # noqa: F401 (fixtures)
    EditorPage,
    _first_template_button,
    driver,
    editor_url,
    page,
    pytestmark,
)


def _flow_data(page: EditorPage) -> str:  # noqa: F811
    return f"{_first_template_button(page, 'Flow')}.data"


def test_a_json_field_refuses_a_number_it_would_round(page: EditorPage) -> None:  # noqa: F811
    field = _flow_data(page)
    page.type(field, '{"id": 12345678901234567890}')
    assert "the number 12345678901234567890 cannot be kept exactly" in page.error_at(field)
    page.type(field, '{"a": 1e999}')
    assert "the number 1e999 cannot be kept exactly" in page.error_at(field)
    page.screenshot("rounded-number")


def test_a_json_field_refuses_a_member_given_twice(page: EditorPage) -> None:  # noqa: F811
    field = _flow_data(page)
    page.type(field, '{"a": {"x": 1}, "a": {"y": 2}}')
    assert 'the member "a" is given twice' in page.error_at(field)


def test_a_proto_member_is_shown_as_it_is_sent(page: EditorPage) -> None:  # noqa: F811
    field = _flow_data(page)
    page.type(field, '{"__proto__": {"screen": "A"}, "b": 1}')
    sent = page.input_json()["messages"][0]["content"]["templateData"]["buttons"][0]
    assert sent["data"] == {"__proto__": {"screen": "A"}, "b": 1}


def test_a_number_field_refuses_a_number_it_would_round(page: EditorPage) -> None:  # noqa: F811
    page.choose_action("Get SMS Logs")
    page.open_additional("")
    page.type("limit", "12345678901234567890")
    assert "the number 12345678901234567890 cannot be kept exactly" in page.error_at("limit")
    assert page.input_json()["limit"] == "12345678901234567890"  # text: refused, never sent
    page.type("limit", "50")
    assert page.input_json()["limit"] == 50


def test_an_answer_is_shown_with_every_digit(page: EditorPage) -> None:  # noqa: F811
    # The page's own reader of the server's answers (callApi's), as loaded in the page.
    text = '{"output": {"id": 12345678901234567890, "n": 1.5, "big": 1e400}}'
    shown = page.driver.execute_script("return JSON.stringify(readAnswer(arguments[0]))", text)
    assert shown == '{"output":{"id":12345678901234567890,"n":1.5,"big":1e400}}'
