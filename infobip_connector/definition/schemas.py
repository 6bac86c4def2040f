"""JSON Schemas (Draft 2020-12) derived from the component definition.

These are the contract an engine in any language can check values against;
``infobip-connector schemas --write`` writes them to ``schemas/`` and a test
keeps the checked-in copies in sync with ``connector.yaml``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .model import (
    Action,
    ComponentDefinition,
    Output,
    Property,
    Trigger,
    meta_schema,
)
from .open_shapes import FREE_MAX_DEPTH, FREE_MAX_JSON_CHARS
from .texts import (
    HTTP_URL_PATTERN,
    IDENTIFIER_PATTERN,
    LINE_PATTERN,
    TEXT_PATTERN,
    digits_pattern,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# A date-time as an editor's picker or a chained step writes it: local, or with Z / an offset.
# An offset may carry zero seconds (+01:00:00 is +01:00, as ISO 8601 and Python read it);
# other seconds are no offset Infobip's ±hhmm can carry (datetime_faults names them).
_WALL = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
_OFFSET = r"([Zz]|[+-]\d{2}(:\d{2}(:00([.,]0+)?)?|\d{2}(00([.,]0+)?)?)?)"
DATE_TIME_PATTERN = _WALL + _OFFSET + "?$"
# The same, but the offset is required: a lone string cannot name its zone.
OFFSET_DATE_TIME_PATTERN = _WALL + _OFFSET + "$"
# Extension keyword carrying a property's ``presentation`` (essential | additional).
PRESENTATION_KEYWORD = "x-presentation"
# Said once per input schema: JSON Schema's maxLength counts code points, Infobip UTF-16 units.
LENGTH_COMMENT = (
    "Infobip counts lengths in UTF-16 code units: a character beyond U+FFFF (most emoji) "
    "counts as two. maxLength (code points) is a bound every validator applies; "
    "x-maxLengthUtf16 is the limit the connector enforces."
)

_JSON_TYPES = {
    "STRING": "string",
    "DATE_TIME": "string",
    "INTEGER": "integer",
    "NUMBER": "number",
    "BOOLEAN": "boolean",
    "ARRAY": "array",
    "OBJECT": "object",
}


def property_schema(prop: Property, *, for_output: bool = False) -> dict[str, Any]:
    """The JSON Schema of one property's value."""
    schema: dict[str, Any] = {}
    if prop.label:
        schema["title"] = prop.label
    if prop.description:
        schema["description"] = prop.description
    if prop.forms is not None:
        _one_of(schema, prop.forms, for_output)
    else:
        schema["type"] = _JSON_TYPES[prop.type]
    if prop.type == "OBJECT" and prop.freeMembers:
        _free_members(schema, prop, for_output)
    elif prop.type == "OBJECT":
        children = prop.properties or []
        schema["properties"] = {
            c.name: property_schema(c, for_output=for_output) for c in children if c.name
        }
        required = [c.name for c in children if c.required and c.name]
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        if prop.alsoAcceptsString and not for_output:
            # Object keywords only apply to objects and string keywords only to strings,
            # so one schema states both forms without an opaque oneOf.
            schema["type"] = ["object", "string"]
            schema["pattern"] = OFFSET_DATE_TIME_PATTERN
    elif prop.type == "ARRAY":
        assert prop.items is not None
        schema["items"] = property_schema(prop.items, for_output=for_output)
        _put(schema, "minItems", prop.minItems)
        _put(schema, "maxItems", prop.maxItems)
        if prop.uniqueItems:
            schema["uniqueItems"] = True
    elif prop.type in ("INTEGER", "NUMBER"):
        _put(schema, "minimum", _number(prop.minValue))
        _put(schema, "maximum", _number(prop.maxValue))
        if prop.maxNumberPrecision == 0:
            schema["multipleOf"] = 1
    elif prop.type in ("STRING", "DATE_TIME"):
        _put(schema, "minLength", prop.minLength)
        _put(schema, "maxLength", prop.maxLength)
        if prop.maxLength is not None and not for_output:
            schema["x-maxLengthUtf16"] = prop.maxLength
        _put(schema, "pattern", string_pattern(prop, for_output))
    if prop.options and not for_output:
        schema["enum"] = prop.option_values
    if prop.optionsFrom and not for_output:
        # An annotation: an editor asks ``component.options`` for this field's choices.
        schema["x-optionsFrom"] = asdict(prop.optionsFrom)
    if prop.default is not None:
        schema["default"] = prop.default
    examples = [e for e in (prop.example, prop.placeholder) if e]
    if examples and prop.type in ("STRING", "DATE_TIME") and not prop.secret:
        schema["examples"] = examples[:1]
    if prop.secret:
        schema["writeOnly"] = True
    if prop.presentation and not for_output:
        # An annotation, not an assertion: validators ignore it, form builders read it.
        schema[PRESENTATION_KEYWORD] = prop.presentation
    return schema


