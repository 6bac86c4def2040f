"""The bounds the sandbox holds an object with free members to (a FLOW button's ``data``, a
PG_RAZORPAY payment's ``callbackData``), as the connector does before sending: no member
name blank or holding a control character at any depth, no text blank or holding a control
character but a tab or a line break, whole numbers within 64 bits (Java's ``long``), no
nesting deeper than ``MAX_DEPTH`` levels below the object, and at most ``MAX_JSON_UNITS``
UTF-16 code units of compact JSON. The sandbox shares no code
with the connector (it checks it), so these are its own, in its own words."""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 10
MAX_JSON_UNITS = 20_000
# Characters that show nothing: a name of only these names nobody.
_INVISIBLE = " \t\n\r\u00a0\u200b\u200c\u200d\u2060\ufeff\u2800\u3164\uffa0"
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LONG = (-(2**63), 2**63 - 1)


def free_problems(value: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """``(path, message)`` of each bound ``value`` (the free object at ``path``) breaks."""
    found: list[tuple[str, str]] = []
    _members(value, path, 1, found)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    units = len(text.encode("utf-16-le", "surrogatepass")) // 2
    if units > MAX_JSON_UNITS:
        found.append(
            (
                path,
                f"the sandbox takes at most {MAX_JSON_UNITS} characters (UTF-16 code units) "
                f"of compact JSON here, not {units}",
            )
        )
    return found


def _members(value: Any, path: str, depth: int, found: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        places = [(f"{path}.{name or chr(34) * 2}", name, item) for name, item in value.items()]
    elif isinstance(value, list):
        places = [(f"{path}[{index}]", None, item) for index, item in enumerate(value)]
    else:
        return
    for where, name, item in places:
        if name is not None and not name.strip(_INVISIBLE):
            found.append((where, "the sandbox refuses a member name that is empty or blank"))
        elif name is not None and _CONTROL_IN_NAME.search(name):
            found.append((where, "the sandbox refuses a control character in a member name"))
        if isinstance(item, str):
            _text(item, where, found)
        elif isinstance(item, int) and not isinstance(item, bool):
            if not _LONG[0] <= item <= _LONG[1]:
                found.append((where, "the sandbox takes whole numbers of at most 64 bits"))
        elif isinstance(item, dict | list) and item:
            if depth >= MAX_DEPTH:
                found.append((where, f"is nested deeper than {MAX_DEPTH} levels"))
            else:
                _members(item, where, depth + 1, found)


def _text(text: str, where: str, found: list[tuple[str, str]]) -> None:
    if not text.strip(_INVISIBLE):
        found.append((where, "the sandbox refuses a text that is empty or blank"))
    elif _CONTROL_IN_TEXT.search(text):
        found.append(
            (where, "the sandbox refuses a control character in a text (but a tab or a line break)")
        )
