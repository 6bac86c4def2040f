"""The packaged ``connector.yaml`` is read from its checked copy, anything else is checked.

``infobip_connector/definition/connector.checked.json`` holds the definition as pydantic
checked it, with the SHA-256 of the YAML; ``infobip-connector schemas`` rewrites it. A
definition whose bytes have that hash is built from the copy without YAML or pydantic (a
CLI step is a fresh process each time); every other file goes through pydantic as always.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from infobip_connector.definition import checked, compiled
from infobip_connector.definition.model import (
    ComponentDefinition,
    DefinitionError,
    default_definition_path,
    load_definition,
)

from .conftest import ROOT


def test_the_checked_copy_is_in_sync_with_connector_yaml() -> None:
    text = (ROOT / "connector.yaml").read_bytes()
    fresh = compiled.render(text, checked.load_text(text, "connector.yaml"))
    committed = ROOT / "infobip_connector" / "definition" / compiled.NAME
    assert committed.read_text(encoding="utf-8") == fresh, (
        "connector.yaml changed: run `infobip-connector schemas`"
    )


def test_the_copy_gives_exactly_what_pydantic_checks() -> None:
    text = default_definition_path().read_bytes()
    from_copy = compiled.packaged_definition(text)
    from_yaml = checked.parse_definition(yaml.safe_load(text))
    assert from_copy is not None and from_copy == from_yaml
    assert checked.as_json(from_copy) == checked.as_json(from_yaml)
    # The JSON data of each, types included (1 == 1.0 == True in Python).
    adapter = TypeAdapter(ComponentDefinition)
    assert adapter.dump_json(from_copy) == adapter.dump_json(from_yaml)
    # Fresh lists per object, as pydantic makes them: one object's list is nobody else's.
    first, second = from_copy.actions[0], from_copy.actions[1]
    assert first.rules is not second.rules


def test_an_edited_definition_is_checked_not_read_from_the_copy(tmp_path: Path) -> None:
    source = default_definition_path().read_text(encoding="utf-8")
    edited = tmp_path / "connector.yaml"
    edited.write_text(source.replace("label: Base URL", "label: Base URL Edited.", 1))
    labels = [p.label for p in load_definition(edited).authorization.properties]
    assert "Base URL Edited." in labels
    broken = source.replace("type: STRING", "type: TEXT", 1)
    assert broken != source
    edited.write_text(broken)
    with pytest.raises(DefinitionError, match=r"\.type: Input should be 'STRING'"):
        load_definition(edited)


def test_the_same_bytes_elsewhere_are_the_packaged_definition(tmp_path: Path) -> None:
    copy = tmp_path / "connector.yaml"
    copy.write_bytes(default_definition_path().read_bytes())
    assert load_definition(copy) == load_definition()


@pytest.mark.parametrize(
    "change",
    [
        {"sha256": "0" * 64},  # another YAML's copy
        {"format": compiled.FORMAT + 1},  # a layout this version does not read
    ],
)
def test_a_copy_that_does_not_match_is_not_used(
    change: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = default_definition_path().read_bytes()
    data = json.loads(compiled.packaged_path().read_text(encoding="utf-8"))
    stale = tmp_path / compiled.NAME
    stale.write_text(json.dumps({**data, **change}), encoding="utf-8")
    monkeypatch.setattr(compiled, "packaged_path", lambda: stale)
    assert compiled.packaged_definition(text) is None
    stale.write_text("{not json", encoding="utf-8")
    assert compiled.packaged_definition(text) is None
    # The loader then checks the YAML itself.
    assert load_definition() == checked.parse_definition(yaml.safe_load(text))


def test_a_value_json_would_change_is_never_written() -> None:
    raw = yaml.safe_load(default_definition_path().read_bytes())
    raw["actions"][0]["output"]["sample"]["nested"] = {1: "a number as a key"}
    definition = checked.parse_definition(raw)
    with pytest.raises(ValueError, match="not text"):
        compiled.render(b"edited", definition)


def test_loading_the_packaged_definition_imports_neither_yaml_nor_pydantic() -> None:
    code = (
        "import sys\n"
        "from infobip_connector.definition.model import load_definition\n"
        "load_definition().action('sendSms')\n"
        "print(sorted(m for m in ('yaml', 'pydantic', 'pydantic_core') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.fixture()
def package_checkout(tmp_path: Path) -> Path:
    """A checkout whose package links its connector.yaml, as this repository's does."""
    (tmp_path / "infobip_connector" / "definition").mkdir(parents=True)
    (tmp_path / "connector.yaml").write_bytes(default_definition_path().read_bytes())
    (tmp_path / "infobip_connector" / "connector.yaml").symlink_to("../connector.yaml")
    return tmp_path


def test_schemas_writes_and_checks_the_copy(package_checkout: Path) -> None:
    definition = package_checkout / "connector.yaml"
    target = package_checkout / "infobip_connector" / "definition" / compiled.NAME
    problems = compiled.sync_checked_copy(package_checkout, definition, check=True)
    assert [p["message"] for p in problems] == ["missing; run `infobip-connector schemas`"]
    assert compiled.sync_checked_copy(package_checkout, definition, check=False) == []
    assert target.read_text(encoding="utf-8") == compiled.packaged_path().read_text("utf-8")
    assert compiled.sync_checked_copy(package_checkout, definition, check=True) == []
    definition.write_text(
        definition.read_text(encoding="utf-8").replace("label: Base URL", "label: B.", 1)
    )
    problems = compiled.sync_checked_copy(package_checkout, definition, check=True)
    assert [p["message"] for p in problems] == ["out of date; run `infobip-connector schemas`"]


def test_another_projects_definition_gets_no_copy(package_checkout: Path) -> None:
    other = package_checkout / "other.yaml"
    other.write_bytes((package_checkout / "connector.yaml").read_bytes())
    assert compiled.sync_checked_copy(package_checkout, other, check=False) == []
    assert not (package_checkout / "infobip_connector" / "definition" / compiled.NAME).exists()
