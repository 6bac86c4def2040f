"""The editor page in headless Chromium: inputs built, checked and run in the sandbox."""

# The fixtures imported below are the tests' arguments.
# ruff: noqa: F811

from __future__ import annotations

import contextlib
import json

import jsonschema

from infobip_connector import component

from .editor_browser_support import (  # noqa: F401 (fixtures)
    EditorPage,
    driver,
    editor_url,
    page,
    pytestmark,
)

with contextlib.suppress(ImportError):  # without selenium, pytestmark skips every test
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select


def test_send_sms_with_the_array_builder(page: EditorPage) -> None:
    page.screenshot("loaded")
    token = page.control("connection.token")
    assert token.get_attribute("type") == "password"
    assert page.driver.find_element(By.ID, "use-sandbox").is_selected()
    assert not page.field("sendingSpeedLimit").get_attribute("open")  # optional: folded

    page.type("messages[0].text", "Hello from the editor")
    page.type("messages[0].destinations[0].to", "41793026727")
    page.add_item("messages[0].destinations")
    page.type("messages[0].destinations[1].to", "41793026728")
    page.add_item("messages[0].destinations")
    page.type("messages[0].destinations[2].to", "+41 79 302 67 29")
    page.item_button("messages[0].destinations[1]", "remove-item")
    page.item_button("messages[0].destinations[1]", "move-up")
    destinations = page.input_json()["messages"][0]["destinations"]
    assert [d["to"] for d in destinations] == ["+41 79 302 67 29", "41793026727"]

    page.open_additional("messages[0]")
    page.choose("messages[0].flash", "True")
    page.choose("messages[0].transliteration", "Turkish")
    assert page.settle() == "valid"

    window = "messages[0].deliveryTimeWindow"
    for group in (window, f"{window}.from", f"{window}.to"):
        page.unfold(group)
    for day in ("Monday", "Friday"):
        days = page.field(f"{window}.days")
        page.click(days.find_element(By.XPATH, f".//label[span='{day}']/input"))
    for part, value in (("from.hour", "9"), ("from.minute", "0"), ("to.hour", "17")):
        page.type(f"{window}.{part}", value)
    assert page.error_at(f"{window}.to.minute") == "is required"
    page.type(f"{window}.to.minute", "30")
    assert page.settle() == "valid"

    page.add_item("messages")
    page.type("messages[1].text", "Second message")
    page.type("messages[1].destinations[0].to", "12")
    assert page.settle() == "invalid"
    assert page.error_at("messages[1].destinations[0].to")
    assert any("messages[1].destinations[0].to" in e for e in page.top_errors())
    page.screenshot("invalid-phone")
    page.type("messages[1].destinations[0].to", "41793026730")
    assert page.settle() == "valid"
    assert page.error_at("messages[1].destinations[0].to") == ""
    assert page.top_errors() == []

    page.type("messages[0].text", "")
    assert page.error_at("messages[0].text") == "is required"
    page.screenshot("missing-text")
    page.type("messages[0].text", "Hello from the editor")
    assert page.error_at("messages[0].text") == ""

    page.item_button("messages[1]", "move-up")
    inputs = page.input_json()
    assert [m["text"] for m in inputs["messages"]] == ["Second message", "Hello from the editor"]
    assert inputs["messages"][1]["flash"] is True
    assert inputs["messages"][1]["transliteration"] == "TURKISH"
    assert inputs["messages"][1]["deliveryTimeWindow"] == {
        "days": ["MONDAY", "FRIDAY"],
        "from": {"hour": 9, "minute": 0},
        "to": {"hour": 17, "minute": 30},
    }
    assert "sendingSpeedLimit" not in inputs  # untouched optional groups are left out
    assert page.settle() == "valid"

    state, output = page.run()
    page.screenshot("sandbox-output")
    assert state == "ok", output
    assert output["bulkId"]
    assert len(output["messages"]) == 3
    assert {m["status"]["name"] for m in output["messages"]} == {"PENDING_ACCEPTED"}
    assert {m["to"] for m in output["messages"]} == {"41793026730", "41793026729", "41793026727"}


