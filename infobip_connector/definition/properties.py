"""A property of ``connector.yaml`` (an input, an output member, a connection value) and the
words it is declared with: types, controls, formats, named rules, presentation, location."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .base import _EMPTY_LIST, _Model
from .open_shapes import FORM_OF_VALUE, check_forms, check_free_members

# ONE_OF: a member that takes one of a few declared ``forms`` (a list or a map of texts).
PropertyType = Literal[
    "STRING", "INTEGER", "NUMBER", "BOOLEAN", "DATE_TIME", "ARRAY", "OBJECT", "ONE_OF"
]
ControlType = Literal[
    "TEXT",
    "TEXT_AREA",
    "SELECT",
    "MULTI_SELECT",
    "ARRAY_BUILDER",
    "OBJECT_BUILDER",
    "DATE_TIME",
    "INTEGER",
    "NUMBER",
    "URL",
    "PHONE",
    "EMAIL",
    # A JSON text field: the value of an OBJECT with free members (``freeMembers``) or of a
    # ONE_OF property (``forms``).
    "JSON",
]
Format = Literal["phone", "sms-sender", "http-url", "callback-url", "identifier", "digits"]
# Named checks (runtime/checks.py). On a property they get its value; on an action
# (``mncNeedsMcc``, ``sentSinceBeforeUntil``) they get all its inputs, for rules between them.
Rule = Literal[
    "deliveryTimeWindow",
    "sendAt",
    "previewUrlNeedsLink",
    "templateData",
    "templateHeader",
    "templateButton",
    "templateButtons",
    "orderPayment",
    "orderDetails",
    "orderDetailsPayment",
    "instant",
    "mncNeedsMcc",
    "sentSinceBeforeUntil",
    "noComma",
]
# How an editor presents an action's property: in the form ("essential") or folded into a
# collapsed "Additional fields" group ("additional"), as low-code editors do. The YAML keeps
# the component reference's order; this says what to show first.
Presentation = Literal["essential", "additional"]
# Named lists of suggested values an editor offers for a free-text field (the editor API
# serves them; the value is still checked by the field's own rules).
Suggestions = Literal["timeZones"]
# Where an action's input property goes in the request, as OpenAPI's parameter ``in``.
Location = Literal["body", "query", "path"]

_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "STRING": (str,),
    "DATE_TIME": (str,),
    "INTEGER": (int,),
    "NUMBER": (int, float),
    "BOOLEAN": (bool,),
}


@dataclass(frozen=True, kw_only=True)
class Option(_Model):
    label: str
    value: str | bool | int | float


@dataclass(frozen=True, kw_only=True)
class OptionsFrom(_Model):
    """Options taken from Infobip at edit time (``component.options``).

    ``function`` names an ``request.OptionsSource`` in the action's executor module;
    ``dependsOn`` lists the input paths (``[]`` for any index, e.g. ``messages[].from``)
    whose values it needs; the options are offered once they all have values.
    """

    function: str = field(metadata={"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"})
    dependsOn: list[str] = field(default_factory=list, metadata=_EMPTY_LIST)


@dataclass(frozen=True, kw_only=True)
class Property(_Model):
    """One property of a connection, an action's input, or an action's output."""

    name: str | None = field(default=None, metadata={"pattern": r"^[A-Za-z][A-Za-z0-9]*$"})
    label: str | None = None
    type: PropertyType
    controlType: ControlType | None = None
    description: str = ""
    required: bool = False
    default: Any = None
    placeholder: str | None = None
    example: str | None = None
    minLength: int | None = field(default=None, metadata={"ge": 0})
    maxLength: int | None = field(default=None, metadata={"ge": 0})
    minValue: float | None = None
    maxValue: float | None = None
    maxNumberPrecision: int | None = field(default=None, metadata={"ge": 0})
    minItems: int | None = field(default=None, metadata={"ge": 0})
    maxItems: int | None = field(default=None, metadata={"ge": 0})
    uniqueItems: bool = False
    options: list[Option] | None = None
    properties: list[Property] | None = None
    items: Property | None = None
    secret: bool = False
    advanced: bool = False
    format: Format | None = None
    generatedId: bool = False
    rules: list[Rule] = field(default_factory=list, metadata=_EMPTY_LIST)
    alsoAcceptsString: str | None = None
    presentation: Presentation | None = None
    suggestions: Suggestions | None = None
    multiline: bool = False
    # ``in`` is a Python keyword: the field is ``location`` in code, ``in`` in YAML.
    location: Location = field(default="body", metadata={"alias": "in"})
    # OpenAPI's ``explode`` for a query array: repeated pairs (true) or comma-joined.
    explode: bool = True
    optionsFrom: OptionsFrom | None = None
    # What the connector sends for a member Infobip requires when it is left empty (an
    # editor's empty list is pruned as "not given"); filled by runtime/checks.py.
    sentWhenEmpty: dict[str, Any] | list[Any] | None = None
    # An OBJECT whose members the person names (no ``properties``): any JSON value each, or
    # what ``values`` describes. Bounded by FREE_MAX_DEPTH and FREE_MAX_JSON_CHARS.
    freeMembers: bool = False
    values: Property | None = None
    # A ONE_OF property takes one of these (unnamed) forms, told apart by the value's JSON
    # type: at most one ARRAY of scalars and one OBJECT with free members. Bounded as free
    # members are (FREE_MAX_DEPTH, FREE_MAX_JSON_CHARS).
    forms: list[Property] | None = None

    def __post_init__(self) -> None:
        # An empty path value would change the path ("/senders//templates").
        filled = self.type == "INTEGER" or (self.type == "STRING" and (self.minLength or 0) >= 1)
        if self.location == "path" and not (self.required and filled):
            raise ValueError(
                "an 'in: path' property is a required STRING with minLength >= 1, or INTEGER"
            )
        if self.location == "query" and self.type == "OBJECT":
            raise ValueError("an 'in: query' property cannot be an OBJECT")
        if self.location == "query" and self.type == "DATE_TIME" and "instant" not in self.rules:
            # Infobip reads a date-time filter as an instant: it is sent with its offset.
            raise ValueError("an 'in: query' DATE_TIME property needs 'rules: [instant]'")
        if self.optionsFrom and self.options:
            raise ValueError("a property takes 'options' or 'optionsFrom', not both")
        if self.required and self.presentation == "additional":
            raise ValueError("a required property is 'essential'; it cannot be 'additional'")
        if self.suggestions and self.type != "STRING":
            raise ValueError("'suggestions' only belongs to STRING")
        check_free_members(self)
        check_forms(self)
        if self.type != "OBJECT" and self.properties is not None:
            raise ValueError(f"'properties' only belongs to OBJECT, not {self.type}")
        if self.type == "ARRAY" and self.items is None:
            raise ValueError("an ARRAY property needs 'items'")
        if self.type != "ARRAY" and self.items is not None:
            raise ValueError(f"'items' only belongs to ARRAY, not {self.type}")
        if self.alsoAcceptsString and self.type != "OBJECT":
            raise ValueError("'alsoAcceptsString' only belongs to OBJECT")
        if self.multiline and self.type != "STRING":
            raise ValueError("'multiline' only belongs to STRING")
        if self.format == "digits" and (self.type != "STRING" or self.maxLength is None):
            # The pattern counts the digits between minLength and maxLength.
            raise ValueError("'format: digits' belongs to a STRING with a maxLength")
        if self.sentWhenEmpty is not None:
            fits = dict if self.type == "OBJECT" else list if self.type == "ARRAY" else None
            if fits is None or not isinstance(self.sentWhenEmpty, fits) or self.required:
                raise ValueError(
                    "'sentWhenEmpty' belongs to an optional OBJECT (an object) or ARRAY (a list)"
                )
        expected = _VALUE_TYPES.get(self.type)
        for option in self.options or []:
            if expected is None or not _is_instance(option.value, expected):
                raise ValueError(f"option {option.value!r} does not fit type {self.type}")
        if self.default is not None and expected and not _is_instance(self.default, expected):
            raise ValueError(f"default {self.default!r} does not fit type {self.type}")
        names = [p.name for p in self.properties or []]
        if None in names:
            raise ValueError("every property of an OBJECT needs a 'name'")
        if len(set(names)) != len(names):
            raise ValueError("property names of an OBJECT must be unique")

    def form(self, value: Any) -> Property | None:
        """The form of this ONE_OF property that ``value`` takes (by its JSON type), or None
        when it takes none (or this is no ONE_OF)."""
        kind = FORM_OF_VALUE.get(type(value))
        return next((f for f in self.forms or [] if f.type == kind), None)

    @property
    def open_shape(self) -> bool:
        """Whether values of this property hold members or items the definition does not
        name one by one (``freeMembers`` or ``forms``): bounded by ``free_values``."""
        return self.freeMembers or self.forms is not None

    @property
    def option_values(self) -> list[Any]:
        return [o.value for o in self.options or []]

    def child(self, key: str | int) -> Property | None:
        """The property that describes ``value[key]`` of a value of this property."""
        if self.forms is not None:
            form = self.form([] if isinstance(key, int) else {})
            return form.child(key) if form is not None else None
        if isinstance(key, int):
            return self.items if self.type == "ARRAY" else None
        if self.freeMembers:
            return self.values
        for prop in self.properties or []:
            if prop.name == key:
                return prop
        return None


def _is_instance(value: Any, types: tuple[type, ...]) -> bool:
    # bool is an int in Python; keep BOOLEAN and INTEGER apart.
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)
