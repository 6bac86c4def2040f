"""The packaged ``connector.yaml`` as already checked: read without YAML or pydantic.

Every CLI step is a fresh process, and parsing the YAML and checking it with pydantic
(importing both) cost more than the rest of a send. ``connector.checked.json``, next to
this module, holds the packaged definition as pydantic checked it, with the SHA-256 of the
YAML it came from; ``infobip-connector schemas`` rewrites it with the schemas it derives
from the same file (a test fails when the two are out of step). A file whose bytes have
that hash is the checked definition, so its classes are made straight from the JSON; any
other file (edited, or another project's) is parsed and checked as always.

The JSON lists each object's fields by their Python names, leaving out those at their
default value; it is written only when reading it back gives exactly the checked
definition.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from . import model
from .model import ComponentDefinition

#: The file's name in the package (``infobip_connector/definition/``).
NAME = "connector.checked.json"
#: Raised to when the layout of the JSON changes, so an older file is not misread.
FORMAT = 1


def _classes() -> dict[str, type[Any]]:
    return {
        name: cls
        for name, cls in vars(model).items()
        if isinstance(cls, type) and issubclass(cls, model._Model) and cls is not model._Model
    }


def _shapes() -> dict[type[Any], tuple[dict[str, type[Any]], dict[str, Any], list[str]]]:
    """Per class: the fields holding objects of the model (a class, or a list of them), the
    plain defaults, and the fields defaulting to a fresh empty list."""
    classes = _classes()
    shapes = {}
    for cls in classes.values():
        nested, plain, lists = {}, {}, []
        for f in dataclasses.fields(cls):
            # Annotations are strings (``list[Property] | None``): at most one class each.
            named = [classes[word] for word in re.findall(r"\w+", str(f.type)) if word in classes]
            if named:
                nested[f.name] = named[0]
            if f.default is not dataclasses.MISSING:
                plain[f.name] = f.default
            elif f.default_factory is not dataclasses.MISSING:
                lists.append(f.name)
        shapes[cls] = (nested, plain, lists)
    return shapes


_SHAPES = _shapes()


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    """An object of ``cls`` from its JSON fields, which pydantic checked when it was written
    (its ``__post_init__`` checks are not run again)."""
    nested, plain, lists = _SHAPES[cls]
    values = {**plain, **{name: [] for name in lists}}
    for key, value in data.items():
        inner = nested.get(key)
        if inner is not None and value is not None:
            value = (
                [_build(inner, item) for item in value]
                if isinstance(value, list)
                else _build(inner, value)
            )
        values[key] = value
    made = object.__new__(cls)
    made.__dict__.update(values)
    return made


def _dump(value: Any) -> Any:
    """JSON data of a checked definition (or any part of it), defaults left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            held = getattr(value, f.name)
            at_default = held == f.default if f.default is not dataclasses.MISSING else held == []
            if not at_default:
                out[f.name] = _dump(held)
        return out
    if isinstance(value, list):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise ValueError("a mapping of the definition has a key that is not text")
        return {key: _dump(item) for key, item in value.items()}
    return value


def digest(text: bytes) -> str:
    """The hexadecimal SHA-256 of a definition file's bytes."""
    return hashlib.sha256(text).hexdigest()


def render(text: bytes, definition: ComponentDefinition) -> str:
    """The file for ``definition``, checked from ``text``; ValueError if the JSON could not
    give it back exactly (a value JSON does not keep, such as a number as a mapping key)."""
    data = {"format": FORMAT, "sha256": digest(text), "definition": _dump(definition)}
    rendered = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    again = _build(ComponentDefinition, orjson.loads(rendered)["definition"])
    # Compared as JSON too: 1 == 1.0 == True in Python, not in the schemas derived later.
    if again != definition or _dump(again) != data["definition"]:
        raise ValueError(f"{NAME} would not give the checked definition back")
    return rendered


def packaged_path() -> Path:
    return Path(str(resources.files(__package__).joinpath(NAME)))


def packaged_definition(text: bytes) -> ComponentDefinition | None:
    """The checked definition when ``text`` is the YAML it was checked from, else None."""
    try:
        data = orjson.loads(packaged_path().read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    if data.get("sha256") != digest(text):
        return None
    built: ComponentDefinition = _build(ComponentDefinition, data["definition"])
    return built


def sync_checked_copy(root: Path, definition: Path, *, check: bool) -> list[dict[str, str]]:
    """Rewrite the checked copy of this project's packaged definition (``schemas`` does);
    with ``check``, only say if it is missing or out of date, as a problem of ``--check``.

    Only in a checkout of this package whose packaged ``connector.yaml`` is ``definition``:
    the copy is package data, the definition of any other project has none. The copy is
    made from ``definition`` checked by pydantic now, never from an earlier copy.
    """
    packaged = root / "infobip_connector" / "connector.yaml"
    if not packaged.exists() or packaged.resolve() != definition.resolve():
        return []
    from .checked import load_text

    text = definition.read_bytes()
    rendered = render(text, load_text(text, definition.name))
    target = packaged.parent / "definition" / NAME
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if current == rendered:
        return []
    if check:
        state = "missing" if current is None else "out of date"
        return [{"path": str(target), "message": f"{state}; run `infobip-connector schemas`"}]
    target.write_text(rendered, encoding="utf-8")
    return []
