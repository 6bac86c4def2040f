"""What a tool's ``structuredContent`` may hold, and the ``outputSchema`` that says so.

An action's output is its declared output as the connector fits Infobip's answer to it
(``runtime/shaping.py``): a field of another type that does not convert is kept as Infobip
gave it, never dropped, so the output schema in ``schemas/`` does not hold for every output.
A client of the MCP SDK validates each result against the tool's ``outputSchema`` and throws
away one that does not match (with a consume, items Infobip will not hand out again), so a
tool declares the schema every output meets: the declared one in which a field that is not
required holds either its declared shape or a value of any other type (a required field
that is not usable makes the answer ``outcome_unknown`` instead).

The MCP SDK writes and reads results through pydantic, which refuses to write data nested
past about 255 levels and whose reader stops at about 200, where an answer may nest 1,024;
such a result would be lost as a bare protocol error (after a send: with its IDs). So a
value nested deeper than ``MAX_DEPTH`` levels of ``structuredContent`` is given there as its
JSON text; the text content of the result holds the whole output as JSON, nothing cut.

An error result has no ``structuredContent`` (``server.py``): the error object is no
output, and some clients check error results against ``outputSchema`` too.
"""

from __future__ import annotations

from typing import Any

import orjson

from ...safejson import nested_deeper_than
from .. import jsonout

#: Levels of ``structuredContent`` (itself the first) kept as JSON data; far deeper than
#: any declared field, and well inside what the SDK writes and reads with its envelope.
MAX_DEPTH = 100

#: The keywords that describe a field rather than constrain it: kept on the outer schema.
_ANNOTATIONS = ("title", "description", "examples")

#: ``_meta`` of a result whose ``structuredContent`` gives data nested too deep as text.
NESTED_META = "infobip-connector/nestedAsText"


def as_given_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (an action's derived output schema) with each field that is not required,
    and each item of a list, allowing a value of another type than declared: ``{"anyOf":
    [declared, {"not": {"type": declared type}}]}``, its description kept outside. The root
    stays as declared (an answer that is not an object is never an output), its members as
    this says. A new dict. Looser than the outputs in one place: a send's ``messages``
    items, where an item that is no object makes the answer ``outcome_unknown``."""
    return _shaped(schema)


def _shaped(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its members (and its items) each ``_member``."""
    shaped = dict(schema)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        required = set(schema.get("required", ()))
        shaped["properties"] = {
            name: _member(member, required=name in required) for name, member in properties.items()
        }
    items = schema.get("items")
    if isinstance(items, dict):
        shaped["items"] = _member(items, required=False)
    return shaped


def _member(schema: dict[str, Any], *, required: bool) -> dict[str, Any]:
    shaped = _shaped(schema)
    kind = schema.get("type")
    if required or kind is None:
        return shaped
    outer = {key: shaped.pop(key) for key in _ANNOTATIONS if key in shaped}
    return {**outer, "anyOf": [shaped, {"not": {"type": kind}}]}


def structured_content(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a result's JSON object) as ``structuredContent``: itself unless it nests
    deeper than ``MAX_DEPTH`` levels; else a copy with each object or list that would lie
    deeper than that replaced by its compact JSON text (``jsonout``)."""
    if _within(data) or not nested_deeper_than(data, MAX_DEPTH):
        return data
    cut: dict[str, Any] = _cut(data, 1)
    return cut


def _nested(levels: int, value: Any) -> Any:
    for _ in range(levels):
        value = [value]
    return value


def _written(value: Any) -> bool:
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        return False
    return True


#: The most levels orjson writes: it refuses a 255th, counting as ``nested_deeper_than``
#: does. Checked once: if a release of orjson counted otherwise, every result is walked.
_ORJSON_LEVELS = 254
_ORJSON_AS_COUNTED = _written(_nested(_ORJSON_LEVELS - 1, [])) and not _written(
    _nested(_ORJSON_LEVELS, [])
)


def _within(data: dict[str, Any]) -> bool:
    """Whether ``data`` surely nests at most ``MAX_DEPTH`` levels: orjson writes it inside
    the levels that leave it ``MAX_DEPTH`` of its own (in C, about seven times as fast as
    the walk on a 100,000-message answer). False also for what orjson does not write
    (an integer past 64 bits): the walk then decides."""
    return _ORJSON_AS_COUNTED and _written(_nested(_ORJSON_LEVELS - MAX_DEPTH, data))


def _cut(value: Any, level: int) -> Any:
    """``value``, at ``level`` (``structuredContent`` is 1), with the objects and lists
    below ``MAX_DEPTH`` as text; recursion stays within ``MAX_DEPTH`` calls."""
    if isinstance(value, dict):
        if level > MAX_DEPTH:
            return jsonout.line(value)
        return {key: _cut(item, level + 1) for key, item in value.items()}
    if isinstance(value, list):
        if level > MAX_DEPTH:
            return jsonout.line(value)
        return [_cut(item, level + 1) for item in value]
    return value
