"""A request whose params are wrong gets an error naming each field by path, as every error here.

The SDK checks a request's params against the protocol's types and answers a mismatch with
-32602 and an empty ``data`` (it keeps pydantic's text, which quotes the client's input, off
the wire): a ``tools/call`` whose ``arguments`` is no object, or without ``name``, tells the
client nothing it could correct. :class:`ParamsErrors` is a server middleware that turns such
a mismatch into the same -32602 whose ``data`` is the connector's input error object
(``{"type": "input", "message", "details": {"errors": [{"path", "message"}]}}``), each path
from the message's root (``params.arguments``) and each message saying what is expected, in
words of its own (no input is quoted). :func:`invalid_params` builds that error for the
server's own refusals (an unknown tool or resource). Only the SDK's public types are used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import mcp_types as types
from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.shared.exceptions import MCPError
from pydantic import ValidationError

from ...errors import InputError

#: What a field must be, by pydantic's error type (the rest: :data:`_OTHER`).
_EXPECTED = {
    "missing": "is required",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "list_type": "must be an array",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "none_required": "must be null",
    "extra_forbidden": "is not a parameter of this method",
}
_OTHER = "is not valid here (see this method's params in the MCP specification)"
#: A union's branches come as one error per branch, each ending in the branch's name.
_TYPE_ERRORS = frozenset(
    t for t in _EXPECTED if t not in ("missing", "extra_forbidden", "none_required")
)
_NOT_INITIALIZED = (
    "is not answered before the session is initialized: send initialize, then "
    "notifications/initialized, first"
)


def invalid_params(errors: list[dict[str, str]], message: str | None = None) -> MCPError:
    """The -32602 error of ``errors`` (``[{"path", "message"}]``), its ``data`` the
    connector's input error object; ``message`` (default: each path and message) its text."""
    if message is None:
        message = "Invalid request parameters: " + "; ".join(
            f"{e['path']}: {e['message']}" for e in errors
        )
    error = InputError(errors, message)
    return MCPError(types.INVALID_PARAMS, error.message, data=error.to_dict()["error"])


#: More of what is wrong with a request's params than their types say (an unknown tool
#: name): ``(method, params)`` to ``[{"path", "message"}]``.
MoreErrors = Callable[[str, Any], list[dict[str, str]]]


class ParamsErrors(ServerMiddleware[Any]):
    """Server middleware: the SDK's params mismatch (and its refusal of a request before
    the handshake, the same empty -32602) becomes :func:`invalid_params`' error; ``more``
    adds, in the same answer, what the server's own checks find (every problem at once)."""

    def __init__(self, more: MoreErrors | None = None) -> None:
        self._more = more

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        try:
            return await call_next(ctx)
        except ValidationError as exc:
            errors = params_errors(exc.errors(include_input=False))
            if self._more is not None:
                named = {e["path"] for e in errors}
                more = self._more(ctx.method, ctx.params)
                errors += [e for e in more if e["path"] not in named]
            raise invalid_params(errors) from None
        except MCPError as exc:
            if exc.code != types.INVALID_PARAMS or exc.data != "":
                raise
            # The SDK's pre-initialize gate: the only empty -32602 it raises on its own.
            raise invalid_params([{"path": "method", "message": _NOT_INITIALIZED}]) from None


def params_errors(found: Sequence[Any]) -> list[dict[str, str]]:
    """``[{"path", "message"}]`` of pydantic's ``errors()`` of a request's params, in order.

    A loc starts at ``params`` (``("params", "arguments")``): the path is the loc joined as
    the connector's paths are (``params._meta.progressToken``, ``params.items[0]``). A union
    field fails once per branch, each loc ending in the branch's name: those become one
    error at the field, its message listing what each branch expects.
    """
    merged: dict[str, list[str]] = {}
    for error in found:
        loc = tuple(error.get("loc", ()))
        kind = str(error.get("type", ""))
        if _is_branch(loc, kind, found):
            loc = loc[:-1]
        expected = _EXPECTED.get(kind, _OTHER)
        wanted = merged.setdefault(_path(loc), [])
        if expected not in wanted:
            wanted.append(expected)
    return [{"path": path, "message": _either(wanted)} for path, wanted in merged.items()]


def _is_branch(loc: tuple[Any, ...], kind: str, found: Sequence[Any]) -> bool:
    """Whether ``loc`` ends in a union branch's name: a type error whose last part names a
    type (two members of one object, ``params.name`` and ``params.arguments``, are not
    branches) and whose loc but for it is shared by another such error."""
    if kind not in _TYPE_ERRORS or len(loc) < 2 or not _is_type_name(loc[-1]):
        return False
    return any(
        str(other.get("type")) in _TYPE_ERRORS
        and tuple(other.get("loc", ()))[:-1] == loc[:-1]
        and tuple(other.get("loc", ()))[-1:] != loc[-1:]
        and _is_type_name(tuple(other.get("loc", ()))[-1])
        for other in found
    )


def _is_type_name(part: Any) -> bool:
    """Whether a loc's part is how pydantic names a union branch: a builtin type (``str``,
    ``int``), a model (``Meta``) or a generic or validator (``dict[str,any]``,
    ``function-after[...]``); the protocol's members start lower case or with ``_``."""
    if not isinstance(part, str) or not part:
        return False
    return part in _BUILTINS or part[0].isupper() or "[" in part


_BUILTINS = frozenset({"str", "int", "float", "bool", "none", "bytes", "list", "dict"})


def _either(wanted: list[str]) -> str:
    if len(wanted) == 1:
        return wanted[0]
    # "must be a string" or "must be an integer" -> "must be a string or an integer"
    tails = [w.removeprefix("must be ") for w in wanted]
    if all(w.startswith("must be ") for w in wanted):
        return "must be " + " or ".join(tails)
    return "; or ".join(wanted)


def _path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path
