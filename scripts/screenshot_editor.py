"""Regenerate docs/editor.png: the editor with a filled Send SMS form, run in the sandbox.

    python scripts/screenshot_editor.py [--output docs/editor.png]

Needs selenium plus Debian's chromium and chromium-driver (the browser tests' setup).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from infobip_connector.hosts.editor import make_server  # noqa: E402

WIDTH = 1400
CHROME_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    f"--window-size={WIDTH},1000",
]


def _control(driver: WebDriver, path: str) -> webdriver.remote.webelement.WebElement:
    field = driver.find_element(By.CSS_SELECTOR, f'main [data-path="{path}"]')
    return field.find_element(By.CSS_SELECTOR, ":scope > input, :scope > textarea, :scope > select")


def _settled(driver: WebDriver) -> None:
    state = driver.find_element(By.ID, "validation-state")
    WebDriverWait(driver, 15).until(
        lambda _: state.get_attribute("data-state") in ("valid", "invalid")
    )


def fill_send_sms(driver: WebDriver) -> None:
    """The essential fields only: the optional ones stay folded under "Additional fields"."""
    _control(driver, "messages[0].destinations[0].to").send_keys("41793026727")
    driver.find_element(By.CSS_SELECTOR, 'button[data-add="messages[0].destinations"]').click()
    _control(driver, "messages[0].destinations[1].to").send_keys("+41 79 302 67 28")
    _control(driver, "messages[0].from").send_keys("InfoSMS")
    _control(driver, "messages[0].text").send_keys("Spring sale: 20% off everything until Sunday!")
    _settled(driver)
    driver.find_element(By.ID, "run").click()
    output = driver.find_element(By.ID, "output")
    WebDriverWait(driver, 15).until(lambda _: output.get_attribute("data-state") in ("ok", "error"))
    _settled(driver)  # leaving the text field for Run re-checks it (a change event)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "editor.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()

    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    with tempfile.TemporaryDirectory(prefix="editor-shot-") as profile, make_server(0) as server:
        for arg in [*CHROME_ARGS, f"--user-data-dir={profile}"]:
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
        try:
            driver.get(server.url)
            WebDriverWait(driver, 15).until(
                lambda d: d.execute_script("return document.body.dataset.ready === 'true'")
            )
            fill_send_sms(driver)
            driver.execute_script("window.scrollTo(0, 0)")
            # Show the whole first message, which ends where its "Add Message" button is.
            bottom = driver.execute_script(
                "const b = document.querySelector('button[data-add=\"messages\"]');"
                "return Math.ceil(b.getBoundingClientRect().bottom + window.scrollY + 16);"
            )
            # The window size includes the browser frame; the page needs that much more.
            frame = driver.execute_script("return window.outerHeight - window.innerHeight")
            driver.set_window_size(WIDTH, int(bottom) + int(frame))
            args.output.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.output))
        finally:
            driver.quit()
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
