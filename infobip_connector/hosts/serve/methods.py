"""The methods ``serve`` answers, their named params, and the component calls behind them.

Each method takes one params object (JSON-RPC's named form); a member that is missing,
unknown or of the wrong JSON type is an invalid-params error (-32602) naming it, so a typo
(``idempotency_key``) is refused rather than ignored. One rule for ``null``, as for empty
values in the input: an optional member that is ``null`` is not given, a required one is
missing. What the members hold is the component's to judge: its typed errors come back as
they are.

``execute`` runs on the async path (``component.execute_async``), so many run at once on
the worker's event loop. ``options`` and ``testConnection`` exist only as synchronous calls;
they run in the loop's thread pool, so a slow read does not hold the others up (cut off by
a stop, they are answered ``outcome_unknown``: a thread cannot tell whether its request left).
A keyless send gets a key of the worker's own, which an ``outcome_unknown`` names.
``validate`` checks a value in the loop's own thread, as ``execute_async`` does before it
sends. The trigger calls are in ``triggers.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from functools import partial
from typing import TYPE_CHECKING, Any

from ... import outcome
from ...errors import member_path
from ...redaction import get_logger
from ..daemoncall import call_in_daemon_thread
from ..keyerrors import KeyErrors, Problems, checked_key, with_input_problems
from ..retryhint import add_retry_hint
from ..runningkeys import RunningKeys
from ..sendprint import send_print
from .connections import ABSENT, Connections
from .protocol import invalid_members, invalid_params, method_not_found
from .triggers import TriggerMethods

if TYPE_CHECKING:
    from ...component import Component

log = get_logger("infobip_connector.serve")

Params = dict[str, Any]
Handler = Callable[[Params], Awaitable[Any]]
#: The execution key of the send the current task runs (given or made): the log line of an
#: answer that could not be delivered names it (``lost.py``). Each call is a task of its own.
EXECUTION_KEY: ContextVar[str | None] = ContextVar("execution_key", default=None)

# What each kind of member must be, and how an error says so.
_KINDS: dict[str, tuple[type, str]] = {
    "string": (str, "must be a string"),
    "boolean": (bool, "must be true or false"),
    "object": (dict, "must be an object"),
    "any": (object, ""),
}
# The version (4) and variant (RFC 4122) bits of a random UUID, as ``uuid.UUID`` sets them.
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)
#: The methods answered from the component alone (nothing reaches Infobip): asking again
#: costs nothing, so a batch whose answer grows too large may leave theirs out.
LOCAL_METHODS = frozenset({"definition", "schema", "eventSchema", "validate"})
#: The methods whose answer is the only record of what they did: a send (``execute``: its
#: IDs, or an ``outcome_unknown``), events handed out once (``poll``, ``handleWebhook``:
#: a repeat is left out). Sent as a notification (no id), they are not run (``worker.py``).
NEEDS_ID = frozenset({"execute", "poll", "handleWebhook"})

# A member is written ``name`` (required) or ``name?`` (optional), with its kind.
_CONNECTION = {"connection?": "object"}


class Methods:
    """The method table of one worker, bound to its component and default connection."""

    def __init__(self, component: Component, connections: Connections) -> None:
        self._component = component
        self._connections = connections
        # Loaded now, so that a broken definition stops the worker before it reads a line.
        self._actions = tuple(component.action_names)
        self._kinds = {action.name: action.kind for action in component.definition.actions}
        self._running_keys = RunningKeys()
        self._definition = component.definition_json()
        self._phone_checks = tuple(
            component.connection_schema()["properties"]["phoneNumberCheck"]["enum"]
        )
        execute = {
            "action": "string",
            "input": "object",
            "idempotencyKey?": "string",
            "repeated?": "boolean",
            **_CONNECTION,
        }
        table: dict[str, tuple[dict[str, str], Handler]] = {
            "definition": ({}, self._definition_of),
            "schema": ({"action": "string", "output?": "boolean"}, self._schema),
            "validate": (
                {"action": "string", "input": "object", "phoneNumberCheck?": "string"},
                self._validate,
            ),
            "execute": (execute, self._execute),
            "options": (
                {"action": "string", "property": "string", "input?": "object", **_CONNECTION},
                self._options,
            ),
            "testConnection": (dict(_CONNECTION), self._test_connection),
        }
        triggers = TriggerMethods(component, connections)
        of = TriggerMethods.members
        table["eventSchema"] = (of["eventSchema"], triggers.event_schema)
        table["handleWebhook"] = (of["handleWebhook"], triggers.handle_webhook)
        table["releaseWebhook"] = (of["releaseWebhook"], triggers.release_webhook)
        table["poll"] = (of["poll"], triggers.poll)
        self._table = {name: (_declared(members), run) for name, (members, run) in table.items()}

    def knows(self, method: str) -> bool:
        """Whether ``method`` is one of the worker's methods."""
        return method in self._table

    async def call(self, method: str, params: Params | list[Any]) -> Any:
        """The result of ``method``; raises RpcError or the component's ConnectorError."""
        entry = self._table.get(method)
        if entry is None:
            shown = method if len(method) <= 64 else method[:64] + "…"
            raise method_not_found(f"{shown!r}; one of: {', '.join(self._table)}")
        members, handler = entry
        return await handler(_checked(params, members))

    async def _definition_of(self, _params: Params) -> Any:
        return self._definition

    async def _schema(self, params: Params) -> Any:
        action, output = params["action"], params.get("output", False)
        if action == "connection":
            if output:
                raise invalid_params("output", "applies to actions only: the connection has one")
            return self._component.connection_schema()
        self._check_action(action)
        if output:
            return self._component.output_schema(action)
        return self._component.input_schema(action)

    async def _validate(self, params: Params) -> Any:
        action = self._check_action(params["action"])
        check = params.get("phoneNumberCheck", "valid")
        if check not in self._phone_checks:
            raise invalid_params("phoneNumberCheck", f"must be one of: {self._choices()}")
        return self._component.validate_input(action, params["input"], phone_number_check=check)

    async def _execute(self, params: Params) -> Any:
        action = self._check_action(params["action"])
        key = params.get("idempotencyKey")
        given = key is not None
        repeated = params.get("repeated", False)
        send = self._kinds[action] == "send"
        if given:  # a string (checked with the params): is it a usable key?
            key = self._usable_key(key, action, params["input"])
        elif repeated:  # before the connection: a worker without one says what is wrong here
            raise invalid_params("repeated", "needs idempotencyKey: the key of the run it repeats")
        connection, transport = self._connections.for_request(params.get("connection", ABSENT))
        if not given and send:
            # A key of the worker's own, as MCP mints one: the IDs then follow from it, and an
            # outcome_unknown names it, so a safe retry exists for a keyless send too.
            key = _minted_key()
        hinted = key if send else None
        EXECUTION_KEY.set(hinted)
        # A finished key is answered from memory (runningkeys.py), the input compared as
        # the connector reads it (sendprint.py); the connection is part of what was sent,
        # so another account's send is never replayed. A key the worker made is neither
        # held nor remembered: no caller can give it while its send runs (a fresh UUID),
        # nor repeat it after (a lost answer is logged only once stdout is closed, and the
        # worker then stops), and keyless traffic would push the callers' own keys out of
        # the bounded memory.
        held = hinted if given else None
        sent = (
            send_print(self._component, action, params["input"], connection, held, connection)
            if held
            else None
        )
        running = self._component.execute_async(
            action,
            params["input"],
            connection,
            transport=transport,
            idempotency_key=key,
            repeated=repeated,
        )
        del connection  # its token would show in tracebacks rendered with their locals
        try:
            with self._running_keys.held(
                held,
                _KEY_ERRORS.in_use,
                sent=sent,
                reused=_KEY_ERRORS.reused,
                dropped=_KEY_ERRORS.dropped,
            ) as claim:
                if claim.replay is not None:
                    log.info("execute %s: key %r ended before, its result replayed", action, key)
                    return claim.replay.result
                output = await running
                claim.finish(output)
                return output
        except BaseException as exc:
            if hinted is not None:  # an outcome_unknown says how to send again safely
                add_retry_hint(exc, hinted, detail="idempotencyKey", retry=_retry(hinted))
            raise
        finally:
            running.close()  # a no-op once it ran; never started when the key was in use

    def _usable_key(self, key: object, action: str, values: Any) -> str:
        """``key`` when it is a usable execution key; else InputError naming
        ``idempotencyKey`` and, in the same answer, whatever is wrong with ``values``."""
        problems: Problems = []
        usable = checked_key(key, "idempotencyKey", problems)
        if usable is None:
            validate = partial(self._component.validate_input, action, values)
            raise with_input_problems(problems, validate)
        return usable

    async def _options(self, params: Params) -> Any:
        action = self._check_action(params["action"])
        connection, transport = self._connections.for_request(params.get("connection", ABSENT))
        values = params.get("input", {})
        return await _read_in_thread(
            self._component.options,
            action,
            params["property"],
            values,
            connection,
            transport=transport,
        )

    async def _test_connection(self, params: Params) -> Any:
        connection, transport = self._connections.for_request(params.get("connection", ABSENT))
        return await _read_in_thread(
            self._component.test_connection, connection, transport=transport
        )

    def _check_action(self, action: str) -> str:
        if action not in self._actions:
            shown = action if len(action) <= 64 else action[:64] + "…"
            raise invalid_params(
                "action", f"unknown action {shown!r}; one of: {', '.join(self._actions)}"
            )
        return action

    def _choices(self) -> str:
        return ", ".join(self._phone_checks)


