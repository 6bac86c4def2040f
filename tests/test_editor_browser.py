"""The editor page driven in headless Chromium: build inputs, see errors, run in the sandbox.

Screenshots of every step land in tests/artifacts/editor/ (not committed).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from infobip_connector import component

CHROMIUM = Path(os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "editor"

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import Select, WebDriverWait

    _missing = ""
except ImportError:
    _missing = "selenium is not installed (pip install selenium)"

if not _missing and not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    _missing = (
        f"no browser: needs {CHROMIUM} and {CHROMEDRIVER}"
        " (apt-get install chromium chromium-driver)"
    )

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bool(_missing), reason=_missing)]

CHROME_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1100",
]
TIMEOUT = 15


@pytest.fixture(scope="module")
def editor_url() -> Iterator[str]:
    from infobip_connector.hosts.editor import make_server

    with make_server(0) as server:
        yield server.url


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="editor-chromium-") as profile:
        for arg in [*CHROME_ARGS, f"--user-data-dir={profile}"]:
            options.add_argument(arg)
        browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            yield browser
        finally:
            browser.quit()


@pytest.fixture()
def page(
    driver: WebDriver, editor_url: str, request: pytest.FixtureRequest
) -> Iterator[EditorPage]:
    driver.get(editor_url)
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.execute_script("return document.body.dataset.ready === 'true'")
    )
    editor = EditorPage(driver, request.node.name)
    editor.settle()
    yield editor
    # Typed run and options errors are answered with 4xx/5xx on purpose; anything else is
    # a page bug.
    problems = [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE"
        and not any(api in entry["message"] for api in ("/api/run - ", "/api/options - "))
    ]
    assert not problems, problems


class EditorPage:
    """The page's fields, found by the data-path each field element carries."""

    def __init__(self, driver: WebDriver, test_name: str) -> None:
        self.driver = driver
        self.shots = ARTIFACTS / re.sub(r"[^\w-]+", "_", test_name)
        self.shots.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def wait(self, condition: Callable[[], Any], message: str) -> Any:
        return WebDriverWait(self.driver, TIMEOUT).until(lambda _: condition(), message)

    def screenshot(self, step: str) -> None:
        self.count += 1
        height, frame = self.driver.execute_script(
            "return [document.documentElement.scrollHeight,"
            " window.outerHeight - window.innerHeight]"
        )
        self.driver.set_window_size(1400, min(max(int(height) + int(frame), 900), 8000))
        self.driver.save_screenshot(str(self.shots / f"{self.count:02d}-{step}.png"))
        self.driver.set_window_size(1400, 1100)

    def field(self, path: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, f'main [data-path="{path}"]')

    def control(self, path: str) -> WebElement:
        return self.field(path).find_element(
            By.CSS_SELECTOR, ":scope > input, :scope > textarea, :scope > select"
        )

    def type(self, path: str, text: str) -> None:
        element = self.control(path)
        # Select-all and delete fire input events, unlike WebElement.clear().
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(Keys.DELETE)
        if text:
            element.send_keys(text)
        self.settle()

    def choose(self, path: str, label: str) -> None:
        Select(self.control(path)).select_by_visible_text(label)
        self.settle()

    def click(self, element: WebElement) -> None:
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        self.settle()

    def unfold(self, group_path: str) -> None:
        group = self.field(group_path)
        assert group.tag_name == "details" and not group.get_attribute("open")
        self.click(group.find_element(By.CSS_SELECTOR, ":scope > summary"))

    def open_additional(self, object_path: str) -> None:
        """Unfold the "Additional fields" group of the object at ``object_path``."""
        group = self.driver.find_element(
            By.CSS_SELECTOR, f'main details[data-additional="{object_path}"]'
        )
        if not group.get_attribute("open"):
            self.click(group.find_element(By.CSS_SELECTOR, ":scope > summary"))

    def choose_action(self, title: str) -> None:
        Select(self.driver.find_element(By.ID, "action")).select_by_visible_text(title)
        self.settle()

    def add_item(self, array_path: str) -> None:
        self.click(self.driver.find_element(By.CSS_SELECTOR, f'button[data-add="{array_path}"]'))

    def item_button(self, item_path: str, name: str) -> None:
        head = self.field(item_path).find_element(By.CSS_SELECTOR, ":scope > .item-head")
        self.click(head.find_element(By.CSS_SELECTOR, f"button.{name}"))

    def settle(self) -> str:
        """Wait for the debounced validation to answer; returns valid or invalid."""
        state = self.driver.find_element(By.ID, "validation-state")
        self.wait(
            lambda: state.get_attribute("data-state") in ("valid", "invalid", "failed"),
            "validation never answered",
        )
        return str(state.get_attribute("data-state"))

    def error_at(self, path: str) -> str:
        slot = self.field(path).find_element(By.CSS_SELECTOR, ":scope > .field-error")
        return str(slot.text)

    def top_errors(self) -> list[str]:
        return [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "#errors li")]

    def input_json(self) -> Any:
        return json.loads(self.driver.find_element(By.ID, "input-json").text)

    def run(self) -> tuple[str, Any]:
        self.click(self.driver.find_element(By.ID, "run"))
        output = self.driver.find_element(By.ID, "output")
        self.wait(
            lambda: output.get_attribute("data-state") in ("ok", "error"),
            "the run never answered",
        )
        return str(output.get_attribute("data-state")), json.loads(output.text)


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


