"""The editor's only contact with the connector: definition, validation and execution.

Everything the page shows comes from the same public API the CLI and the engines use, so
the editor cannot drift from the runtime (same schema, same messages, same errors).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from typing import Any

import httpx

from infobip_connector import component
from infobip_connector.errors import ConnectorError, InputError
from infobip_connector.hosts.editor.suggestions import suggestion_lists

# Base URL the sandbox transport answers for; the key never leaves the process. The key is
# registered for masking like any other, so it is random: a plain word would be masked in
# every later log, error and output of the process (a messageId "sandbox" shown as ***).
SANDBOX_CONNECTION = {
    "token": f"editor-sandbox-{secrets.token_hex(8)}",
    "baseUrl": "https://api.infobip.com",
}

_STATUS_BY_TYPE = {"input": 422, "configuration": 422}


class RequestError(Exception):
    """The editor request itself is malformed (not the action's inputs)."""


class EditorBackend:
    """Answers the page's API calls; one per server, holding its sandbox."""

    def __init__(self) -> None:
        self._sandbox_lock = threading.Lock()
        self._sandbox_transport: httpx.BaseTransport | None = None

    def definition(self) -> dict[str, Any]:
        # The lists that `suggestions:` names travel with the definition (one request).
        return {**component.definition_json(), "suggestions": suggestion_lists()}

    def validate(self, action: Any, inputs: Any) -> dict[str, Any]:
        name = self._action(action)
        try:
            values = component.validate_input(name, inputs)
        except InputError as exc:
            return {"ok": False, "errors": list(exc.errors)}
        return {"ok": True, "values": values}

    def run(
        self, action: Any, inputs: Any, connection: Any, sandbox: Any
    ) -> tuple[int, dict[str, Any]]:
        """Execute the action; returns the HTTP status and a JSON body without the token."""
        name = self._action(action)
        return self._answer(
            connection,
            sandbox,
            lambda conn, transport: {
                "output": component.execute(name, inputs, conn, transport=transport)
            },
        )

    def options(
        self, action: Any, prop: Any, inputs: Any, connection: Any, sandbox: Any
    ) -> tuple[int, dict[str, Any]]:
        """A property's choices from Infobip (``component.options``), as ``{"options": [...]}``.

        Asked for while a person edits; mistakes come back as the typed error, like a run's.
        """
        name = self._action(action)
        return self._answer(
            connection,
            sandbox,
            lambda conn, transport: {
                "options": component.options(name, prop, inputs, conn, transport=transport)
            },
        )

    def _answer(
        self,
        connection: Any,
        sandbox: Any,
        call: Callable[[Any, httpx.BaseTransport | None], dict[str, Any]],
    ) -> tuple[int, dict[str, Any]]:
        """``call(connection, transport)`` against the sandbox or Infobip, as (status, body).

        Every answer, errors included, has the token masked.
        """
        if not isinstance(sandbox, bool):
            raise RequestError("'sandbox' must be true or false")
        if not sandbox and not isinstance(connection, dict):
            raise RequestError("'connection' must be an object when not using the sandbox")
        token = "" if sandbox else connection.get("token")
        token = token if isinstance(token, str) else ""
        try:
            if sandbox:
                answer = call(dict(SANDBOX_CONNECTION), self._sandbox())
            else:
                answer = call(connection, None)
        except ConnectorError as exc:
            return _STATUS_BY_TYPE.get(exc.type, 502), scrub(exc.to_dict(), token)
        except Exception as exc:  # a bug must reach the page as an answer, not a hung request
            error = {"type": "internal", "message": f"{type(exc).__name__}: {exc}", "details": {}}
            return 500, scrub({"error": error}, token)
        return 200, scrub(answer, token)

    def _sandbox(self) -> httpx.BaseTransport:
        with self._sandbox_lock:
            # Created on first use: the emulator is only needed once someone runs or asks.
            if self._sandbox_transport is None:
                from infobip_connector.sandbox import Sandbox

                self._sandbox_transport = Sandbox().transport()
            return self._sandbox_transport

    @staticmethod
    def _action(action: Any) -> str:
        if not isinstance(action, str) or action not in component.action_names:
            known = ", ".join(component.action_names)
            raise RequestError(f"unknown action {action!r}; this component has: {known}")
        return action


def scrub(value: Any, secret: str) -> Any:
    """``value`` with every occurrence of ``secret`` masked, however deep it is."""
    if not secret:
        return value
    if isinstance(value, str):
        return value.replace(secret, "[redacted]")
    if isinstance(value, dict):
        return {scrub(k, secret): scrub(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(item, secret) for item in value]
    return value
