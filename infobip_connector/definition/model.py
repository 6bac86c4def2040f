"""Typed model of ``connector.yaml`` and its loader.

The classes are frozen stdlib dataclasses, so reading a definition needs neither pydantic
nor YAML: the packaged, unchanged ``connector.yaml`` is read from its checked copy
(``compiled.py``). pydantic validates these same classes (``checked.py``): their fields,
field constraints (``metadata``) and ``__post_init__`` checks are the meta-schema, and
``schemas/connector.meta.schema.json`` is derived from them, so engines in other languages
can check a definition with the same rules the loader applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

# The package's one path formatter, re-exported: the definition's walks name paths with it.
from ..errors import format_path as format_path
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
# The connection option phoneNumberCheck: how strictly phone numbers are checked (phones.py).
PhoneCheck = Literal["valid", "possible"]
PHONE_CHECKS: tuple[PhoneCheck, ...] = ("valid", "possible")
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
# What an action does to the world (see ``request.Kind``): the retry policy, the error
# wording and the REJECTED warnings follow it. ``request.KINDS`` adds ``remove``, which
# only the connector's own requests use.
Kind = Literal["send", "read", "consume"]

_T = TypeVar("_T")

_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "STRING": (str,),
    "DATE_TIME": (str,),
    "INTEGER": (int,),
    "NUMBER": (int, float),
    "BOOLEAN": (bool,),
}


class DefinitionError(Exception):
    """``connector.yaml`` is broken; the message names the offending key."""


class _Model:
    """Base of the definition's classes: frozen dataclasses whose fields are given by name
    (``kw_only``: a required field may follow optional ones, in the YAML's order)."""

    # What pydantic reads (``checked.py``): unknown keys are errors, and ``in`` may be
    # given by its field name ``location`` too.
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "populate_by_name": True}


# Field constraints (``pattern``, ``ge``, ``alias``...) are in each field's ``metadata``:
# pydantic reads the keys there that are arguments of its ``Field``. A list that defaults
# to a fresh ``[]`` is shown with that default in the meta-schema.
_EMPTY_LIST: dict[str, Any] = {"json_schema_extra": {"default": []}}


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


@dataclass(frozen=True, kw_only=True)
class Output(_Model):
    type: Literal["OBJECT"]
    properties: list[Property]
    sample: dict[str, Any]

    def as_property(self) -> Property:
        return Property(name="output", type="OBJECT", properties=self.properties)


@dataclass(frozen=True, kw_only=True)
class Action(_Model):
    name: str = field(metadata={"pattern": r"^[a-z][A-Za-z0-9]*$"})
    title: str
    description: str
    kind: Kind
    # Whether every messageId the request carries must come back in the answer
    # (runtime/accounting.py): declared by actions that send messages with IDs.
    accountsMessages: bool = False
    executor: str = field(metadata={"pattern": r"^[A-Za-z_][\w.]*$"})
    # Checks between inputs (one input needs another, one time before another).
    rules: list[Rule] = field(default_factory=list, metadata=_EMPTY_LIST)
    properties: list[Property]
    output: Output

    def __post_init__(self) -> None:
        self._placed()
        self._presented()

    def _placed(self) -> None:
        # Only top-level inputs are parameters; nested ones always travel in the body.
        nested = [
            format_path(path)
            for path, prop in walk(self.as_property())
            if len(path) > 1 and prop.location != "body"
        ]
        if nested:
            raise ValueError(
                "only top-level properties may be 'in: query' or 'in: path': "
                + ", ".join(nested[:5])
            )
        if self.accountsMessages and self.kind != "send":
            raise ValueError("'accountsMessages' belongs to actions of kind 'send'")

    def _presented(self) -> None:
        # Every input is placed explicitly: a forgotten key would otherwise decide silently
        # whether a field is in sight or folded away.
        unplaced = [
            format_path(path)
            for path, prop in walk(self.as_property())
            if path and path[-1] != "*" and prop.presentation is None
        ]
        if unplaced:
            raise ValueError(
                "every input property needs 'presentation' (essential or additional); missing at "
                + ", ".join(unplaced[:5])
                + (f" and {len(unplaced) - 5} more" if len(unplaced) > 5 else "")
            )

    def as_property(self) -> Property:
        """The action's inputs seen as one OBJECT property, the root of every input path."""
        return Property(name="input", type="OBJECT", properties=self.properties, rules=self.rules)


