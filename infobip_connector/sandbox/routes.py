"""The sandbox's route table: which handler answers which method and path pattern.

A route is ``(method, pattern, handler)``; a pattern is a path with ``{name}`` segments
(``/whatsapp/2/senders/{sender}/templates``) that match one non-empty path segment each. A
handler takes the account and a parsed ``Request`` and returns an ``Answer``; it never sees
bytes, authentication or faults, which ``Sandbox.handle`` deals with for every route alike.
Adding an endpoint is one handler and one row in ``table.ROUTES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote

if TYPE_CHECKING:
    from .core import Sandbox

_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Request:
    """One request as a handler sees it.

    ``path_params`` are the decoded ``{name}`` segments; ``query`` maps each parameter name to
    all its values in order (``?bulkId=a&bulkId=b``); ``headers`` keep the Authorization value
    out (it was checked before); ``body`` is the parsed JSON (``None`` without a body).
    """

    method: str
    path: str
    path_params: Mapping[str, str]
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: Any = None

    def first(self, name: str) -> str | None:
        """The first value of query parameter ``name``, or None when it is absent."""
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class Answer:
    """Status, JSON-able body, the outcome word kept in the request record, extra headers."""

    status: int
    body: Any
    outcome: str
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[["Sandbox", Request], Answer]


@dataclass(frozen=True)
class Route:
    """``method`` and ``pattern`` answered by ``handler``; ``body`` says whether a JSON object
    body is required (it is parsed, size- and type-checked before the handler runs)."""

    method: str
    pattern: str
    handler: Handler
    body: bool = False

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters when ``path`` fits the pattern, else None."""
        found = _compiled(self.pattern).fullmatch(path)
        if found is None:
            return None
        return {name: unquote(value) for name, value in found.groupdict().items()}


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _CACHE.get(pattern)
    if compiled is None:
        parts = _PARAMETER.split(pattern)
        # Even positions are literal text, odd ones parameter names.
        source = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^/]+)"
            for index, part in enumerate(parts)
        )
        compiled = _CACHE[pattern] = re.compile(source)
    return compiled


@dataclass(frozen=True)
class Match:
    """The outcome of routing: the route and its parameters, or the methods the path allows
    (empty when no route has the path: a 404; otherwise a 405)."""

    route: Route | None
    params: dict[str, str]
    allowed: tuple[str, ...] = ()


def resolve(routes: Sequence[Route], method: str, path: str) -> Match:
    """The route for ``method path``; literal routes are listed before patterned ones, and
    the first that fits wins."""
    allowed: list[str] = []
    for route in routes:
        params = route.match(path)
        if params is None:
            continue
        if route.method == method:
            return Match(route, params)
        if route.method not in allowed:
            allowed.append(route.method)
    return Match(None, {}, tuple(allowed))


def parse_query(query: str) -> dict[str, list[str]]:
    """Query parameters as a multi-dict; blank values are kept (``?bulkId=`` is ``[""]``)."""
    return parse_qs(query, keep_blank_values=True)
