"""What the MCP server offers to read: the component definition and the property reference.

Plain data (no MCP SDK). The reference is rendered from the installed definition by the
same code that writes ``docs/reference.md`` (``infobip-connector docs``), so an agent
reads what the tools really take even where no checkout is at hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...component import Component


@dataclass(frozen=True)
class ResourceSpec:
    """One resource: its URI, name, description, MIME type and text."""

    uri: str
    name: str
    title: str
    description: str
    mime_type: str
    text: str


def build_resources(component: Component) -> dict[str, ResourceSpec]:
    """The resources by URI: ``infobip-connector://definition`` and ``...://reference``."""
    from ...definition.reference import render_reference

    definition = ResourceSpec(
        uri="infobip-connector://definition",
        name="definition",
        title="Component definition",
        description="connector.yaml as JSON: every action, its kind, properties and output.",
        mime_type="application/json",
        text=json.dumps(component.definition_json(), indent=2, ensure_ascii=False),
    )
    reference = ResourceSpec(
        uri="infobip-connector://reference",
        name="reference",
        title="Property reference",
        description="Every property of every action at every depth, with its rules (Markdown).",
        mime_type="text/markdown",
        text=render_reference(component.definition),
    )
    return {r.uri: r for r in (definition, reference)}