def _free_members(schema: dict[str, Any], prop: Property, for_output: bool) -> None:
    """An object whose members the person names: any name but an empty one, each value any
    JSON value or of the declared ``values``; its depth and size bounds as annotations (a
    JSON Schema cannot state them; the connector checks them, ``runtime/free_values.py``)."""
    schema["propertyNames"] = {"minLength": 1}
    values = prop.values
    schema["additionalProperties"] = (
        property_schema(values, for_output=for_output) if values is not None else True
    )
    nested = schema["additionalProperties"]
    if isinstance(nested, dict):
        # The bounds are the outer object's, counted from it (not again for each member).
        nested.pop("x-maxDepth", None)
        nested.pop("x-maxJsonLength", None)
    if not for_output:
        schema["x-maxDepth"] = FREE_MAX_DEPTH
        schema["x-maxJsonLength"] = FREE_MAX_JSON_CHARS


def _one_of(schema: dict[str, Any], forms: list[Property], for_output: bool) -> None:
    """A member taking one of ``forms`` (``type: ONE_OF``): ``oneOf`` their schemas, as
    Infobip's description gives each payment type its own ``callbackData``. ``type`` lists
    the forms' JSON types as well, so a value of none of them is told so at the member
    (``runtime/validation.py`` reads a value's errors out of the form its type picks); the
    bounds of free members apply to the whole value (``runtime/free_values.py``)."""
    schema["type"] = [_JSON_TYPES[form.type] for form in forms]
    schema["oneOf"] = [property_schema(form, for_output=for_output) for form in forms]
    if not for_output:
        schema["x-maxDepth"] = FREE_MAX_DEPTH
        schema["x-maxJsonLength"] = FREE_MAX_JSON_CHARS


def string_pattern(prop: Property, for_output: bool) -> str | None:
    """What an input string may hold: never blank, never a control character (tabs and line
    breaks only in ``multiline`` text); a date-time, URL or identifier in its own form."""
    if prop.type == "DATE_TIME":
        return DATE_TIME_PATTERN
    if for_output or prop.options:
        return None
    if prop.format in ("http-url", "callback-url"):
        return HTTP_URL_PATTERN
    if prop.format == "identifier":
        return IDENTIFIER_PATTERN
    if prop.format == "digits" and prop.maxLength is not None:
        return digits_pattern(prop.minLength or 1, prop.maxLength)
    return TEXT_PATTERN if prop.multiline else LINE_PATTERN


def _put(schema: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        schema[key] = value


def _number(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def _document(schema_id: str, title: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": schema_id, **body, "title": title}


def input_schema(component: ComponentDefinition, action: Action) -> dict[str, Any]:
    body = property_schema(action.as_property())
    body["description"] = action.description
    body["$comment"] = LENGTH_COMMENT
    return _document(
        f"urn:infobip-connector:schemas:{component.name}.{action.name}.input",
        f"{action.title}: input",
        body,
    )


def output_schema(component: ComponentDefinition, action: Action) -> dict[str, Any]:
    return _output_document(
        component,
        action.output,
        f"{action.name}.output",
        f"{action.title}: output",
        f"What {action.title} returns to the next step.",
    )


def event_schema(component: ComponentDefinition, trigger: Trigger) -> dict[str, Any]:
    """The JSON Schema of one event of ``trigger``: what the workflow it starts receives."""
    return _output_document(
        component,
        trigger.output,
        f"{trigger.name}.event",
        f"{trigger.title}: event",
        f"One {trigger.title} event: what the workflow it starts receives.",
    )


def _output_document(
    component: ComponentDefinition, output: Output, name: str, title: str, description: str
) -> dict[str, Any]:
    body = property_schema(output.as_property(), for_output=True)
    body["description"] = description
    body["examples"] = [output.sample]
    return _document(f"urn:infobip-connector:schemas:{component.name}.{name}", title, body)


def connection_schema(component: ComponentDefinition) -> dict[str, Any]:
    auth = component.authorization
    body = property_schema(Property(name="connection", type="OBJECT", properties=auth.properties))
    body["description"] = (
        f"Connection '{auth.title}': sent as header {auth.header.name}: {auth.header.value}."
    )
    return _document(f"urn:infobip-connector:schemas:{component.name}.connection", auth.title, body)


def all_schemas(component: ComponentDefinition) -> dict[str, dict[str, Any]]:
    """File name → schema, exactly as checked in under ``schemas/``."""
    files: dict[str, dict[str, Any]] = {
        "connector.meta.schema.json": meta_schema(),
        "connection.schema.json": connection_schema(component),
    }
    for action in component.actions:
        files[f"{action.name}.input.schema.json"] = input_schema(component, action)
        files[f"{action.name}.output.schema.json"] = output_schema(component, action)
    for trigger in component.triggers:
        files[f"{trigger.name}.event.schema.json"] = event_schema(component, trigger)
    return files
