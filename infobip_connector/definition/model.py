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
from typing import Any, Literal, TypeVar

# The package's one path formatter, re-exported: the definition's walks name paths with it.
from ..errors import format_path as format_path
from .base import _EMPTY_LIST as _EMPTY_LIST
from .base import _Model as _Model
from .properties import (
    ControlType,
    Format,
    Location,
    Option,
    OptionsFrom,
    Presentation,
    Property,
    PropertyType,
    Rule,
    Suggestions,
)

# The connection option phoneNumberCheck: how strictly phone numbers are checked (phones.py).
PhoneCheck = Literal["valid", "possible"]
PHONE_CHECKS: tuple[PhoneCheck, ...] = ("valid", "possible")
# What an action does to the world (see ``request.Kind``): the retry policy, the error
# wording and the REJECTED warnings follow it. ``request.KINDS`` adds ``remove``, which
# only the connector's own requests use.
Kind = Literal["send", "read", "consume"]

_T = TypeVar("_T")


class DefinitionError(Exception):
    """``connector.yaml`` is broken; the message names the offending key."""


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


__all__ = [
    "PHONE_CHECKS",
    "Action",
    "Authorization",
    "ComponentDefinition",
    "Connection",
    "ConnectionTest",
    "ControlType",
    "DefinitionError",
    "Format",
    "HttpHeader",
    "Kind",
    "Location",
    "Option",
    "OptionsFrom",
    "Output",
    "PhoneCheck",
    "PollingSource",
    "Presentation",
    "Property",
    "PropertyType",
    "Rule",
    "Suggestions",
    "Trigger",
    "TriggerType",
    "WebhookContentType",
    "WebhookRegistration",
    "WebhookSource",
    "default_definition_path",
    "format_path",
    "load_definition",
    "meta_schema",
    "parse_definition",
    "walk",
]
