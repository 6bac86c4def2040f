"""Input hygiene before validation: drop what a person left empty, refuse what is too large.

Editors and engines send ``null``, ``""``, ``{}`` or ``[]`` for fields nobody
touched; Infobip must receive none of them, and a required field left blank
must be reported as missing rather than as a wrong type.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..definition.model import Property, format_path
from ..errors import InputError
from ..gcpause import paused_gc
from ..nonjson import Limits, locate
from ..redaction import snippet
from ..safejson import encodes_as_utf8
from .free_values import NAME_NOT_UNICODE, free_depth_problem
from .given_values import FREE, ITEMS, Guide, guide_of, keep_given
from .input_limits import INTEGER_BOUND
from .input_limits import MAX_DEPTH as MAX_DEPTH
from .input_limits import MAX_INTEGER_DIGITS as MAX_INTEGER_DIGITS
from .input_limits import MAX_TEXT_CHARS as MAX_TEXT_CHARS
from .input_limits import MAX_VALUES as MAX_VALUES
from .input_limits import PAUSE_FROM as PAUSE_FROM
from .plain_copy import plain_copy


class _Budget:
    __slots__ = ("chars", "dropped", "emptied", "floats", "limit", "paused", "shared", "values")

    def __init__(self, shared: list[list[Any]] | None = None) -> None:
        self.values = 0
        self.chars = 0
        # The count of values past which ``_counted`` looks: first where the collector is
        # paused, then MAX_VALUES.
        self.limit = PAUSE_FROM - 1
        # Whether this walk holds the collector's pause (``_pause``), left in prune_counted.
        self.paused = False
        # Lists whose items are the input's own dicts (``prune_counted``); None: copy all.
        self.shared = shared
        # An object whose members were all empty is kept as {} for validation, so that a
        # required member is reported at its own path (``content.text``, not ``content``).
        self.emptied = False
        # Whether any float was seen: only then may a whole number need turning into an int
        # (``whole_numbers``), so inputs without one skip that walk.
        self.floats = False
        # Whether any object member was dropped as empty: only then can a misspelled member
        # given empty have vanished (``empty_filters.unknown_empty_problems``).
        self.dropped = False


def _too_large(what: str) -> InputError:
    return InputError(
        [{"path": "", "message": f"input too large: {what}; split it into several executions"}]
    )


class _TooDeep(Exception):
    """Raised mid-walk; ``_locate_deep`` then names the place (splitting cannot help)."""


def prune(value: Any) -> Any:
    """A copy of ``value`` without empty object members, checked against the size limits.

    List items keep their places, even empty ones: an error must point at the index the
    person sees in their input, and an empty item is reported rather than dropped.
    """
    pruned, emptied, _ = prune_for_validation(value)
    return drop_emptied(pruned) if emptied else pruned


def prune_for_validation(value: Any) -> tuple[Any, bool, bool]:
    """``prune``, except that objects whose members were all empty stay as ``{}``.

    The first flag says whether there are any: once the values are valid, ``drop_emptied``
    removes them, so Infobip never receives an object nobody filled in. The second says
    whether any value is a float (see ``whole_numbers``).
    """
    pruned, emptied, floats, _, _ = prune_counted(value)
    return pruned, emptied, floats


def prune_counted(
    value: Any, root: Property | None = None, shared: list[list[Any]] | None = None
) -> tuple[Any, bool, bool, int, bool]:
    """``prune_for_validation``, how many values the input holds (its size, as the
    limit ``MAX_VALUES`` counts it), and whether any object member was dropped as empty.

    ``root``: the property ``value`` is an input of, so that nesting beyond ``MAX_DEPTH``
    inside an object with free members is told as that object's own depth limit, and that
    the values of such objects are kept as given (``given_values``: an empty member there
    is data, not a field left empty).

    ``shared``: when given, a list of ``SHARE_FROM`` items or more keeps those that are
    dicts of filled-in ASCII texts as the input's own objects, not copies (nothing in them
    is dropped), and is appended to ``shared``. Copying a bulk's recipients is a sixth of
    a 100,000-destination send; whoever writes into such a list's items must copy them
    first (``checks`` does, see ``ActionChecks.apply``), as the input is the caller's.

    The walk pauses the cycle collector (``gcpause``) from ``PAUSE_FROM`` values or a list
    of ``SHARE_FROM`` items on, and resumes it before returning or raising; a smaller
    input is pruned with it running. A small input with nothing to prune is copied by
    ``plain_copy`` instead of the walk, to the same result.
    """
    plain = plain_copy(value)
    if plain is not None:
        return _kept(plain[0], value, root), False, False, plain[1], False
    budget = _Budget(shared)
    try:
        try:
            pruned = _prune(value, budget, 0)
        except _NotJson:
            # Looked for again from the start, paused: the walk may have stopped before
            # counting what it had passed (an object's texts count once it is done), and the
            # search allocates for every member of a large input.
            if not budget.paused:
                _pause(budget)
            raise InputError([_locate_non_json(value)]) from None
        except _TooDeep:
            raise InputError([_locate_deep(value, root)]) from None
        kept = _kept(pruned, value, root)
    finally:
        if budget.paused:
            paused_gc.__exit__()
    return kept, budget.emptied, budget.floats, budget.values, budget.dropped


def _kept(pruned: Any, value: Any, root: Property | None) -> Any:
    """``pruned`` with the free-member values of ``value`` put back as given (``keep_given``)."""
    guide = guide_of(root) if root is not None else None
    if guide is not None:
        keep_given(pruned, value, guide)
    return pruned


def drop_emptied(value: Any, guide: Guide | None = None) -> Any:
    """``value`` without object members that are ``{}`` (nested ones first), except inside
    the free-member values ``guide`` leads to (``given_values.guide_of``): kept as given."""
    if type(value) is dict:
        out: dict[str, Any] = {}
        for key, item in value.items():
            below = guide.get(key) if guide is not None else None
            if below is FREE:
                out[key] = item
                continue
            kept = drop_emptied(item, below)
            if not (type(kept) is dict and not kept):
                out[key] = kept
        return out
    if type(value) is list:
        below = guide.get(ITEMS) if guide is not None else None
        return value if below is FREE else [drop_emptied(item, below) for item in value]
    return value


class _NotJson(Exception):
    """Raised mid-walk; the slower path-tracking walk then names the place."""


def _prune(value: Any, budget: _Budget, depth: int) -> Any:
    # The counts are kept inline here and in _members (not through a call per value): a small
    # send passes here a handful of times, and a call each costs more than the sum.
    budget.values += 1
    if budget.values > budget.limit:
        _counted(budget)
    if depth > MAX_DEPTH:
        raise _TooDeep
    kind = type(value)
    if kind not in _PLAIN:
        value = _as_plain(value)
        kind = type(value)
    if kind is str:
        return _text(value, budget)
    if kind is dict:
        return _members(value, budget, depth)
    if kind is list or kind is tuple:
        inner = depth + 1
        if value and inner > MAX_DEPTH:
            raise _TooDeep
        if len(value) >= SHARE_FROM and not budget.paused:
            # A long list (a bulk's recipients) is counted only once walked: paused before.
            _pause(budget)
        return _items(value, budget, inner)
    if value is None or kind is bool:
        return value
    if kind is int and -INTEGER_BOUND < value < INTEGER_BOUND:
        return value
    if kind is float and math.isfinite(value):
        budget.floats = True
        return value
    raise _NotJson


#: From this many items, a list's filled-in text objects may be kept as they are
#: (``prune_counted``'s ``shared``).
SHARE_FROM = 64


def _items(value: list[Any] | tuple[Any, ...], budget: _Budget, depth: int) -> list[Any]:
    # A long list's filled-in text objects are kept as they are (prune_counted's ``shared``).
    share = budget.shared is not None and len(value) >= SHARE_FROM
    out = []
    # A bulk's recipients are flat objects of text: they are copied (or kept) here without a
    # call per recipient (a third of the cost); anything else goes through _members or _prune.
    counted = chars = 0
    dropped = False
    room, char_room = MAX_VALUES - budget.values, MAX_TEXT_CHARS - budget.chars
    for item in value:
        if type(item) is dict:
            flat: dict[str, Any] | None = None if share else {}
            size = 0
            for key, text in item.items():
                # (A key is not looked at beyond its type, per recipient: one with a lone
                # surrogate is named by the schema pass, or in a free object by its checks.)
                if type(key) is not str or type(text) is not str or not text.isascii():
                    break
                if text:
                    if flat is not None:
                        flat[key] = text
                    size += len(text)
                elif flat is None:
                    break  # an empty member to drop: a copy, made below
                else:
                    dropped = True
            else:
                counted += 1 + len(item)
                chars += size
                if counted > room or chars > char_room:
                    break  # over a limit: refused below, before copying any further
                out.append(item if flat is None else flat)
                continue
            out.append(_members(item, budget, depth))
            budget.values += 1
        else:
            out.append(_prune(item, budget, depth))
        room, char_room = MAX_VALUES - budget.values, MAX_TEXT_CHARS - budget.chars
    budget.values += counted
    budget.chars += chars
    if budget.values > budget.limit or budget.chars > MAX_TEXT_CHARS:
        _counted(budget)
    if dropped:
        budget.dropped = True
    if share:
        assert budget.shared is not None
        budget.shared.append(out)
    return out


def _members(value: dict[Any, Any], budget: _Budget, depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    texts = chars = 0
    dropped = False
    for key, item in value.items():
        if type(key) is not str or (not key.isascii() and not encodes_as_utf8(key)):
            raise _NotJson
        # Text is by far the most common leaf; checking it here rather than in a call of
        # its own halves the cost of a bulk's recipients.
        if type(item) is str:
            texts += 1
            if item:
                chars += len(item)
                if not item.isascii() and not encodes_as_utf8(item):
                    raise _NotJson
                out[key] = item
            else:
                dropped = True
            continue
        kept = _prune(item, budget, depth + 1)
        if kept or (kept is not None and type(kept) not in _SIZED):  # not empty
            out[key] = kept
        elif type(kept) is dict and item:
            out[key] = kept
            budget.emptied = True
        else:
            dropped = True
    if dropped:
        budget.dropped = True
    budget.values += texts
    budget.chars += chars
    if budget.values > budget.limit or budget.chars > MAX_TEXT_CHARS:
        _counted(budget)
    return out


# The kinds of plain value (after _as_plain) that are empty when falsy: "", {} and [].
_SIZED = frozenset({str, dict, list})


_PLAIN = {str, dict, list, tuple, int, float, bool, type(None)}


def _as_plain(value: Any) -> Any:
    """Subclasses of JSON's types (an OrderedDict, a str-based enum) as the plain type."""
    if isinstance(value, str):
        return str.__str__(value)  # the text itself, whatever __str__ the subclass has
    converters: tuple[tuple[type, Any], ...] = (
        (bool, bool),
        (int, int),
        (float, float),
        (dict, dict),
        (list, list),
        (tuple, list),
    )
    for base, convert in converters:
        if isinstance(value, base):
            return convert(value)
    raise _NotJson


