"""The property reference (``docs/reference.md``), generated from the definition.

The first part uses the component reference's own table format, type signatures
included (``[{STRING(messageId), STRING(to)}](destinations)``), so the two can be
compared row by row; the second part lists every nested field with its rules.
"""

from __future__ import annotations

import json

from .model import (
    Action,
    ComponentDefinition,
    Property,
    Trigger,
    format_path,
    walk,
)
from .open_shapes import FREE_MAX_DEPTH, FREE_MAX_JSON_CHARS

_HEADER = (
    "|      Name      |     Type     |     Control Type     |     Description     |\n"
    "|:--------------:|:------------:|:--------------------:|:-------------------:|"
)
#: What each kind of action means for someone running it (see ``request.Kind``).
KIND_MEANINGS = {
    "send": "it sends (paid); never repeated after an ambiguous failure.",
    "read": "it reads; safe to repeat, retried after an ambiguous failure.",
    "consume": "it takes items Infobip hands out once; never repeated after an ambiguous "
    "failure, whose items may be lost.",
}
_OUTPUT_HEADER = "|     Type     |     Control Type     |\n|:------------:|:--------------------:|"
_OUTPUT_CONTROL = {
    "STRING": "TEXT",
    "INTEGER": "INTEGER",
    "NUMBER": "NUMBER",
    "BOOLEAN": "SELECT",
    "DATE_TIME": "DATE_TIME",
    "ARRAY": "ARRAY_BUILDER",
    "OBJECT": "OBJECT_BUILDER",
}


def signature(prop: Property, *, output_item: bool = False) -> str:
    """The type signature of a property's value, as the reference tables write it."""
    if prop.type == "OBJECT":
        inner = ", ".join(_named(c, "$" if output_item else "") for c in prop.properties or [])
        return inner if output_item else "{" + inner + "}"
    if prop.type == "ARRAY":
        assert prop.items is not None
        return "[" + signature(prop.items, output_item=output_item) + "]"
    if prop.forms is not None:
        return " \\| ".join(_form_signature(form) for form in prop.forms)
    return prop.type


def _form_signature(form: Property) -> str:
    """A form of a ONE_OF: ``[STRING]`` for a list, ``{STRING}`` for free members."""
    if form.freeMembers:
        return "{" + (form.values.type if form.values is not None else "ANY") + "}"
    return signature(form)


def _named(prop: Property, sigil: str) -> str:
    return f"{signature(prop)}({sigil}{prop.name})"


def _cell(text: str) -> str:
    return f"  {text}  " if text else "  "


def property_row(prop: Property) -> str:
    return f"| {prop.label} | {signature(prop)} | {prop.controlType}  |{_cell(prop.description)}|"


def output_row(prop: Property) -> str:
    control = prop.controlType or _OUTPUT_CONTROL[prop.type]
    return f"| {signature(prop, output_item=prop.type == 'ARRAY')} | {control}  |"


def _table(rows: list[str], header: str = _HEADER) -> str:
    return header + "\n" + "\n".join(rows)


