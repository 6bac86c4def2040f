"""A request body as the bytes sent, or a typed error naming the part that cannot be sent.

``redaction.encode_carrying`` encodes in one pass with orjson, which refuses what strict JSON
cannot hold: nesting past its limit (254 levels), a value that is not JSON (a ``set``, a
``datetime``), an integer outside 64 bits, text with a lone surrogate, an object key that is
not text. Such a body can only come from a caller building requests itself (the inputs of
actions are pruned far shallower, ``runtime.values``); it still ends as an ``InputError``
naming the part by path, before anything is sent, never as a bare ``TypeError`` (an
``internal`` error). Only the refusal is walked, so the path costs nothing on a good body.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..nonjson import Limits, locate
from ..redaction import encode_carrying

#: Deepest nesting orjson writes (``orjson.dumps`` refuses the 255th level).
MAX_DEPTH = 254

_INT_RANGE = (-(2**63), 2**64 - 1)


def encode_body(body: Any) -> tuple[bytes, tuple[str, ...]]:
    """``(bytes, secrets carried)`` of ``body``; raises ``InputError`` if it cannot be sent.

    The error's path starts at ``body`` (``body.messages[0].destinations[2].to``); neither the
    path nor the message quotes a value, so a secret the body carries is not repeated.
    """
    try:
        return encode_carrying(body)
    except TypeError:  # orjson.JSONEncodeError, or what the subclass hook refuses
        path, problem = _refused(body)
        raise InputError(
            [{"path": path, "message": problem}],
            f"The request body cannot be sent as JSON, nothing was sent: {path}: {problem}",
        ) from None  # orjson's refusal names only a type; the path says more


#: What orjson writes: 64-bit integers (signed or not), NaN and Infinity (as null), nesting
#: to its limit.
_BODY = Limits(integers=_INT_RANGE, non_finite=True, max_depth=MAX_DEPTH, root="body")


def _refused(body: Any) -> tuple[str, str]:
    """The path of the first part of ``body`` orjson refuses, and what is wrong with it."""
    found = locate(body, _BODY)
    if found is None:
        # orjson counts levels its own way for subclasses (a dict subclass goes through a hook).
        return "body", f"nested deeper than orjson writes ({MAX_DEPTH} levels)"
    messages = {
        "surrogate": "text that is not valid UTF-8 (a lone surrogate)",
        "integer": "an integer outside the 64-bit range JSON numbers are sent in",
        "depth": f"nested deeper than {MAX_DEPTH} levels",
        "key": f"an object key that is not text ({type(found.value).__name__})",
        "name": "an object key that is not valid UTF-8 (a lone surrogate)",
        "type": f"a {type(found.value).__name__}, which is not a JSON value",
    }
    return found.path, messages[found.kind]