def _text(value: str, budget: _Budget) -> str:
    _count_chars(budget, len(value))
    if not value.isascii() and not encodes_as_utf8(value):
        raise _NotJson
    return value


def _pause(budget: _Budget) -> None:
    """Pause the collector for the rest of this walk (``prune_counted`` resumes it)."""
    paused_gc.__enter__()
    budget.paused = True
    budget.limit = MAX_VALUES


def _counted(budget: _Budget) -> None:
    """The walk is past ``budget.limit`` values or MAX_TEXT_CHARS characters: pause the
    collector from PAUSE_FROM values on; raise past MAX_VALUES (first) or MAX_TEXT_CHARS."""
    if not budget.paused and budget.values >= PAUSE_FROM:
        _pause(budget)
    if budget.values > MAX_VALUES:
        raise _too_large(f"more than {MAX_VALUES:,} values")
    _count_chars(budget, 0)


def _count_chars(budget: _Budget, chars: int) -> None:
    budget.chars += chars
    if budget.chars > MAX_TEXT_CHARS:
        raise _too_large(f"more than {MAX_TEXT_CHARS:,} characters of text")


def _show(value: Any) -> str:
    # Masked before it is cut: a cut key would no longer be recognised.
    return snippet(json.dumps(value, ensure_ascii=True, default=repr), 60)