def test_send_whatsapp_text_message(page: EditorPage) -> None:
    page.choose_action("Send WhatsApp Text Message")
    page.type("from", "441134960000")
    page.type("to", "+44 113 496 0001")
    assert page.error_at("content.text") == "is required"
    page.type("content.text", "Hello on WhatsApp, see https://www.infobip.com")
    page.choose("content.previewUrl", "True")
    assert page.settle() == "valid"

    page.type("to", "0")
    assert page.settle() == "invalid"
    assert page.error_at("to")
    page.screenshot("invalid-recipient")
    page.type("to", "441134960001")
    assert page.settle() == "valid"
    assert page.input_json()["content"] == {
        "text": "Hello on WhatsApp, see https://www.infobip.com",
        "previewUrl": True,
    }

    state, output = page.run()
    page.screenshot("sandbox-output")
    assert state == "ok", output
    assert output["to"] == "441134960001"
    assert output["messageId"]
    assert output["status"]["groupName"] == "PENDING"


def test_run_errors_are_shown_typed(page: EditorPage) -> None:
    state, output = page.run()
    assert state == "error"
    assert output["error"]["type"] == "input"
    # Without the sandbox and without a token nothing is sent at all.
    page.click(page.driver.find_element(By.ID, "use-sandbox"))
    page.type("messages[0].text", "Hi")
    page.type("messages[0].destinations[0].to", "41793026727")
    state, output = page.run()
    page.screenshot("no-token")
    assert state == "error"
    assert output["error"]["type"] == "configuration"


def test_output_is_marked_stale_when_an_input_changes(page: EditorPage) -> None:
    page.type("messages[0].text", "Hello")
    page.type("messages[0].destinations[0].to", "41793026727")
    state, _ = page.run()
    assert state == "ok"
    output = page.driver.find_element(By.ID, "output")
    note = page.driver.find_element(By.ID, "output-note")
    assert output.get_attribute("data-stale") is None and not note.is_displayed()

    page.type("messages[0].text", "Hello again")
    assert output.get_attribute("data-stale") == "true"
    assert "changed" in note.text
    page.screenshot("stale-output")
    state, _ = page.run()
    assert output.get_attribute("data-stale") is None and not note.is_displayed()

    # The connection is an input too: switching the sandbox off changes what Run does.
    page.click(page.driver.find_element(By.ID, "use-sandbox"))
    assert output.get_attribute("data-stale") == "true"


def test_missing_token_is_reported_before_run(page: EditorPage) -> None:
    page.type("messages[0].text", "Hi")
    page.type("messages[0].destinations[0].to", "41793026727")
    assert page.settle() == "valid"
    page.click(page.driver.find_element(By.ID, "use-sandbox"))
    assert page.settle() == "invalid"
    assert page.error_at("connection.token") == "is required"
    assert any(e.startswith("connection.token") for e in page.top_errors())
    page.screenshot("token-missing")
    page.type("connection.token", "my-api-key")
    assert page.settle() == "valid"
    assert page.error_at("connection.token") == ""
    page.type("connection.token", "")
    assert page.error_at("connection.token") == "is required"
    page.click(page.driver.find_element(By.ID, "use-sandbox"))  # the sandbox needs no token
    assert page.settle() == "valid"
    assert page.error_at("connection.token") == ""


def test_a_trigger_shows_its_sample_and_simulates_a_reply(page: EditorPage) -> None:
    card = page.driver.find_element(By.ID, "triggers-card")
    page.wait(lambda: card.get_attribute("data-ready") == "true", "no triggers listed")
    Select(page.driver.find_element(By.ID, "trigger")).select_by_visible_text("New Inbound SMS")
    sample = page.driver.find_element(By.ID, "trigger-sample")
    page.wait(lambda: sample.text.strip(), "no sample shown")
    jsonschema.validate(json.loads(sample.text), component.event_schema("newInboundSms"))
    text = page.driver.find_element(By.ID, "simulate-text")
    text.send_keys(Keys.CONTROL, "a")
    text.send_keys("See you at 9")
    page.click(page.driver.find_element(By.ID, "simulate"))
    events = page.driver.find_element(By.ID, "trigger-events")
    page.wait(lambda: events.get_attribute("data-state") in ("done", "error"), "no event shown")
    page.screenshot("simulated-reply")
    [event] = json.loads(events.text)
    assert event["text"] == "See you at 9"
    jsonschema.validate(event, component.event_schema("newInboundSms"))
