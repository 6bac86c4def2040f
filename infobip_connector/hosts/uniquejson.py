"""Reading a person's JSON document so that no member is lost: each object names a member once.

JSON readers (orjson, the json module, a browser's ``JSON.parse``) keep only the last of two
members with one name, so ``{"text": "a", "text": "b"}`` would send ``b`` and say nothing. A
document given as input (the CLI's ``--input`` and ``--connection`` files, the editor's
requests) is read by :func:`loads_unique`, which refuses it instead, naming where.

The check costs one ``orjson.dumps`` and two byte counts on the usual path: every member has
one colon, and a text's colons are written back as they were read, so a member lost to a
repeated name is the only way the value written back can hold fewer colons than the text.
Only when the counts disagree, or the text spells a colon as an escape (``\u003a``, written
back as ``:``), is the document read again with the standard library, member by member, to
find the repeat and its path.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from ..errors import member_path
from ..safejson import JsonError, loads

#: A colon spelled as an escape: the quick count cannot be compared then.
_ESCAPED_COLONS = (b"\\u003a", b"\\u003A")


class _Members(dict[str, Any]):
    """An object read member by member; ``repeated`` names a member given twice, if any."""

    repeated: str | None = None


def _members(pairs: list[tuple[str, Any]]) -> _Members:
    found = _Members(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                found.repeated = name
                break
            seen.add(name)
    return found


def loads_unique(data: bytes | str) -> Any:
    """The JSON value in ``data``, as :func:`safejson.loads` reads it; :class:`JsonError`
    also when an object gives one member name twice, naming it and the object's path
    (``messages[0].destinations[1]``)."""
    value = loads(data)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    repeat = first_repeat(raw, value)
    if repeat is not None:
        path, name = repeat
        where = path or "the top level"
        raise JsonError(
            f"gives the member {json.dumps(name, ensure_ascii=False)} twice in one object "
            f"(at {where}): only the last would be read; remove or rename the other"
        )
    return value


def first_repeat(raw: bytes, value: Any) -> tuple[str, str] | None:
    """Where the JSON text ``raw``, which a reader made ``value`` of, first gives one member
    name twice in an object: the object's path (``""`` for the top level;
    ``params.input.messages[0]``, ``[2].params``) and the name; None when there is none."""
    found = repeats(raw, value)
    return found[0] if found else None


def repeats(raw: bytes, value: Any) -> list[tuple[str, str]]:
    """Each object of the JSON text ``raw`` (which a reader made ``value`` of) that gives one
    member name twice, in document order: its path and the first name it repeats. Empty
    in the usual case, told by counting colons: every member has one, and a text's colons
    are written back as they were read, so only a member lost to a repeated name (or a
    colon spelled as an escape) makes the value written back hold fewer."""
    if not any(escape in raw for escape in _ESCAPED_COLONS):
        written = raw.count(b":")
        if written == 0:
            return []  # no object with a member at all
        try:
            if written <= orjson.dumps(value).count(b":"):
                return []
        except (orjson.JSONEncodeError, TypeError):  # not what orjson made: look closer
            pass
    return _repeated(raw)


def _repeated(raw: bytes) -> list[tuple[str, str]]:
    """Where ``raw`` (strict JSON, read once already) names a member twice, in order."""
    try:
        document = json.loads(raw, object_pairs_hook=_members)
    except (ValueError, RecursionError):  # read by orjson already: only a deeper limit here
        return []
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, _Members):
            if node.repeated is not None:
                found.append((path, node.repeated))
            children = [(member_path(path, k), v) for k, v in node.items()]
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(f"{path}[{i}]", v) for i, v in enumerate(node)]))
    return found
