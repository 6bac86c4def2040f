"""pydantic's side of the definition: checking a parsed ``connector.yaml``, the meta-schema.

The classes of ``model.py`` are plain dataclasses; pydantic validates them as they are
(their field types, ``metadata`` constraints and ``__post_init__`` checks), so the rules
live once. Only what reads a definition that has not been checked yet imports this module
(``load_definition`` of an edited or other file, the ``schemas`` command): a ``run`` of
the packaged definition needs neither pydantic nor YAML.
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

import yaml
from pydantic import TypeAdapter, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .model import ComponentDefinition, DefinitionError

_T = TypeVar("_T")

# A dataclass's errors worded as those of a pydantic model, which the definition's
# classes were: the messages a broken definition gets stay the same.
_MODEL_WORDING = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
    "missing_argument": "Field required",
}


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(cls: type[Any]) -> TypeAdapter[Any]:
    """pydantic's validator of one of the definition's classes, built once (it is slow)."""
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


def validate(cls: type[_T], raw: Any) -> _T:
    """``raw`` (parsed YAML) checked into ``cls``; pydantic's ``ValidationError`` if broken."""
    checked: _T = _adapter(cls).validate_python(raw)
    return checked


def _error_message(error: Any) -> str:
    message: str = _MODEL_WORDING.get(error["type"], error["msg"])
    if error["type"] == "dataclass_type":
        # "Input should be a dictionary or an instance of X" in a model's words.
        name = error.get("ctx", {}).get("class_name") or str(message).rsplit(" ", 1)[-1]
        message = f"Input should be a valid dictionary or instance of {name}"
    return message


def _error_location(loc: tuple[int | str, ...], raw: Any) -> str:
    """Turn pydantic's location into a readable key path such as ``actions[0].properties[1].type``.

    Index steps are annotated with the ``name`` found there, so the message names the
    property a person would search for.
    """
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int):
            name = (
                node[step].get("name")
                if isinstance(node, list) and step < len(node) and isinstance(node[step], dict)
                else None
            )
            parts.append(f"[{step}]" + (f"({name})" if name else ""))
            node = node[step] if isinstance(node, list) and step < len(node) else None
        elif step in _UNION_BRANCHES:
            continue
        else:
            parts.append(("." if parts else "") + step)
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts)


_UNION_BRANCHES = {"str", "bool", "int", "float"}


def parse_definition(raw: Any, source: str = "connector.yaml") -> ComponentDefinition:
    """``raw`` (parsed YAML) as a definition; DefinitionError listing the first ten faults."""
    try:
        return validate(ComponentDefinition, raw)
    except ValidationError as exc:
        lines = [
            f"  {_error_location(tuple(err['loc']), raw) or '(top level)'}: {_error_message(err)}"
            for err in exc.errors()[:10]
        ]
        raise DefinitionError(
            f"{source} is not a valid component definition:\n" + "\n".join(lines)
        ) from None


def load_text(text: bytes, source: str) -> ComponentDefinition:
    """The definition in ``text`` (the bytes of the file called ``source``), checked now."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(text.decode("utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{source} is not valid YAML: {exc}") from None
    return parse_definition(raw, source)


def as_json(definition: ComponentDefinition) -> dict[str, Any]:
    """The definition as JSON data: YAML keys (``in``), empty (None) keys left out."""
    dumped: dict[str, Any] = _adapter(ComponentDefinition).dump_python(
        definition, mode="json", exclude_none=True, by_alias=True
    )
    return dumped


class _Documented(GenerateJsonSchema):
    """Class docstrings as ``description``, as pydantic gives them for models.

    pydantic leaves out a stdlib dataclass's docstring, which may be the signature the
    dataclass decorator writes when the class has none.
    """

    def dataclass_schema(self, schema: core_schema.DataclassSchema) -> JsonSchemaValue:
        json_schema = super().dataclass_schema(schema)
        cls, doc = schema["cls"], schema["cls"].__doc__
        if doc and not doc.startswith(f"{cls.__name__}(") and "description" not in json_schema:
            json_schema["description"] = inspect.cleandoc(doc)
        return json_schema


def meta_schema() -> dict[str, Any]:
    """JSON Schema (Draft 2020-12) that ``connector.yaml`` must satisfy."""
    schema = _adapter(ComponentDefinition).json_schema(schema_generator=_Documented)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:infobip-connector:schemas:connector.meta",
        **schema,
    }
