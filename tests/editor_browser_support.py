"""Shared by the editor's browser tests: headless Chromium, its fixtures, the page driver.

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

import pytest

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
