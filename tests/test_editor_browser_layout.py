"""The editor page's layout in headless Chromium: folding, help text, the URL, a narrow screen."""

# The fixtures imported below are the tests' arguments.
# ruff: noqa: F811

from __future__ import annotations

import contextlib

from .editor_browser_support import (  # noqa: F401 (fixtures)
    EditorPage,
    driver,
    editor_url,
    page,
    pytestmark,
)

with contextlib.suppress(ImportError):  # without selenium, pytestmark skips every test
    from selenium.webdriver.common.by import By


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