@dataclass(frozen=True, kw_only=True)
class HttpHeader(_Model):
    name: str
    value: str = field(metadata={"pattern": r"\{token\}"})


@dataclass(frozen=True, kw_only=True)
class ConnectionTest(_Model):
    method: Literal["GET"]
    path: str = field(metadata={"pattern": r"^/"})


@dataclass(frozen=True, kw_only=True)
class Authorization(_Model):
    name: str
    title: str
    header: HttpHeader
    test: ConnectionTest
    properties: list[Property]


@dataclass(frozen=True, kw_only=True)
class Connection(_Model):
    version: int
    authorizations: list[Authorization] = field(metadata={"min_length": 1})


# How a trigger learns of its events: Infobip posts them (WEBHOOK) or the engine asks a
# pull endpoint for them (POLLING, through a consume action).
TriggerType = Literal["WEBHOOK", "POLLING"]
# The webhook bodies Infobip posts (its OpenAPI description lists these two).
WebhookContentType = Literal["application/json", "application/xml"]


@dataclass(frozen=True, kw_only=True)
class WebhookSource(_Model):
    """What Infobip posts: the webhook of its OpenAPI description, in these content types."""

    operation: str = field(metadata={"pattern": r"^[a-z][a-z0-9-]*$"})
    contentTypes: list[WebhookContentType] = field(metadata={"min_length": 1})


@dataclass(frozen=True, kw_only=True)
class WebhookRegistration(_Model):
    """The subscription of Infobip's Subscriptions API a webhook's events come from: its
    channel and events (https://infobip.com/docs/cpaas-x/subscriptions-management)."""

    channel: Literal["SMS", "WHATSAPP"]
    events: list[Literal["INBOUND_MESSAGE", "DELIVERY", "SEEN"]] = field(metadata={"min_length": 1})


@dataclass(frozen=True, kw_only=True)
class PollingSource(_Model):
    """The consume action a poll runs, and how many items one poll takes at most."""

    action: str
    limit: int = field(default=100, metadata={"ge": 1, "le": 1000})


@dataclass(frozen=True, kw_only=True)
class Trigger(_Model):
    """Something that starts a workflow: one event per item Infobip reports."""

    name: str = field(metadata={"pattern": r"^[a-z][A-Za-z0-9]*$"})
    title: str
    description: str
    types: list[TriggerType] = field(metadata={"min_length": 1, "max_length": 2})
    # The module with events_from_body / event_key (infobip_connector/triggers/).
    executor: str = field(metadata={"pattern": r"^[A-Za-z_][\w.]*$"})
    webhook: WebhookSource | None = None
    # How register_webhook asks Infobip to post to a URL (only with a webhook).
    registration: WebhookRegistration | None = None
    polling: PollingSource | None = None
    # One event, as the next step sees it (declared like an action's output).
    output: Output

    def __post_init__(self) -> None:
        if len(set(self.types)) != len(self.types):
            raise ValueError("'types' lists each of WEBHOOK and POLLING at most once")
        if ("WEBHOOK" in self.types) != (self.webhook is not None):
            raise ValueError("a trigger has a 'webhook' block exactly when 'types' has WEBHOOK")
        if ("POLLING" in self.types) != (self.polling is not None):
            raise ValueError("a trigger has a 'polling' block exactly when 'types' has POLLING")
        if self.registration is not None and self.webhook is None:
            raise ValueError("'registration' belongs to a trigger with a 'webhook' block")


