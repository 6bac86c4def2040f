"""The editor's only contact with the connector: definition, validation and execution.

Everything the page shows comes from the same public API the CLI and the engines use, so
the editor cannot drift from the runtime (same schema, same messages, same errors).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from infobip_connector import component
from infobip_connector.errors import ConnectorError, InputError
from infobip_connector.hosts.editor.suggestions import suggestion_lists
from infobip_connector.redaction import mask_key_in_data, named_ids, sent_ids

if TYPE_CHECKING:
    from .triggers import Simulator

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
        self._account: tuple[httpx.BaseTransport, Simulator] | None = None

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
            keep=named_ids(inputs),
        )

    def options(
        self, action: Any, prop: Any, inputs: Any, connection: Any, sandbox: Any
    ) -> tuple[int, dict[str, Any]]:
        """A property's choices from Infobip (``component.options``), as ``{"options": [...],
        "truncated", "dropped"}`` (the list was cut at 1,000; how many were left out).

        Asked for while a person edits; mistakes come back as the typed error, like a run's.
        """
        name = self._action(action)
        return self._answer(
            connection,
            sandbox,
            lambda conn, transport: _options_answer(
                component.options(name, prop, inputs, conn, transport=transport)
            ),
        )

    def _answer(
        self,
        connection: Any,
        sandbox: Any,
        call: Callable[[Any, httpx.BaseTransport | None], dict[str, Any]],
        keep: frozenset[str] = frozenset(),
    ) -> tuple[int, dict[str, Any]]:
        """``call(connection, transport)`` against the sandbox or Infobip, as (status, body).

        Every answer, errors included, has the token masked, except in the IDs the connector
        sent (``keep``, the inputs' IDs, and those an error's details name), which the CLI
        and the library return whole too.
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
            kept = keep | sent_ids(exc.details)
            return _STATUS_BY_TYPE.get(exc.type, 502), scrub(exc.to_dict(), token, kept)
        except Exception as exc:  # a bug must reach the page as an answer, not a hung request
            error = {"type": "internal", "message": f"{type(exc).__name__}: {exc}", "details": {}}
            return 500, scrub({"error": error}, token)
        return 200, scrub(answer, token, keep)

    def trigger(self, name: Any) -> dict[str, Any]:
        """A trigger's description, event schema, sample and what can be simulated."""
        from .triggers import trigger_info

        return trigger_info(name)

    def simulate(self, name: Any, values: Any) -> tuple[int, dict[str, Any]]:
        """The events ``name`` emits after a simulated action in the sandbox (``{"events"}``),
        or the typed error, as (status, body)."""
        _, simulator = self._sandbox_account()
        try:
            return 200, simulator.simulate(name, values)
        except ConnectorError as exc:
            return _STATUS_BY_TYPE.get(exc.type, 502), exc.to_dict()

    def _sandbox(self) -> httpx.BaseTransport:
        return self._sandbox_account()[0]

    def _sandbox_account(self) -> tuple[httpx.BaseTransport, Simulator]:
        with self._sandbox_lock:
            # Created on first use: the emulator is only needed once someone runs or asks.
            if self._account is None:
                from infobip_connector.sandbox import Sandbox

                from .triggers import Simulator

                sandbox = Sandbox()
                # Simulated replies reach the same account the page's runs send from.
                self._account = (sandbox.transport(), Simulator(sandbox))
            return self._account

    @staticmethod
    def _action(action: Any) -> str:
        if not isinstance(action, str) or action not in component.action_names:
            known = ", ".join(component.action_names)
            raise RequestError(f"unknown action {action!r}; this component has: {known}")
        return action


def scrub(value: Any, secret: str, keep: frozenset[str] = frozenset()) -> Any:
    """``value`` with ``secret`` masked in its values (never in names, nor in ``keep``).

    The page sends the token as it is typed, one character at a time: only what could be a
    key is masked (``redaction.mask_key_in_data``), so an answer is never garbled.
    """
    return mask_key_in_data(value, secret, keep)


def _options_answer(options: Any) -> dict[str, Any]:
    # ``options``: the ``runtime.choices.Options`` list ``component.options`` returns.
    return {"options": options, "truncated": options.truncated, "dropped": options.dropped}
