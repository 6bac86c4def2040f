"""Request validation with the field paths and messages the real API reports.

Rules are declared as small nested objects and checked by one walker, so the request bodies'
rules (``send_rules.py``, ``endpoint_rules.py``) read like their schemas. The sandbox is
deliberately stricter than the live service in a few places (a number where a string belongs,
unknown fields, fractional integers) so that tests catch a plugin sending something the live
service would only tolerate by coercion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .free_bounds import free_problems

Errors = dict[str, list[str]]

_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Str:
    required: bool = False
    min_len: int = 0
    max_len: int | None = None
    not_blank: bool = False
    enum: tuple[str, ...] | None = None
    check: Callable[[str], str | None] | None = None


@dataclass(frozen=True)
class Int:
    required: bool = False
    minimum: int | None = None
    maximum: int = _INT64_MAX


@dataclass(frozen=True)
class Num:
    """A JSON number (``type: number``, ``format: double``) within ``minimum`` and ``maximum``."""

    required: bool = False
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Bool:
    required: bool = False


@dataclass(frozen=True)
class Obj:
    fields: Mapping[str, Rule]
    required: bool = False


@dataclass(frozen=True)
class Arr:
    items: Rule
    required: bool = False
    min_items: int = 0
    max_items: int | None = None


@dataclass(frozen=True)
class Free:
    """An object whose members the sender names (``additionalProperties``): each value as
    ``values`` says, or any JSON value when it is None."""

    values: Rule | None = None
    required: bool = False
    #: Held to ``free_bounds`` (names, depth, size), as the connector holds such objects.
    bounded: bool = True


@dataclass(frozen=True)
class Forms:
    """A member that is a list (``array``) or an object (``map``), as the discriminated types
    of its owner give it one or the other (an order payment's ``callbackData``): the owner's
    member ``by`` picks the form (``takes``: its value to ``"array"`` or ``"map"``), as the
    live service's deserializer reads the member as its type's class has it, so the other
    form is refused as a whole (what is inside it is never read); each form checked as its
    rule says."""

    array: Arr
    map: Free
    required: bool = False
    by: str = "type"
    takes: tuple[tuple[str, str], ...] = ()


Rule = Str | Int | Num | Bool | Obj | Arr | Free | Forms


@dataclass
class _Walk:
    errors: Errors = field(default_factory=dict)

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def _java_length(text: str) -> int:
    # The live service measures strings in UTF-16 code units, so an emoji counts twice; a lone
    # surrogate (a JSON "\ud800" escape) is one unit and must not fail the encoding.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check(rule: Rule, value: Any, path: str, walk: _Walk) -> None:
    if isinstance(rule, Str):
        _check_str(rule, value, path, walk)
    elif isinstance(rule, Int):
        if isinstance(value, bool) or not isinstance(value, int):
            walk.add(path, "must be an integer")
        elif rule.minimum is not None and value < rule.minimum:
            walk.add(path, f"must be greater than or equal to {rule.minimum}")
        elif value > rule.maximum:
            walk.add(path, f"must be less than or equal to {rule.maximum}")
    elif isinstance(rule, Num):
        if isinstance(value, bool) or not isinstance(value, int | float):
            walk.add(path, "must be a number")
        elif rule.minimum is not None and value < rule.minimum:
            walk.add(path, f"must be greater than or equal to {rule.minimum:g}")
        elif rule.maximum is not None and value > rule.maximum:
            walk.add(path, f"must be less than or equal to {rule.maximum:g}")
    elif isinstance(rule, Bool):
        if not isinstance(value, bool):
            walk.add(path, "must be a boolean")
    elif isinstance(rule, Obj):
        _check_obj(rule, value, path, walk)
    elif isinstance(rule, Forms):
        _check_forms(rule, value, path, walk, {})
    elif isinstance(rule, Free):
        if not isinstance(value, dict):
            walk.add(path, "must be an object")
        else:
            if rule.values is not None:
                for key, item in value.items():
                    _check(rule.values, item, _join(path, key), walk)
            for where, message in free_problems(value, path) if rule.bounded else ():
                walk.add(where, message)
    else:
        if not isinstance(value, list):
            walk.add(path, "must be an array")
            return
        if len(value) < rule.min_items:
            walk.add(path, "must not be empty")
        if rule.max_items is not None and len(value) > rule.max_items:
            walk.add(path, f"size must be between {rule.min_items} and {rule.max_items}")
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if item is None:
                walk.add(item_path, "must not be null")
            else:
                _check(rule.items, item, item_path, walk)


def _check_str(rule: Str, value: Any, path: str, walk: _Walk) -> None:
    if not isinstance(value, str):
        walk.add(path, "must be a string")
        return
    length = _java_length(value)
    if length < rule.min_len or (rule.max_len is not None and length > rule.max_len):
        upper = rule.max_len if rule.max_len is not None else _INT32_MAX
        walk.add(path, f"size must be between {rule.min_len} and {upper}")
    if rule.not_blank and not value.strip():
        walk.add(path, "must not be blank")
    if rule.enum is not None and value not in rule.enum:
        walk.add(path, "must be one of: " + ", ".join(rule.enum))
    if rule.check is not None:
        problem = rule.check(value)
        if problem:
            walk.add(path, problem)


def _check_obj(rule: Obj, value: Any, path: str, walk: _Walk) -> None:
    if not isinstance(value, dict):
        walk.add(path, "must be an object")
        return
    for key in value:
        if key not in rule.fields:
            walk.add(_join(path, key), "unrecognized field")
    for key, sub in rule.fields.items():
        item = value.get(key)
        # A JSON null is the same as leaving the field out, as with the live service.
        if item is None:
            if sub.required:
                walk.add(_join(path, key), "must not be null")
            continue
        if isinstance(sub, Forms):
            _check_forms(sub, item, _join(path, key), walk, value)
        else:
            _check(sub, item, _join(path, key), walk)


def _check_forms(rule: Forms, value: Any, path: str, walk: _Walk, owner: dict[str, Any]) -> None:
    kind = owner.get(rule.by)
    form = dict(rule.takes).get(kind) if isinstance(kind, str) else None
    if form == "array" and not isinstance(value, list):
        walk.add(path, "must be an array")
    elif form == "map" and not isinstance(value, dict):
        walk.add(path, "must be an object")
    elif isinstance(value, list | dict):
        _check(rule.array if isinstance(value, list) else rule.map, value, path, walk)
    else:
        walk.add(path, "must be an array or an object")


def validate(rule: Obj, body: Any) -> Errors:
    """Problems with ``body`` by field path (``messages[0].destinations[0].to``); empty if none."""
    walk = _Walk()
    _check(rule, body, "", walk)
    return walk.errors
