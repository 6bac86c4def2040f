"""The output check every send's answer passes first, made to notice numbers that lost digits.

A send's answer is read by orjson, which reads a whole number of 2^64 or more (or below
-2^63) as a float (``digits.py``). The declared output's schema alone would let such a float
through where a number is declared (JSON Schema counts ``1.8446744073709552e19`` as an
integer); where text is declared it already fails. This schema is the output's with every
number bounded strictly inside ±2^63, so such a float fails it too, in the same compiled
pass the output check makes anyway: an answer that passes is returned as it is, at no extra
cost; one that fails is read again with every digit before the output rule
(``shaping.py``) looks at it. A whole number that really is that large (2^63 to 2^64-1,
which orjson keeps) only takes the slower path, and passes the output schema there.
"""

from __future__ import annotations

import copy
from typing import Any

_BOUND = 2**63
_NUMERIC = {"integer", "number"}


def bounded(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` (a derived output schema) with each number strictly inside ±2^63."""
    copied = copy.deepcopy(schema)
    stack: list[Any] = [copied]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        kinds = node.get("type")
        # A member named ``type`` under ``properties`` holds a schema, not a type name.
        named = {kinds} if isinstance(kinds, str) else set(kinds) if isinstance(kinds, list) else ()
        if _NUMERIC.intersection(named):
            # Bounds apply to numbers only: a ["integer", "null"] type is unaffected for null.
            node.setdefault("exclusiveMaximum", _BOUND)
            node.setdefault("exclusiveMinimum", -_BOUND)
        for key, value in node.items():
            if key not in ("examples", "default", "const", "enum"):
                stack.append(value)
    return copied
