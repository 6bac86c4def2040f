"""The trigger methods of ``serve``: ``eventSchema``, ``handleWebhook``, ``releaseWebhook``
and ``poll``.

``handleWebhook`` is the component's pure ``handle_webhook``: the engine serves the URL and
passes each call on as ``request`` (``method``, ``headers``, the body as text or as
``bodyBase64`` for bytes that are not UTF-8); the answer says what to reply to Infobip and
which events start workflows. The worker lives on between calls, so the component's
window of events already returned drops the repeats Infobip posts again. An answer with events
carries a ``release`` token: an engine that could not use them calls ``releaseWebhook`` with
it before answering Infobip 5xx, so Infobip's retry returns them again
(``WebhookAnswer.release``). ``poll`` runs the trigger's consume action and returns the
events and the state to pass to the next poll. It runs on the worker's loop
(``poll_async``), so a poll cut off by a stop is answered as its request stands:
``stopped`` only when nothing had left, otherwise ``outcome_unknown`` naming the trigger
(the items it took may be lost).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import secrets
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from ... import WebhookRequest, WebhookSettings, outcome
from ...errors import ConnectorError, OutcomeUnknownError, member_path
from .connections import ABSENT, Connections
from .protocol import invalid_members, invalid_params

if TYPE_CHECKING:
    from ... import WebhookAnswer
    from ...component import Component

Params = dict[str, Any]
_REQUEST_MEMBERS = ("method", "headers", "body", "bodyBase64")
#: Answers kept for ``releaseWebhook``: an engine releases right after its workflows failed to
#: start, so the newest few thousand are enough (each holds only its events' keys).
MAX_RELEASABLE = 4096


class TriggerMethods:
    """The trigger calls of one worker; ``members`` declares their params like ``Methods``."""

    members = {
        "eventSchema": {"trigger": "string"},
        # ``settings`` is required, checked with the trigger and the request (every bad
        # member named at once), so it is declared optional here.
        "handleWebhook": {"trigger": "string", "request": "object", "settings?": "object"},
        "releaseWebhook": {"release": "string"},
        "poll": {"trigger": "string", "state?": "any", "connection?": "object"},
    }

    def __init__(self, component: Component, connections: Connections) -> None:
        self._component = component
        self._connections = connections
        self._triggers = tuple(component.trigger_names)
        self._releasable: OrderedDict[str, WebhookAnswer] = OrderedDict()

    async def event_schema(self, params: Params) -> Any:
        return self._component.event_schema(self._check(params["trigger"]))

    async def handle_webhook(self, params: Params) -> Any:
        # Every bad member named at once: the trigger, the request's, and then the
        # settings' too (alone, the component's ConfigurationError names each of those).
        problems = [] if params["trigger"] in self._triggers else [self._unknown(params["trigger"])]
        request, problems = _request(params["request"], problems)
        if "settings" not in params:
            problems.append({"path": "settings", "message": "is required"})
        if problems:
            settings = params.get("settings")
            found = _settings_problems(settings) if settings is not None else []
            raise invalid_members(problems + found)
        answer = self._component.handle_webhook(params["trigger"], request, params["settings"])
        result = {
            "status": answer.status,
            "events": answer.events,
            "error": answer.error,
            "headers": answer.headers,
            "body": answer.http_body().decode("utf-8"),
            "refused": answer.refused,
        }
        if answer.keys:
            token = secrets.token_urlsafe(16)
            self._releasable[token] = answer
            while len(self._releasable) > MAX_RELEASABLE:
                self._releasable.popitem(last=False)
            result["release"] = token
        return result

    async def release_webhook(self, params: Params) -> Any:
        """Forget the events of the answer ``release`` names, so Infobip's retry returns them
        again; ``{"released": n}`` (the number of events). A token given twice, or too old to
        be kept (more than ``MAX_RELEASABLE`` answers since), is an invalid-params error."""
        answer = self._releasable.pop(params["release"], None)
        if answer is None:
            raise invalid_params(
                "release", "is not the release token of a recent handleWebhook answer"
            )
        answer.release()
        return {"released": len(answer.keys)}

    async def poll(self, params: Params) -> Any:
        trigger = self._check(params["trigger"])
        connection, transport = self._connections.for_request(params.get("connection", ABSENT))
        try:
            result = await self._component.poll_async(
                trigger, connection, params.get("state"), transport=transport
            )
        except OutcomeUnknownError as exc:
            exc.details = {**exc.details, "trigger": trigger}
            raise
        except asyncio.CancelledError as exc:
            unknown = getattr(exc, outcome.ATTRIBUTE, None)
            if isinstance(unknown, OutcomeUnknownError):
                unknown.details = {**unknown.details, "trigger": trigger}
            raise
        return result.to_json()

    def _check(self, trigger: str) -> str:
        if trigger not in self._triggers:
            raise invalid_members([self._unknown(trigger)])
        return trigger

    def _unknown(self, trigger: str) -> dict[str, str]:
        """The problem of an unknown ``trigger``, at ``trigger``."""
        shown = trigger if len(trigger) <= 64 else trigger[:64] + "…"
        why = f"unknown trigger {shown!r}; one of: {', '.join(self._triggers)}"
        return {"path": "trigger", "message": why}


def _request(
    request: dict[str, Any], problems: list[dict[str, str]]
) -> tuple[WebhookRequest, list[dict[str, str]]]:
    """The webhook call an engine received, from its JSON form, and ``problems`` with
    every member of it that is malformed added (with any problem, the request is a
    placeholder not to be used).

    The params' rule holds inside ``request`` too: a member that is ``null`` is not given,
    one of the wrong JSON type is invalid params. What the values hold (a method name,
    header names) is WebhookRequest's to check: its InputError names ``request.method`` or
    ``request.headers``.
    """
    found = list(problems)

    def bad(path: str, message: str) -> None:
        found.append({"path": path, "message": message})

    for name in request:
        if name not in _REQUEST_MEMBERS:
            shown = name if len(name) <= 64 else name[:64] + "…"
            bad(f"request.{shown}", f"is not a member of request ({', '.join(_REQUEST_MEMBERS)})")
    given = {name: value for name, value in request.items() if value is not None}
    if not isinstance(given.get("method", ""), str):
        bad("request.method", "must be a string")
    headers = given.get("headers", {})
    if not isinstance(headers, dict):
        bad("request.headers", "must be an object of header names to strings")
        headers = {}
    for name, value in headers.items():
        if not isinstance(value, str):
            shown = name if len(name) <= 64 else name[:64] + "…"
            bad(member_path("request.headers", shown), "must be a string (the header's value)")
    body: Any = ""
    if ("body" in given) == ("bodyBase64" in given):
        bad("request.body", "give the body as text (body) or bodyBase64")
    elif "bodyBase64" in given:
        encoded = given["bodyBase64"]
        try:
            if not isinstance(encoded, str):
                raise ValueError
            body = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error):
            bad("request.bodyBase64", "must be base64 text")
    elif isinstance(given["body"], str):
        body = given["body"]
    else:
        bad("request.body", "must be text (bytes: bodyBase64)")
    if found:  # not to be used: no check of what its values hold meanwhile
        return WebhookRequest("POST", {}, b""), found
    return WebhookRequest(given.get("method", "POST"), headers, body), found


def _settings_problems(settings: dict[str, Any]) -> list[dict[str, str]]:
    """What is wrong with the webhook ``settings``, each at its path under ``settings``."""
    try:
        WebhookSettings.from_values(settings)
    except ConnectorError as error:
        errors = error.details.get("errors", [])
        return [{"path": f"settings.{e['path']}", "message": e["message"]} for e in errors]
    return []