Members = dict[str, tuple[str, bool]]  # name → (kind, required)


def _declared(members: dict[str, str]) -> Members:
    """``{"name": kind, "name?": kind}`` as names with their kind and whether required."""
    return {name.rstrip("?"): (kind, not name.endswith("?")) for name, kind in members.items()}


def _checked(params: Params | list[Any], declared: Members) -> Params:
    """``params`` when its members are the ones ``declared``, of their kinds.

    An optional member given as ``null`` is left out of the result (not given); a required
    one given as ``null`` is missing. Raises RpcError (invalid params) naming every member
    at fault.
    """
    if not isinstance(params, dict):
        raise invalid_params("params", "must be an object of named members (not an array)")
    problems = []
    for name in params:
        if name not in declared:
            shown = member_path("", name if len(name) <= 64 else name[:64] + "…")
            expected = ", ".join(declared) or "none"
            why = f"is not a member of this method's params ({expected})"
            problems.append({"path": shown, "message": why})
    given: Params = {}
    for name, (kind, required) in declared.items():
        value = params.get(name)
        if value is None:
            if required:
                why = "is required" if name not in params else "is required (null is not given)"
                problems.append({"path": name, "message": why})
            continue
        accepted, expected = _KINDS[kind]
        if not isinstance(value, accepted):
            problems.append({"path": name, "message": expected})
        given[name] = value
    if problems:
        raise invalid_members(problems)
    return given