def test_essential_fields_come_first_and_the_rest_is_folded(page: EditorPage) -> None:
    # The message's text is in sight at once, not below its eleven optional fields.
    assert page.control("messages[0].text").is_displayed()
    assert page.control("messages[0].destinations[0].to").is_displayed()
    assert page.control("messages[0].from").is_displayed()
    assert not page.control("messages[0].callbackData").is_displayed()
    assert not page.field("bulkId").is_displayed()
    folded = page.driver.find_element(
        By.CSS_SELECTOR, 'main details[data-additional="messages[0]"]'
    )
    assert not folded.get_attribute("open")
    assert "Additional fields" in folded.find_element(By.CSS_SELECTOR, "summary").text
    inside = [
        e.get_attribute("data-path") for e in folded.find_elements(By.CSS_SELECTOR, "[data-path]")
    ]
    assert inside[:2] == ["messages[0].callbackData", "messages[0].deliveryTimeWindow"]
    assert "messages[0].text" not in inside
    # Within each part the definition's order is kept.
    order = [
        e.get_attribute("data-path")
        for e in page.field("messages[0]").find_elements(By.CSS_SELECTOR, "[data-path]")
    ]
    assert order.index("messages[0].destinations") < order.index("messages[0].from")
    assert order.index("messages[0].from") < order.index("messages[0].text")
    assert order.index("messages[0].text") < order.index("messages[0].callbackData")
    page.open_additional("messages[0]")
    assert page.control("messages[0].callbackData").is_displayed()

    page.choose_action("Send WhatsApp Text Message")
    for path in ("from", "to", "content.text"):
        assert page.control(path).is_displayed(), path
    assert not page.control("messageId").is_displayed()
    page.screenshot("whatsapp-essentials")


def test_an_error_in_a_folded_field_unfolds_it(page: EditorPage) -> None:
    page.choose_action("Send WhatsApp Text Message")
    page.open_additional("")
    page.type("notifyUrl", "ftp://example.com")
    page.driver.execute_script(
        "document.querySelector('main details[data-additional=\"\"]').open = false"
    )
    assert not page.control("notifyUrl").is_displayed()
    page.type("content.text", "Hi")  # the next validation places the error again
    assert page.error_at("notifyUrl")
    assert page.control("notifyUrl").is_displayed()


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