@dataclass(frozen=True, kw_only=True)
class ComponentDefinition(_Model):
    name: str
    title: str
    description: str
    categories: list[str]
    version: int
    icon: str
    connection: Connection
    actions: list[Action] = field(metadata={"min_length": 1})
    triggers: list[Trigger] = field(default_factory=list, metadata=_EMPTY_LIST)

    def __post_init__(self) -> None:
        names = [a.name for a in self.actions]
        if len(set(names)) != len(names):
            raise ValueError("action names must be unique")
        triggers = [t.name for t in self.triggers]
        if len(set(triggers)) != len(triggers):
            raise ValueError("trigger names must be unique")
        for trigger in self.triggers:
            polled = trigger.polling and self.actions_by_name.get(trigger.polling.action)
            if trigger.polling and not (polled and polled.kind == "consume"):
                raise ValueError(
                    f"trigger {trigger.name} polls {trigger.polling.action!r}, "
                    "which is not an action of kind 'consume'"
                )

    @cached_property
    def actions_by_name(self) -> dict[str, Action]:
        return {a.name: a for a in self.actions}

    def action(self, name: Any) -> Action:
        """The action called ``name``; an InputError at path ``action`` listing the names.

        Engines pass the name on from a workflow definition, so a wrong one is input.
        """
        return _named("action", name, self.actions_by_name)

    @cached_property
    def triggers_by_name(self) -> dict[str, Trigger]:
        return {t.name: t for t in self.triggers}

    def trigger(self, name: Any) -> Trigger:
        """The trigger called ``name``; an InputError at path ``trigger`` listing the names."""
        return _named("trigger", name, self.triggers_by_name)

    @property
    def authorization(self) -> Authorization:
        return self.connection.authorizations[0]


def _named(what: str, name: Any, table: dict[str, _T]) -> _T:
    """``table[name]``, else an InputError at path ``what`` listing the names there are."""
    found = table.get(name) if isinstance(name, str) else None
    if found is None:
        from ..errors import InputError  # errors → redaction: not needed to read a definition

        known = ", ".join(table) or "(none)"
        shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "..."
        message = f"unknown {what} {shown}; expected one of: {known}"
        raise InputError([{"path": what, "message": message}])
    return found


def walk(
    prop: Property, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], Property]]:
    """Every property below ``prop`` with its path; ``"*"`` stands for any array index."""
    yield path, prop
    for child in prop.properties or []:
        assert child.name is not None
        yield from walk(child, (*path, child.name))
    if prop.items is not None:
        yield from walk(prop.items, (*path, "*"))


def default_definition_path() -> Path:
    return Path(str(resources.files("infobip_connector").joinpath("connector.yaml")))


def parse_definition(raw: Any, source: str = "connector.yaml") -> ComponentDefinition:
    """Check a definition's parsed YAML (pydantic, ``checked.py``); DefinitionError if broken."""
    from .checked import parse_definition as parse

    return parse(raw, source)


def load_definition(path: str | Path | None = None) -> ComponentDefinition:
    """Load and check a component definition (the packaged ``connector.yaml`` by default).

    The packaged file, unchanged since ``infobip-connector schemas`` checked it, is read from
    that checked copy; any other file, or an edited one, is parsed and checked now.
    Raises DefinitionError naming the file and, for a broken definition, the key at fault.
    """
    source = Path(path) if path is not None else default_definition_path()
    try:
        text = source.read_bytes()
    except OSError as exc:
        raise DefinitionError(f"cannot read {source}: {exc.strerror}") from None
    from .compiled import packaged_definition

    known = packaged_definition(text)
    if known is not None:
        return known
    from .checked import load_text

    return load_text(text, source.name)


def meta_schema() -> dict[str, Any]:
    """JSON Schema (Draft 2020-12) that ``connector.yaml`` must satisfy."""
    from .checked import meta_schema as derived

    return derived()