#: What input values may hold: a bounded integer, a finite number, any nesting (the pruning
#: walk bounds that on its own).
_INPUT = Limits(integers=(1 - INTEGER_BOUND, INTEGER_BOUND - 1))


def _locate_non_json(value: Any) -> dict[str, str]:
    found = locate(value, _INPUT)
    if found is None:
        return {"path": "", "message": "is not JSON data"}
    if found.kind == "key":  # the key is quoted: the other kinds' values may not print
        return {
            "path": found.path,
            "message": f"object keys must be text, not {_show(found.value)}",
        }
    if found.kind == "type":
        return {"path": found.path, "message": f"{type(found.value).__name__} is not JSON data"}
    if found.kind == "name":
        return {"path": found.path, "message": NAME_NOT_UNICODE}
    messages = {
        "surrogate": "is not valid Unicode text (lone surrogate)",
        "integer": f"is a number of more than {MAX_INTEGER_DIGITS} digits, which no field takes",
        "float": "must be a finite number (NaN and Infinity are not JSON)",
    }
    return {"path": found.path, "message": messages[found.kind]}


def _locate_deep(value: Any, root: Property | None) -> dict[str, str]:
    """The first value nested deeper than ``MAX_DEPTH``, told as the limit that applies."""
    parts = _first_deep(value, (), 0)
    if parts is None:  # not expected: the pruning walk found one
        return {"path": "", "message": _DEEP_SAID}
    free = free_depth_problem(root, parts) if root is not None else None
    if free is not None:
        return {"path": format_path(free[0]), "message": free[1]}
    return {"path": format_path(parts), "message": _DEEP_SAID}


_DEEP_SAID = f"is nested deeper than {MAX_DEPTH} levels; no input goes that deep"


def _first_deep(
    value: Any, parts: tuple[str | int, ...], depth: int
) -> tuple[str | int, ...] | None:
    """Where ``_prune`` stopped for depth: the first value (in document order) that it
    refuses as nested deeper than ``MAX_DEPTH``. Recursive, but never past that depth."""
    if isinstance(value, str):
        return None
    if depth > MAX_DEPTH:
        return parts
    if isinstance(value, dict):
        for key, item in value.items():
            # A text member is copied without a depth check (_members); any other is not.
            found = None if isinstance(item, str) else _first_deep(item, (*parts, key), depth + 1)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        if value and depth + 1 > MAX_DEPTH:  # _prune refuses the items, text ones too
            return (*parts, 0)
        for index, item in enumerate(value):
            found = _first_deep(item, (*parts, index), depth + 1)
            if found is not None:
                return found
    return None