def test_help_text_renders_inline_code_as_text(page: EditorPage) -> None:
    page.open_additional("messages[0]")
    page.unfold("messages[0].deliveryTimeWindow")
    help_text = page.field("messages[0].deliveryTimeWindow").find_element(
        By.CSS_SELECTOR, ":scope > .help"
    )
    assert "Give from and to together" in help_text.text
    assert "`" not in help_text.text
    codes = [c.text for c in help_text.find_elements(By.CSS_SELECTOR, "code")]
    assert codes == ["from", "to"]
    # Markup inside the text stays text: nothing from a description is parsed as HTML.
    nodes = page.driver.execute_script(
        "const p = document.createElement('p');"
        "p.append(...richText('a `<b>x</b>` <i>y</i>'));"
        "const code = p.children[0];"
        "return [p.children.length, code.tagName, code.textContent, p.textContent];"
    )
    assert nodes == [1, "CODE", "<b>x</b>", "a <b>x</b> <i>y</i>"]


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


def test_the_url_names_the_action(page: EditorPage, editor_url: str) -> None:
    def shown() -> str:
        return str(page.driver.find_element(By.ID, "action").get_attribute("value"))

    page.driver.get("about:blank")
    page.driver.get(f"{editor_url}#sendWhatsappTextMessage")
    page.wait(
        lambda: page.driver.execute_script("return document.body.dataset.ready === 'true'"),
        "the editor never loaded",
    )
    page.settle()
    assert shown() == "sendWhatsappTextMessage"
    assert page.field("content.text")
    page.choose_action("Send SMS")
    assert page.driver.execute_script("return location.hash") == "#sendSms"
    page.driver.execute_script("location.hash = '#sendWhatsappTextMessage'")
    page.wait(lambda: shown() == "sendWhatsappTextMessage", "the hash did not select the action")
    page.settle()
    assert page.field("content.text")
    page.type("content.text", "kept")
    page.driver.execute_script("location.hash = '#noSuchAction'")
    page.wait(
        lambda: page.driver.execute_script("return location.hash") == "#sendWhatsappTextMessage",
        "an unknown action name stayed in the address",
    )
    assert shown() == "sendWhatsappTextMessage"
    assert page.input_json()["content"]["text"] == "kept"


def test_header_fits_a_420_px_screen(page: EditorPage, editor_url: str) -> None:
    # A window cannot be made this narrow on every platform; the viewport can.
    page.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 420, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        page.driver.get(editor_url)
        page.wait(
            lambda: page.driver.execute_script("return document.body.dataset.ready === 'true'"),
            "the editor never loaded",
        )
        page.settle()
        box = page.driver.execute_script(
            "const r = (s) => document.querySelector(s).getBoundingClientRect();"
            "const lines = (s) => { const range = document.createRange();"
            "  range.selectNodeContents(document.querySelector(s));"
            "  return new Set([...range.getClientRects()].map((b) => Math.round(b.top))).size; };"
            "const t = r('.topbar h1'), m = r('#component-meta'), bar = r('.topbar');"
            "return {title: [t.left, t.top, t.right, t.bottom], meta: [m.left, m.top, m.right,"
            " m.bottom], bar: [bar.left, bar.right], metaLines: lines('#component-meta'),"
            " width: window.innerWidth, scroll: document.documentElement.scrollWidth};"
        )
        page.driver.save_screenshot(str(page.shots / "420px.png"))
    finally:
        page.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert box["width"] == 420
    assert box["scroll"] <= 420, "the page scrolls sideways"
    title, meta = box["title"], box["meta"]
    apart = 8  # px between the two, side by side or one above the other
    assert (
        meta[0] >= title[2] + apart
        or title[0] >= meta[2] + apart
        or meta[1] >= title[3]
        or title[1] >= meta[3]
    ), box
    assert box["metaLines"] == 1, box
    assert box["bar"][0] <= min(title[0], meta[0]) and max(title[2], meta[2]) <= box["bar"][1]


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


def _first_template_button(page: EditorPage, label: str) -> str:
    """Add a template button of type ``label`` to a new template message; its path."""
    page.choose_action("Send WhatsApp Template Message")
    data = "messages[0].content.templateData"
    page.unfold(data)
    page.open_additional(data)
    page.add_item(f"{data}.buttons")
    button = f"{data}.buttons[0]"
    page.choose(f"{button}.type", label)
    return button


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
