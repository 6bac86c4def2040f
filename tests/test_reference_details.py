"""docs/reference.md serves as per-action documentation: beyond the component reference's
tables (no output names, nested inputs as type signatures), each action and trigger names its
output members and points to the field details, where every nested property is listed by
path with its rules."""

from __future__ import annotations

import re

import pytest

from infobip_connector import component
from infobip_connector.definition.model import Action, Trigger
from infobip_connector.definition.reference import anchor, render_reference

REFERENCE = render_reference(component.definition)
HEADINGS = {anchor(h) for h in re.findall(r"^#+ (.+)$", REFERENCE, flags=re.M)}
ITEMS: list[Action | Trigger] = [*component.definition.actions, *component.definition.triggers]


def _section(title: str) -> str:
    """The component-reference section of ``title``: from its heading to the next one of an
    action or trigger (its Output subsection included)."""
    start = REFERENCE.index(f"\n### {title}\n")
    following = [REFERENCE.find(f"\n### {other.title}\n", start + 1) for other in ITEMS]
    ends = [at for at in following if at > start]
    return REFERENCE[start : min(ends, default=len(REFERENCE))]


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.name)
def test_each_section_names_its_output_members_and_links_its_field_details(
    item: Action | Trigger,
) -> None:
    section = _section(item.title)
    said = re.search(r"Output members, in the order of the rows: (.+?)\. ", section)
    assert said is not None
    names = re.findall(r"`([^`]+)`", said.group(1))
    assert names == [p.name for p in item.output.properties]
    (target,) = re.findall(r"\[field details\]\((#[^)]+)\)", section)
    assert target in HEADINGS


def test_nested_inputs_are_listed_by_path_with_their_rules() -> None:
    details = REFERENCE[REFERENCE.index("## Field details") :]
    row = next(
        line for line in details.splitlines() if "`messages[*].regional.southKorea.title`" in line
    )
    assert "max length (UTF-16 units) 66" in row
    row = next(line for line in details.splitlines() if "`messages[*].transliteration`" in line)
    assert '`"ALL"`' in row and '`"NONE"`' in row
    row = next(line for line in details.splitlines() if "`messages[*].sendAt` " in line)
    assert "or text:" in row


def test_anchor_follows_the_markdown_heading_rule() -> None:
    assert anchor("Send SMS (`sendSms`)") == "#send-sms-sendsms"
    assert (
        anchor("Trigger: New Inbound SMS (`newInboundSms`)")
        == "#trigger-new-inbound-sms-newinboundsms"
    )
