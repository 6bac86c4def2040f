"""What ``connector.yaml`` may declare for values whose members or items it does not name one
by one: an OBJECT with ``freeMembers`` (a flow's screen data, a map of custom parameters) and
a ONE_OF property taking one of a few ``forms`` (a list of texts or such a map, as Infobip's
description gives one member a different type per payment type).

The checks run from ``Property.__post_init__`` (so they are part of the meta-schema the
loader applies); each raises ValueError naming the key at fault.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Property

#: An OBJECT with ``freeMembers`` (screen data, a map of custom parameters) holds values the
#: definition does not spell out, so their shape is bounded here: members nested at most this
#: deep below it, and its compact JSON text (``json.dumps`` with ``,``/``:`` separators, no
#: ASCII escapes) at most this many characters. Infobip's description states neither; the
#: bounds keep a runaway value from reaching it and are far above a flow's first screen. A
#: ONE_OF's value is bounded alike, whichever form it takes.
FREE_MAX_DEPTH = 10
FREE_MAX_JSON_CHARS = 20_000
# The types a free OBJECT's ``values`` may be: one scalar each (a map of strings); the
# items of an ARRAY form of a ONE_OF property are of these types as well.
_FREE_VALUE_TYPES = ("STRING", "INTEGER", "NUMBER", "BOOLEAN")
#: What a form of a ONE_OF property may be, by the Python type of a value taking it: an ARRAY
#: of scalars or an OBJECT with free members, so a value's JSON type picks its one form.
FORM_OF_VALUE: dict[type, str] = {list: "ARRAY", dict: "OBJECT"}


def check_free_members(prop: Property) -> None:
    """An OBJECT has ``properties`` or ``freeMembers``; ``values`` is one scalar type, or an
    OBJECT with free members of any value."""
    if prop.freeMembers and (prop.type != "OBJECT" or prop.properties is not None):
        raise ValueError("'freeMembers' belongs to an OBJECT without 'properties'")
    if prop.type == "OBJECT" and not prop.properties and not prop.freeMembers:
        raise ValueError("an OBJECT property needs 'properties' (or 'freeMembers: true')")
    if prop.values is not None and not prop.freeMembers:
        raise ValueError("'values' belongs to an OBJECT with 'freeMembers: true'")
    nested = prop.values
    if nested is not None and nested.type == "OBJECT":
        # Infobip's ``additionalProperties: {type: object}`` (a FLOW button's data): each
        # member an object of any members; free_values checks them one level of types deep.
        if not nested.freeMembers or nested.values is not None:
            raise ValueError("'values' of type OBJECT has 'freeMembers: true' and no 'values'")
    elif nested is not None and nested.type not in _FREE_VALUE_TYPES:
        raise ValueError("'values' is one of " + ", ".join((*_FREE_VALUE_TYPES, "OBJECT")))
    if prop.freeMembers and prop.controlType not in (None, "JSON"):
        raise ValueError("an OBJECT with 'freeMembers' has 'controlType: JSON'")
    if prop.controlType == "JSON" and not (prop.freeMembers or prop.type == "ONE_OF"):
        raise ValueError(
            "'controlType: JSON' belongs to an OBJECT with 'freeMembers: true' or a ONE_OF"
        )
    if prop.freeMembers and (prop.alsoAcceptsString or prop.sentWhenEmpty is not None):
        raise ValueError(
            "an OBJECT with 'freeMembers' takes no 'alsoAcceptsString' or 'sentWhenEmpty'"
        )


def check_forms(prop: Property) -> None:
    """A ONE_OF has ``forms``: an ARRAY of scalars and/or an OBJECT with free members, each
    unnamed, with the limits of its own; the ONE_OF is a JSON field in the body."""
    if (prop.type == "ONE_OF") != (prop.forms is not None):
        raise ValueError("'forms' belongs to a ONE_OF property, and a ONE_OF needs 'forms'")
    if prop.forms is None:
        return
    kinds = [form.type for form in prop.forms]
    if len(kinds) < 2 or len(set(kinds)) != len(kinds):
        raise ValueError("a ONE_OF has at least two 'forms', each of its own type")
    for form in prop.forms:
        scalar_items = form.items is not None and form.items.type in _FREE_VALUE_TYPES
        if not (form.freeMembers or (form.type == "ARRAY" and scalar_items)):
            raise ValueError(
                "a form is an ARRAY of " + ", ".join(_FREE_VALUE_TYPES) + " items or an "
                "OBJECT with 'freeMembers: true'"
            )
        if form.name is not None or form.required or form.presentation is not None:
            raise ValueError("a form takes no 'name', 'required' or 'presentation'")
    if prop.controlType not in (None, "JSON"):
        raise ValueError("a ONE_OF property has 'controlType: JSON'")
    if prop.options or prop.default is not None or prop.rules or prop.location != "body":
        raise ValueError("a ONE_OF property takes no 'options', 'default', 'rules' or 'in'")
    bounds = (prop.minLength, prop.maxLength, prop.minItems, prop.maxItems, prop.minValue)
    if any(b is not None for b in (*bounds, prop.maxValue)) or prop.uniqueItems:
        raise ValueError("a ONE_OF's limits are its forms' (each form declares its own)")
