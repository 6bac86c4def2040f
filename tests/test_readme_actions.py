"""The README's list of actions names every action of connector.yaml, each as the definition
has it: its title, name, method and path, and kind; and lists no action the definition lacks.
"""

from __future__ import annotations

import re

from infobip_connector import component

from .conftest import ROOT
from .operations import OPERATIONS

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: A line of the list: ``  - *Title* (`name`, `METHOD /path`, kind)``.
ITEM = re.compile(
    r"^  - \*(?P<title>[^*]+)\* \(`(?P<name>\w+)`, `(?P<call>[^`]+)`, (?P<kind>\w+)\)"
)


def _listed() -> dict[str, tuple[str, str, str]]:
    start = README.index("- **Actions**")
    end = README.index("\n- **", start + 1)
    found = (ITEM.match(line) for line in README[start:end].splitlines())
    return {m["name"]: (m["title"], m["call"], m["kind"]) for m in found if m}


def test_the_readme_lists_every_action_as_defined() -> None:
    listed = _listed()
    assert sorted(listed) == sorted(component.action_names), "README.md's list of actions"
    for name in component.action_names:
        action = component.definition.action(name)
        op = OPERATIONS[name]
        assert listed[name] == (action.title, f"{op.method} {op.path}", action.kind), name
