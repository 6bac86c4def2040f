"""The editor's dropdown of choices from Infobip, in headless Chromium, on a test definition.

The page renders whatever definition the editor's backend serves; here it is the test-only
one of tests/defined/, whose template-name field takes its options from the sandbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infobip_connector import Component

from .defined import write_definition
from .editor_browser_support import EditorPage, driver, page, pytestmark  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def editor_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from infobip_connector.hosts.editor import api, make_server

    folder: Path = tmp_path_factory.mktemp("editor-defined")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api, "component", Component(write_definition(folder)))
        with make_server(0) as server:
            yield server.url


def _template_name_field(page: EditorPage) -> None:  # noqa: F811
    """The test action with one message, whose template name takes options from Infobip."""
    page.choose_action("Get WhatsApp templates")
    page.open_additional("")
    page.add_item("messages")
    page.settle()


def test_a_field_with_options_from_infobip_offers_them(page: EditorPage) -> None:  # noqa: F811
    _template_name_field(page)
    name = page.control("messages[0].content.templateName")
    list_id = name.get_attribute("list")
    assert list_id

    def offered() -> list[str]:
        return list(
            page.driver.execute_script(
                "return [...document.getElementById(arguments[0]).options].map(o => o.value)",
                list_id,
            )
        )

    assert offered() == []  # the sender it depends on is still empty
    page.type("messages[0].from", "447860099299")
    page.wait(lambda: "welcome" in offered(), "the template names never arrived")
    page.screenshot("template-names")


def test_why_there_are_no_choices_is_shown_next_to_the_field(page: EditorPage) -> None:  # noqa: F811
    _template_name_field(page)
    name = page.field("messages[0].content.templateName")

    def problem() -> str:
        # textContent: the field sits in a folded group, whose text Selenium reports as "".
        return str(name.find_element("css selector", ".options-error").get_attribute("textContent"))

    assert problem() == ""
    # Without the sandbox and without a token, the options cannot be asked for: the page
    # says why next to the field, instead of offering an empty list.
    page.click(page.driver.find_element("id", "use-sandbox"))
    page.type("messages[0].from", "447860099299")
    page.wait(lambda: problem().startswith("No choices:"), "no reason shown")
    assert problem().startswith("No choices: token:"), problem()
    page.screenshot("options-error")
    page.click(page.driver.find_element("id", "use-sandbox"))
    page.type("messages[0].from", "447860099298")
    page.wait(lambda: problem() == "", "the reason stayed once the options could be asked for")
