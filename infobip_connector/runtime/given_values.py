"""The values of objects with free members, kept exactly as given through the input pruning.

The pruning (``values.py``) knows no schema: it drops every empty member (``null``, ``""``,
``{}``, ``[]``) as a field nobody filled in. Inside a value whose members the person names
(an OBJECT with ``freeMembers``, a ONE_OF's form: a FLOW button's ``data``, an order
payment's ``callbackData``) no member is a form field: an empty value there is data, and
dropping it would change what the person sent without a word. So the value of such a
property, when it is given at all (not itself empty), is put back as the input holds it; the
schema and ``free_values`` then take each member Infobip's description allows as it is and
refuse the others at their own paths (``data.screen: must be an object, not null``).

A ``Guide`` is the part of an action's property tree that leads to such values: a dict from
member name (or ``ITEMS`` for a list's items) to the guide below, ``FREE`` at the values
themselves. Actions without one (every SMS action) have no guide and pay nothing.
"""

from __future__ import annotations

from typing import Any, Final

from ..definition.model import Property

#: The guide's key for the items of a list.
ITEMS: Final = object()
#: The guide's value at an object with free members (or a ONE_OF) itself.
FREE: Final = object()

Guide = dict[Any, Any]

# Guides by the id of the (immutable, long-lived) root property they were made from; the root
# is kept with its guide, so an id is never reused while its entry lives.
_GUIDES: dict[int, tuple[Property, Guide | None]] = {}


def guide_of(root: Property) -> Guide | None:
    """The guide to the free-member values below ``root``, None when it has none."""
    known = _GUIDES.get(id(root))
    if known is None or known[0] is not root:
        known = (root, _guide(root, 0))
        _GUIDES[id(root)] = known
    return known[1]


def _guide(prop: Property, depth: int) -> Guide | None:
    if depth > 64:  # a definition is a finite tree; this only stops a cycle built in code
        return None
    guide: Guide = {}
    if prop.type == "ARRAY" and prop.items is not None:
        below = FREE if prop.items.open_shape else _guide(prop.items, depth + 1)
        if below is not None:
            guide[ITEMS] = below
    for child in prop.properties or []:
        below = FREE if child.open_shape else _guide(child, depth + 1)
        if below is not None:
            guide[child.name] = below
    return guide or None


def keep_given(pruned: Any, given: Any, guide: Guide) -> None:
    """Put the free-member values of ``given`` (the input) back into ``pruned`` (its pruned
    copy, changed in place), each as a plain JSON copy of what was given.

    Only values the pruning kept a place for are put back: a free-member value that is itself
    empty is not given, as any other field (the pruning dropped it). Lists keep their items'
    places in a pruned copy, so an index names the same item in both.
    """
    if type(pruned) is dict and isinstance(given, dict):
        for name, below in guide.items():
            if name is ITEMS or name not in pruned or name not in given:
                continue
            if below is FREE:
                pruned[name] = plain_copy(given[name])
            else:
                keep_given(pruned[name], given[name], below)
    elif type(pruned) is list and isinstance(given, list | tuple):
        below = guide.get(ITEMS)
        if below is None:
            return
        for index, item in enumerate(pruned):
            if below is FREE:
                pruned[index] = plain_copy(given[index])
            else:
                keep_given(item, given[index], below)


def plain_copy(value: Any) -> Any:
    """``value`` as plain JSON types (an OrderedDict as a dict, a tuple as a list, a
    str-based enum as its text), nothing left out; ``value`` already passed the pruning's
    checks (JSON data, within the size and depth limits), so this cannot fail or go deep."""
    if isinstance(value, dict):
        return {str.__str__(key): plain_copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_copy(item) for item in value]
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value  # None
