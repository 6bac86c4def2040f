"""Whether the response to an MCP-over-HTTP POST reached its end, or its client left first.

Over streamable HTTP a tool call's answer goes out on the response of the POST that carried
it (an event stream the SDK ends once the answer is on it). A client that gives up while a
send is in flight (a timeout, a closed tab) leaves that response: the send still ends (the
SDK does not cancel the call), and its answer is then dropped by the SDK without a word, so
the IDs and the execution key a retry needs would be known to nobody. Here each POST's
response is watched (:func:`answers_watched`, ASGI): it ended when its last body part was
sent, it is gone when the client disconnected first (``http.disconnect``), a write failed,
or the app returned without ending it. The watch travels in the request's ASGI scope, which
the SDK hands to the tool handler as ``ctx.request``; ``inflight.py`` logs a send or pull
whose response is gone, in ``serve``'s line, and keeps its key, as for a cancelled call.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from .httpguard import App, Receive, Scope, Send  # the ASGI shapes, defined once

#: Where a POST's scope carries its :class:`AnswerWatch`.
SCOPE_KEY = "infobip_connector.answer"


class AnswerWatch:
    """How one POST's response ended: reached its end, or gone (the client left first)."""

    def __init__(self) -> None:
        self._gone: bool | None = None  # None: not ended yet
        self._then: list[Callable[[bool], None]] = []

    def ended(self, gone: bool) -> None:
        """The response ended (``gone``: before its end reached the client); the first
        word counts, later ones change nothing."""
        if self._gone is not None:
            return
        self._gone = gone
        waiting, self._then = self._then, []
        for action in waiting:
            action(gone)

    def then(self, action: Callable[[bool], None]) -> None:
        """Run ``action(gone)`` once the response has ended (at once if it has)."""
        if self._gone is None:
            self._then.append(action)
        else:
            action(self._gone)


def watch_of(request: Any) -> AnswerWatch | None:
    """The watch of the HTTP request ``request`` (a Starlette ``Request``, the SDK's
    ``ctx.request``); None over stdio or for a request not watched."""
    scope = getattr(request, "scope", None)
    found = scope.get(SCOPE_KEY) if isinstance(scope, MutableMapping) else None
    return found if isinstance(found, AnswerWatch) else None


def answers_watched(app: App) -> App:
    """``app`` (ASGI) with each POST's response watched (an :class:`AnswerWatch` in its
    scope under :data:`SCOPE_KEY`)."""

    async def watched(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await app(scope, receive, send)
            return
        watch = AnswerWatch()

        async def receiving() -> MutableMapping[str, Any]:
            message = await receive()
            if message.get("type") == "http.disconnect":
                watch.ended(gone=True)
            return message

        async def sending(message: MutableMapping[str, Any]) -> None:
            await send(message)
            if message.get("type") == "http.response.body" and not message.get("more_body"):
                watch.ended(gone=False)

        try:
            await app({**scope, SCOPE_KEY: watch}, receiving, sending)
        finally:
            watch.ended(gone=True)  # returned (or failed) without ending its response

    return watched
