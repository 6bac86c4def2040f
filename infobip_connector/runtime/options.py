"""Dynamic options: the choices of a property, asked of Infobip at edit time.

A property declares ``optionsFrom: {function, dependsOn}`` in ``connector.yaml``; the
function is a ``request.OptionsSource`` in the action's executor module. This module finds
the property from a path a person types, collects and checks the values it depends on,
builds the read request and checks the shaped options. Sending is the component's (one
transport), so this stays pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from types import ModuleType
from typing import Any

from ..definition.model import Action, Property, format_path
from ..definition.schemas import property_schema
from ..errors import InputError, OutcomeUnknownError
from ..request import InfobipRequest, NoSuchChoice, OptionsSource
from .choices import Options, checked_choices
from .phones import normalize_phone, normalize_sender
from .validation import SchemaValidator
from .values import prune

# Dependencies written as a phone number or an SMS sender, normalised as the checks do.
_NORMALISED = {"phone": normalize_phone, "sms-sender": normalize_sender}

_STEP = re.compile(r"([A-Za-z][A-Za-z0-9]*)|\[(\d*)\]|\.")
# A whole path: names joined by single dots, each name followed by any indices.
_PATH = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:\[\d*\])*(?:\.[A-Za-z][A-Za-z0-9]*(?:\[\d*\])*)*")


def parse_path(text: Any, field: str = "property") -> list[str | int | None]:
    """``messages[0].content.templateName`` → ``["messages", 0, "content", "templateName"]``.

    ``[]`` (any index) becomes ``None``. Raises InputError at ``field`` for anything else.
    """
    parts: list[str | int | None] = []
    pos = 0
    if isinstance(text, str) and len(text) <= 500 and _PATH.fullmatch(text):
        while pos < len(text):
            m = _STEP.match(text, pos)
            if m is None or m.end() == pos:
                break
            if m.group(1):
                parts.append(m.group(1))
            elif m.group(0) != ".":
                parts.append(int(m.group(2)) if m.group(2) else None)
            pos = m.end()
    if not parts or not isinstance(text, str) or pos != len(text):
        shown = repr(text)[:60]
        raise InputError(
            [{"path": field, "message": f"{shown} is not a property path such as a.b[0].c"}]
        )
    return parts


class OptionsRuntime:
    """The options of one property of one action."""

    def __init__(
        self,
        action: Action,
        executor: ModuleType,
        property_path: Any,
        actions: Sequence[Action] = (),
    ) -> None:
        """``actions``: every action of the component, named when ``property_path`` is not one
        with options from Infobip (so the message says where to look instead)."""
        self.action = action
        self.steps = parse_path(property_path)
        self.prop = _property_at(action.as_property(), self.steps, "property", property_path)
        if self.prop.optionsFrom is None:
            message = _without_options(self.prop, property_path, action, actions)
            raise InputError([{"path": "property", "message": message}])
        self.shown = format_path([0 if s is None else s for s in self.steps])
        source = getattr(executor, self.prop.optionsFrom.function, None)
        if not isinstance(source, OptionsSource):
            raise TypeError(
                f"{action.executor}.{self.prop.optionsFrom.function} is not an OptionsSource"
            )
        self.source = source

    def request(self, values: Any) -> InfobipRequest:
        """The read request for the options; InputError when a dependency is missing or bad."""
        if not isinstance(values, dict):
            raise InputError([{"path": "", "message": "the input must be an object of properties"}])
        values = prune(values) or {}
        assert self.prop.optionsFrom is not None
        found: dict[str, Any] = {}
        problems: list[dict[str, str]] = []
        for dep in self.prop.optionsFrom.dependsOn:
            steps = self._bind(parse_path(dep, "dependsOn"))
            where = format_path(steps)
            prop = _property_at(self.action.as_property(), steps, "dependsOn", dep)
            value, wrong = _value_at(values, steps)
            if wrong is not None:
                problems.append(wrong)
                continue
            if value is None:
                problems.append(
                    {"path": where, "message": f"is required for the options of {self.shown}"}
                )
                continue
            errors = SchemaValidator(property_schema(prop), prop).errors(value)
            for err in errors:
                problems.append({"path": where + err["path"], "message": err["message"]})
            if not errors and prop.format in _NORMALISED:
                # A number goes to Infobip in its digits-only form, as a run sends it; only
                # its length is checked here: Infobip knows which senders the account has.
                try:
                    value = _NORMALISED[prop.format](value, "possible")
                except ValueError as exc:
                    problems.append({"path": where, "message": str(exc)})
            found[dep] = value
        if problems:
            raise InputError(problems)
        return replace(self.source.build_request(found), kind="read")

    def shape(self, body: Any, request: InfobipRequest) -> Options:
        """Checked ``[{value, label}]``; an answer of another shape is ``OutcomeUnknownError``.

        Choices whose value the property's rules refuse are left out, and the list is cut
        at ``choices.MAX_OPTIONS``; the result says both (see ``choices.checked_choices``).

        An answer showing that a dependency names nothing (``NoSuchChoice``) is an InputError
        at that dependency's place in the input.
        """
        try:
            options = self.source.shape(body, request)
            ok = isinstance(options, list) and all(
                isinstance(o, dict)
                and set(o) == {"value", "label"}
                and all(isinstance(v, str) for v in o.values())
                for o in options
            )
        except NoSuchChoice as missing:
            where = format_path(self._bind(parse_path(missing.depends_on, "dependsOn")))
            raise InputError(
                [{"path": where, "message": missing.message}],
                f"Invalid input: {where}: {missing.message}",
            ) from None
        except Exception:  # an answer of an unexpected shape, met inside the shaper
            ok = False
        if not ok:
            raise OutcomeUnknownError(
                "Infobip's answer for the options does not have the expected shape. "
                "Reading changes nothing at Infobip, so it is safe to repeat.",
                {"property": self.shown},
            )
        return checked_choices(options, self.prop, self.shown)

    def _bind(self, steps: list[str | int | None]) -> list[str | int]:
        """A dependency's ``[]`` steps take the indices of the property's path, in order."""
        indices = iter([s if s is not None else 0 for s in self.steps if not isinstance(s, str)])
        bound: list[str | int] = []
        for step in steps:
            if isinstance(step, str):
                bound.append(step)
            else:
                inherited = next(indices, 0)
                bound.append(inherited if step is None else step)
        return bound


def _without_options(prop: Property, shown: Any, action: Action, actions: Sequence[Action]) -> str:
    """Why ``prop`` has no options to ask for, and which properties do."""
    if prop.options:
        values = ", ".join(str(o.value) for o in prop.options[:12])
        more = ", ..." if len(prop.options) > 12 else ""
        what = (
            f"{shown} does not ask Infobip for choices: its options are fixed in the "
            f"definition ({values}{more}), listed in the input schema's enum"
        )
    else:
        what = (
            f"{shown} has no options: it takes a value of its own (see its description), "
            "not a choice from Infobip"
        )
    here = dynamic_properties(action)
    if here:
        return f"{what}. Ask for the options of one of these of {action.name}: {', '.join(here)}"
    elsewhere = [f"{other.name} {path}" for other in actions for path in dynamic_properties(other)]
    if elsewhere:
        return (
            f"{what}. No property of {action.name} has options from Infobip; these of other "
            f"actions do: {', '.join(elsewhere)}"
        )
    return f"{what}. No property of {action.name} has options from Infobip"


def dynamic_properties(action: Action) -> list[str]:
    """The paths (``[]`` for any index) of an action's properties with ``optionsFrom``."""
    from ..definition.model import walk

    return [
        format_path(path).replace("[*]", "[]")
        for path, prop in walk(action.as_property())
        if prop.optionsFrom is not None
    ]


def _property_at(root: Property, steps: list[Any], field: str, shown: Any) -> Property:
    prop: Property | None = root
    for step in steps:
        if prop is None:
            break
        prop = (
            prop.items
            if prop.type == "ARRAY" and not isinstance(step, str)
            else (prop.child(step) if isinstance(step, str) else None)
        )
    if prop is None:
        raise InputError([{"path": field, "message": f"{shown} is not a property of the action"}])
    return prop


def _value_at(values: Any, steps: list[str | int]) -> tuple[Any, dict[str, str] | None]:
    """The value at ``steps`` (None: not given), or the problem of a value on the way that
    is not the list or object the path goes through (``messages`` given as an object)."""
    node = values
    for n, step in enumerate(steps):
        if node is None:
            return None, None
        if isinstance(step, str) and isinstance(node, dict):
            node = node.get(step)
        elif isinstance(step, int) and isinstance(node, list):
            node = node[step] if step < len(node) else None
        else:
            expected = "must be an object" if isinstance(step, str) else "must be a list"
            return None, {"path": format_path(steps[:n]), "message": expected}
    return node, None
