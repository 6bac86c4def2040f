"""Where each input goes in the request: body, query or path, as ``connector.yaml`` says.

The executor builds the body (and may set path or query parameters itself, when a value
needs a wire form of its own); the parameters it leaves out are filled here from the
validated values of the properties declared ``in: query`` or ``in: path``, and those
properties are taken out of a dict body. A ``DATE_TIME`` query parameter (an instant: the
definition requires its ``instant`` rule, so its offset was checked) is written in the one
form Infobip's date-times take (``timeutil.infobip_datetime``), for every read and consume
action alike. Encoding (percent-escaping, joining the URL) is the transport's, once, for the
sync and async paths alike.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..definition.model import Action
from ..request import BODILESS, InfobipRequest, query_pairs, wire_scalar
from .timeutil import infobip_datetime, parse_instant


class Placement:
    """The top-level properties of one action that are query or path parameters."""

    def __init__(self, action: Action) -> None:
        self.kind = action.kind
        self.path = [p.name for p in action.properties if p.location == "path" and p.name]
        self.query = [
            (p.name, p.explode) for p in action.properties if p.location == "query" and p.name
        ]
        self.instants = frozenset(
            p.name
            for p in action.properties
            if p.location == "query" and p.type == "DATE_TIME" and p.name
        )
        self._moved = frozenset([*self.path, *(name for name, _ in self.query)])
        # Most actions (every send) declare no query or path property: for them a request
        # needs changing only when it lacks the action's kind or carries a body it may not.
        self._nothing_to_place = not self._moved

    def apply(self, request: InfobipRequest, values: dict[str, Any]) -> InfobipRequest:
        """``request`` with the action's kind, its parameters filled and its body cleaned.

        A parameter without a value (an optional filter left empty) is not sent. A body on
        a method that takes none is dropped.
        """
        if (
            self._nothing_to_place
            and request.kind == self.kind
            and (request.body is None or request.method.upper() not in BODILESS)
        ):
            return request  # rebuilding it would change nothing: no copy per send
        path_params = dict(request.path_params)
        for name in self.path:
            if name not in path_params and name in values:
                path_params[name] = wire_scalar(values[name])
        given = {name for name, _ in request.query}
        query = list(request.query)
        for name, explode in self.query:
            if name not in given and name in values:
                value = values[name]
                if name in self.instants:
                    value = infobip_datetime(parse_instant(value))
                query += query_pairs(name, value, explode=explode)
        body = request.body
        if isinstance(body, dict) and self._moved & body.keys():
            body = {k: v for k, v in body.items() if k not in self._moved}
        if request.method.upper() in BODILESS:
            body = None
        return replace(
            request, body=body, path_params=path_params, query=tuple(query), kind=self.kind
        )
