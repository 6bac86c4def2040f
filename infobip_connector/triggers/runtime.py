"""One trigger, ready to turn bodies into events: its module, its event type, its checks.

Built once per trigger (``component`` caches it). The trigger's module says what a result is
(``events_from_body``) and what makes two events the same (``event_key``); here each event is
shaped to the declared event type (undeclared fields dropped, a field of the wrong type
refused at its path: ``items.py``) and checked against the event schema, so every event
a trigger returns validates against ``component.event_schema(trigger)``.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from typing import Any, Protocol, cast

from ..definition.model import ComponentDefinition, Property, Trigger
from ..definition.schemas import DRAFT, property_schema
from ..errors import InputError
from ..runtime.validation import SchemaValidator
from .items import Batch, one_by_one, shape, split
from .results import refused


class TriggerModule(Protocol):
    """What ``executor`` names: a module of ``infobip_connector/triggers/``."""

    def events_from_body(self, body: Any) -> list[dict[str, Any]]: ...

    def event_key(self, event: dict[str, Any]) -> str: ...


class TriggerRuntime:
    """``trigger`` of ``definition`` with its module loaded and its event schema compiled."""

    def __init__(self, definition: ComponentDefinition, trigger: Trigger) -> None:
        self.definition = definition
        self.trigger = trigger
        self.module = cast(TriggerModule, importlib.import_module(trigger.executor))
        self.event = trigger.output.as_property()
        events = _body(self.event)
        schema = {"$schema": DRAFT, **property_schema(events, for_output=True)}
        self._validator = SchemaValidator(schema, events)
        # Infobip's batched body as the connector reads it (an XML body's types come from
        # here): ``{results: [event, ...]}``, each item also with the fields of another
        # format of the same webhook that the module maps onto the event's
        # (``OTHER_FORMAT_FIELDS``), so they are not dropped before the module sees them.
        other: list[Property] = list(getattr(self.module, "OTHER_FORMAT_FIELDS", ()))
        fields = [*(self.event.properties or []), *other]
        self.body = _body(replace(self.event, properties=fields)) if other else events

    @property
    def name(self) -> str:
        return self.trigger.name

    def events(self, body: Any) -> list[dict[str, Any]]:
        """One event per result of Infobip's ``body``, each of the declared event type.

        Raises InputError naming each problem by path (``results[3].messageId``).
        """
        batch = self.read(body)
        if batch.refused:
            problems = [problem for item in batch.refused for problem in item["errors"]]
            raise refused(problems, f"Not a {self.trigger.title} body")
        return batch.events

    def read(self, body: Any) -> Batch:
        """The events of the readable results of ``body``, and the unreadable ones refused
        one by one (``items.Batch``). Raises InputError only for a body that is not Infobip's
        batched body at all (not an object with a ``results`` list)."""
        try:
            modeled = list(enumerate(self.module.events_from_body(body)))
            problems: list[dict[str, str]] = []
        except InputError as exc:
            items = body.get("results") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise refused(exc.errors, f"Not a {self.trigger.title} body") from None
            # Read alone, each item is kept or refused on its own.
            modeled, problems = one_by_one(self.module.events_from_body, items)
        items = body["results"]
        indexes: list[int] = []
        events: list[dict[str, Any]] = []
        for index, item in modeled:
            event = shape(item, self.event, f"results[{index}]", problems)
            if event is not None:
                indexes.append(index)
                events.append(event)
        for problem in self._validator.errors({"results": events}):
            # The checked list holds only the shaped events: name each by its own index.
            where = str(problem.get("path", ""))
            head, _, rest = where.partition("]")
            if head.startswith("results[") and head[8:].isdigit():
                where = f"results[{indexes[int(head[8:])]}]{rest}"
            problems.append({**problem, "path": where})
        if not problems:
            return Batch(events, [], indexes)
        bad, refusals = split(items, problems)
        kept = [(i, event) for i, event in zip(indexes, events, strict=True) if i not in bad]
        return Batch([event for _, event in kept], refusals, [i for i, _ in kept])

    def key(self, event: dict[str, Any]) -> str:
        """The identity of ``event``: a repeat has the same key (the module's ``event_key``)."""
        return self.module.event_key(event)


def _body(item: Property) -> Property:
    """``{results: [item, ...]}``: Infobip's batched body."""
    return Property(
        name="body", type="OBJECT", properties=[Property(name="results", type="ARRAY", items=item)]
    )