async def _read_in_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` (a synchronous read that may call Infobip) in a thread.

    A thread cannot be stopped: cancelled (the worker's grace period is over), its request
    may already be at Infobip, so the cancellation carries an ``outcome_unknown`` (reading is
    safe to repeat) rather than leaving the worker to answer ``stopped``, which says nothing
    was sent. The thread is a daemon: the worker's exit does not wait for a read it gave up.
    """
    try:
        return await call_in_daemon_thread(function, *args, **kwargs)
    except asyncio.CancelledError as exc:
        outcome.mark_interrupted(exc, {}, "read")
        raise


def _minted_key() -> str:
    """``serve-`` and a random (version 4) UUID, as ``uuid.uuid4`` makes it, without its
    object: the key of each keyless send, so its cost is per request."""
    number = int.from_bytes(os.urandom(16), "big") & _UUID_CLEAR | _UUID_SET
    digits = f"{number:032x}"
    return f"serve-{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _retry(key: str) -> str:
    """How an ``outcome_unknown`` of a send with ``key`` is sent again (``retryhint.py``)."""
    return f"with the same params, idempotencyKey {json.dumps(key)} and repeated: true"


#: The key's errors in this worker's terms, as invalid params naming ``idempotencyKey``.
_KEY_ERRORS = KeyErrors(
    path="idempotencyKey",
    here="this worker",
    same="this same input and connection",
    other="other input or another connection",
    again="send the request again",
    error=invalid_params,
)
