"""The editor's special fields in headless Chromium: time zones, template pickers, JSON."""

# The fixtures imported below are the tests' arguments.
# ruff: noqa: F811

from __future__ import annotations

import contextlib

from .editor_browser_support import (  # noqa: F401 (fixtures)
    EditorPage,
    _first_template_button,
    driver,
    editor_url,
    page,
    pytestmark,
)

with contextlib.suppress(ImportError):  # without selenium, pytestmark skips every test
    from selenium.webdriver.common.by import By


def test_time_zone_field_offers_the_iana_zones(page: EditorPage) -> None:
    page.open_additional("messages[0]")
    page.unfold("messages[0].sendAt")
    zone = page.control("messages[0].sendAt.zoneId")
    list_id = zone.get_attribute("list")
    assert list_id
    zones = page.driver.execute_script(
        "return [...document.getElementById(arguments[0]).options].map(o => o.value)", list_id
    )
    assert len(zones) > 300
    assert {"Europe/Zagreb", "America/New_York", "Asia/Kolkata", "UTC"} <= set(zones)
    assert "localtime" not in zones and zones == sorted(zones)
    page.type("messages[0].sendAt.zoneId", "Europe/Nowhere")
    page.type("messages[0].sendAt.dateTime", "")
    assert page.error_at("messages[0].sendAt.dateTime") == "is required"


def test_template_and_language_pickers_offer_the_senders_templates(page: EditorPage) -> None:
    page.choose_action("Send WhatsApp Template Message")
    name, language = "messages[0].content.templateName", "messages[0].content.language"

    def offered(path: str, count: int) -> list[list[str]]:
        control = page.control(path)
        page.wait(lambda: control.get_attribute("data-options") == str(count), f"{path} options")
        found: list[list[str]] = page.driver.execute_script(
            "return [...document.getElementById(arguments[0]).options]"
            ".map(o => [o.value, o.label])",
            control.get_attribute("list"),
        )
        return found

    page.type("messages[0].from", "+44 7860 099299")
    assert offered(name, 4) == [
        ["welcome", "welcome (de, en)"],
        ["order_update", "order_update (en)"],
        ["verification_code", "verification_code (en)"],
        ["order_payment", "order_payment (en)"],
    ]
    page.type(name, "welcome")
    assert offered(language, 2) == [["de", "de"], ["en", "en"]]
    page.screenshot("pickers")

    page.type(language, "de")
    page.type("messages[0].to", "41793026727")
    page.unfold("messages[0].content.templateData")
    page.unfold("messages[0].content.templateData.body")
    page.add_item("messages[0].content.templateData.body.placeholders")
    placeholder = "messages[0].content.templateData.body.placeholders[0]"
    # A list of texts: the item and its text field carry the same path; type into the field.
    page.driver.find_element(
        By.CSS_SELECTOR, f'main div.field[data-path="{placeholder}"] > input'
    ).send_keys("Ana")
    assert page.settle() == "valid"
    state, output = page.run()
    page.screenshot("sandbox-output")
    assert state == "ok", output
    assert output["messages"][0]["status"]["name"] == "PENDING_ENROUTE"


def test_flow_data_is_a_json_field_checked_as_it_is_typed(page: EditorPage) -> None:
    button = _first_template_button(page, "Flow")
    assert page.control(f"{button}.data").tag_name == "textarea"
    page.type(f"{button}.data", '{"name": "Ana"')
    assert "not valid JSON" in page.error_at(f"{button}.data")
    page.type(f"{button}.data", '{"customer": {"name": "Ana", "tags": ["a"]}}')
    page.settle()
    assert page.error_at(f"{button}.data") == ""
    sent = page.input_json()["messages"][0]["content"]["templateData"]["buttons"][0]
    assert sent == {"type": "FLOW", "data": {"customer": {"name": "Ana", "tags": ["a"]}}}
    page.type(f"{button}.data", '["a"]')
    assert "must be an object" in page.error_at(f"{button}.data")
    page.screenshot("flow-data")


def test_a_payments_callback_data_is_a_json_field_taking_a_list_or_an_object(
    page: EditorPage,
) -> None:
    button = _first_template_button(page, "Order details")
    payment = f"{button}.action.payment"
    page.choose(f"{payment}.type", "PG PayU")
    field = f"{payment}.callbackData"
    assert page.control(field).tag_name == "textarea"
    page.type(field, '["A-17", "whatsapp"]')
    assert page.error_at(field) == ""
    sent = page.input_json()["messages"][0]["content"]["templateData"]["buttons"][0]
    assert sent["action"]["payment"]["callbackData"] == ["A-17", "whatsapp"]
    page.type(field, '["A-17", ""]')
    # No field of its own below the JSON field: the item's error is listed by its path.
    assert any(f"{field}[1]" in e and "must not be empty" in e for e in page.top_errors())
    page.type(field, '{"orderRef": "A-17"}')
    assert "must be a list of texts for a PG_PAYU payment" in page.error_at(field)
    page.screenshot("callback-data")