def anchor(heading: str) -> str:
    """The fragment a Markdown renderer (GitHub's rule) gives ``heading``: lower case, spaces
    to hyphens, everything but letters, digits, ``-`` and ``_`` dropped."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return "#" + kept.replace(" ", "-")


def details_heading(item: Action | Trigger) -> str:
    """The heading of ``item`` in the field details part."""
    prefix = "Trigger: " if isinstance(item, Trigger) else ""
    return f"{prefix}{item.title} (`{item.name}`)"


def _pointers(item: Action | Trigger, outputs: list[Property]) -> str:
    # The tables above keep the component reference's format, which names no output member
    # and shows nested inputs as type signatures only; these lines say both and point to the
    # full rules.
    names = ", ".join(f"`{p.name}`" for p in outputs)
    where = anchor(details_heading(item))
    return (
        f"Output members, in the order of the rows: {names}. Every property by name, nested "
        f"ones included, with its required members, limits and allowed values: "
        f"[field details]({where}).\n\n"
    )


def _action_section(action: Action) -> str:
    outputs = [output_row(p) for p in action.output.properties]
    return (
        f"### {action.title}\n{action.description}\n\n#### Properties\n\n"
        + _table([property_row(p) for p in action.properties])
        + "\n\n\n### Output\n\n\n\nType: OBJECT\n\n#### Properties\n\n"
        + _table(outputs, _OUTPUT_HEADER)
        + "\n\n"
        + _pointers(action, action.output.properties)
        + "\n\n\n"
    )


def _trigger_section(trigger: Trigger) -> str:
    outputs = [output_row(p) for p in trigger.output.properties]
    return (
        f"### {trigger.title}\n{trigger.description}\n\nType: {', '.join(trigger.types)}\n\n"
        "### Output\n\n\n\nType: OBJECT\n\n#### Properties\n\n"
        + _table(outputs, _OUTPUT_HEADER)
        + "\n\n"
        + _pointers(trigger, trigger.output.properties)
        + "\n\n\n"
    )


def _trigger_sources(trigger: Trigger) -> str:
    """Where the events come from: the webhook Infobip posts, the action a poll runs."""
    said = []
    if trigger.webhook:
        kinds = ", ".join(f"`{c}`" for c in trigger.webhook.contentTypes)
        said.append(f"Webhook: Infobip's `{trigger.webhook.operation}` body ({kinds}).")
    if trigger.polling:
        said.append(
            f"Polling: runs `{trigger.polling.action}`, at most {trigger.polling.limit} "
            "items a poll."
        )
    return " ".join(said) + "\n\n"


def _constraints(prop: Property) -> str:
    said: list[str] = []
    if prop.required:
        said.append("required")
    for key, word in (
        ("minLength", "min length"),
        ("maxLength", "max length (UTF-16 units)"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
        ("minValue", "min"),
        ("maxValue", "max"),
    ):
        value = getattr(prop, key)
        if value is not None:
            shown = int(value) if isinstance(value, float) and value.is_integer() else value
            said.append(f"{word} {shown}")
    if prop.maxNumberPrecision == 0:
        said.append("whole number")
    if prop.options:
        said.append("one of " + ", ".join(f"`{json.dumps(o.value)}`" for o in prop.options))
    if prop.default is not None:
        said.append(f"default `{json.dumps(prop.default)}`")
    if prop.format:
        said.append(
            {
                "phone": "phone number, normalised",
                "sms-sender": "sender ID or phone number, normalised",
                "http-url": "http(s) URL",
                "callback-url": "http(s) URL Infobip calls: no loopback or private address",
                "identifier": "visible characters only",
                "digits": "digits 0-9 only",
            }[prop.format]
        )
    if prop.multiline:
        said.append("line breaks allowed")
    if prop.generatedId:
        said.append("UUID assigned when empty")
    said.extend(f"rule: {r}" for r in prop.rules)
    if prop.location != "body":
        how = (
            ""
            if prop.location == "path" or prop.type != "ARRAY"
            else (", repeated" if prop.explode else ", comma-joined")
        )
        said.append(f"sent in the {prop.location}{how}")
    if prop.optionsFrom:
        after = ", ".join(f"`{d}`" for d in prop.optionsFrom.dependsOn)
        said.append("options from Infobip" + (f" once {after} filled" if after else ""))
    if prop.alsoAcceptsString:
        said.append("or text: " + prop.alsoAcceptsString)
    if prop.freeMembers:
        said.append(_free_members(prop.values))
    if prop.forms is not None:
        said.append("one of: " + " or ".join(map(_form, prop.forms)))
    return "; ".join(said)


def _form(form: Property) -> str:
    """What one form of a ONE_OF takes, in words."""
    if form.freeMembers:
        return "an object of " + _free_members(form.values)
    assert form.items is not None
    most = f"at most {form.maxItems} " if form.maxItems is not None else ""
    return f"a list of {most}{_each(form.items)}"


def _each(values: Property | None) -> str:
    """The type of a free member's value (or a list form's item), with its length bounds."""
    each: str = "any JSON value" if values is None else values.type
    if values is not None and values.type == "OBJECT":
        each = "an OBJECT of members named freely"
    if values is not None and values.maxLength is not None:
        low = values.minLength or 0
        each += f" of {low} to {values.maxLength}" if low else f" of at most {values.maxLength}"
        each += " characters"
    return each


def _free_members(values: Property | None) -> str:
    """What an OBJECT with ``freeMembers`` takes, and its bounds."""
    return (
        f"members named freely, each {_each(values)}; at most {FREE_MAX_DEPTH} levels deep and "
        f"{FREE_MAX_JSON_CHARS:,} characters (UTF-16 units) as JSON"
    )


def _details(root: Property, heading: str) -> str:
    rows = ["| Path | Type | Control | Constraints | Description |", "|---|---|---|---|---|"]
    for path, prop in walk(root):
        if not path:
            continue
        description = prop.description.replace("|", "\\|")
        rows.append(
            f"| `{format_path(path)}` | {prop.type} | {prop.controlType or ''} | "
            f"{_constraints(prop)} | {description} |"
        )
    return f"#### {heading}\n\n" + "\n".join(rows) + "\n"


def render_reference(component: ComponentDefinition) -> str:
    auth = component.authorization
    parts = [
        "---\n"
        f'title: "{component.title}"\n'
        f'description: "{component.description}"\n'
        "---\n"
        "<!-- Generated from connector.yaml by `infobip-connector docs`; do not edit. -->\n\n"
        "## Reference\n<hr />\n\n"
        f"{component.description}\n\n\n"
        f"Categories: [{', '.join(component.categories)}]\n\n\n"
        f"Version: {component.version}\n\n<hr />\n\n\n\n"
        "## Connections\n\n"
        f"Version: {component.connection.version}\n\n\n"
        f"### {auth.title}\n\n#### Properties\n\n"
        + _table([property_row(p) for p in auth.properties])
        + "\n\n\n\n\n<hr />\n\n\n\n\n\n## Actions\n\n\n",
    ]
    parts.extend(_action_section(a) for a in component.actions)
    if component.triggers:
        parts.append("<hr />\n\n\n\n\n\n## Triggers\n\n\n")
        parts.extend(_trigger_section(t) for t in component.triggers)
    parts.append(
        "## Field details\n\nEvery nested field, with the rules checked before sending.\n\n"
    )
    parts.append(f"### Connection: {auth.title}\n\n")
    parts.append(_details(Property(name="c", type="OBJECT", properties=auth.properties), "Fields"))
    for action in component.actions:
        parts.append(f"\n### {details_heading(action)}\n\n")
        parts.append(f"Kind: `{action.kind}` — {KIND_MEANINGS[action.kind]}\n\n")
        if action.rules:
            listed = ", ".join(f"`{rule}`" for rule in action.rules)
            parts.append(f"Rules between inputs: {listed}\n\n")
        parts.append(_details(action.as_property(), "Input"))
        parts.append("\n")
        parts.append(_details(action.output.as_property(), "Output"))
        parts.append(_sample("Sample output", action.output.sample))
    for trigger in component.triggers:
        parts.append(f"\n### {details_heading(trigger)}\n\n")
        parts.append(_trigger_sources(trigger))
        parts.append(_details(trigger.output.as_property(), "Event"))
        parts.append(_sample("Sample event", trigger.output.sample))
    return "".join(parts)


def _sample(heading: str, sample: dict[str, object]) -> str:
    return (
        f"\n{heading}:\n\n```json\n" + json.dumps(sample, indent=2, ensure_ascii=False) + "\n```\n"
    )
