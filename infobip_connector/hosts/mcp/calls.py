"""One tool call: arguments in, the action's output or its typed error out, as plain data.

No MCP SDK here: ``server.py`` wraps a :class:`CallResult` into the protocol's result.
A call runs :meth:`Component.execute_async` on the server's event loop (the pooled async
client, as ``serve`` runs ``execute``), so the checks, the retry policy, the error mapping
and the redaction are the component's, exactly as for the CLI's ``run``. Every
:class:`ConnectorError` becomes an error result carrying the error object
``{"error": {"type", "message", "details"}}`` (an input error's ``details.errors`` name
each field by path, e.g. ``messages[0].destinations[0].to``), so a model can correct its
arguments; nothing is raised to the protocol layer but an unknown tool name.

A send runs with an execution key: the call's ``idempotency_key``, or a new random one.
An ``outcome_unknown`` error carries it (``details.idempotency_key``) and says to retry with
it and ``repeated: true``, so a retry reuses the IDs of the attempt whose outcome is unknown
and a message Infobip refuses as a duplicate is reported accepted. A send whose key ended
with a result earlier in this server is not sent again (``runningkeys.py``): the same
arguments get that result back, marked as a replay (:data:`REPLAY_META`), other arguments
an input error at ``idempotency_key``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from ...errors import ConnectorError, InputError, InternalError
from ...redaction import redact_data, sent_ids
from .. import jsonout
from ..keyerrors import KeyErrors, checked_key, with_input_problems
from ..retryhint import retry_hint
from ..runningkeys import Print, RunningKeys
from ..sendprint import send_print
from .tools import CONFIRM, IDEMPOTENCY_KEY, REPEATED, ToolSpec

if TYPE_CHECKING:
    from ...component import Component

#: Where a result says it came from the embedded emulator (``_meta`` of every result).
SANDBOX_META = "infobip-connector/sandbox"
SANDBOX_NOTE = "Sandbox: this came from the embedded Infobip emulator; nothing was sent to Infobip."
REPEATED_ALONE_MESSAGE = (
    f"true needs {IDEMPOTENCY_KEY}: the key of the earlier call this one repeats (from its "
    "outcome_unknown error's details)"
)
#: Where a result says it repeats an earlier send's result and nothing was sent (``_meta``).
REPLAY_META = "infobip-connector/replay"
REPLAY_NOTE = (
    "Replay: a send with this idempotency_key and these arguments already ended in this "
    "server; this is its result again, and nothing was sent this time."
)
CONFIRM_MESSAGE = (
    "must be true: this tool sends messages or changes a scheduled bulk, so ask the user first "
    "and call again with confirm: true"
)


class UnknownTool(LookupError):
    """A call names no tool this server offers (another action may be switched off);
    ``expected`` says which names it offers."""

    def __init__(self, message: str, expected: str) -> None:
        super().__init__(message)
        self.expected = expected


@dataclass(frozen=True)
class CallResult:
    """What a call gives back: ``structured``, the output (as the tool's ``outputSchema``
    has it, ``structured.py``, which also cuts what lies too deep for the SDK) or the error
    object (given in the text alone, ``server.py``).

    ``text`` is the same for a reader: the sandbox note, a replay's note or an error's
    message (which may span lines), then the whole JSON on the last line (``jsonout.line``);
    ``meta`` goes into the result's ``_meta``.
    """

    structured: dict[str, Any]
    text: str
    is_error: bool
    meta: dict[str, Any] | None = None
    #: The execution key the call ran with (a send's), for the log of a lost answer.
    key: str | None = None
    #: Makes the fingerprint of a send that ended with a result under a key this server
    #: made (not remembered until it is handed out, :meth:`ToolRunner.keep`; made only then).
    minted: Callable[[], Print | None] | None = None


class ToolRunner:
    """Runs the tools of one server with its one connection.

    ``connection`` holds the key (from the environment or a connection file, never from a
    call); ``transport`` is the sandbox's (an ``httpx.AsyncBaseTransport``, as it is sync and
    async alike) when ``sandbox`` is true, else None (Infobip, through the pooled client).
    """

    def __init__(
        self,
        component: Component,
        tools: Mapping[str, ToolSpec],
        connection: dict[str, Any],
        transport: Any,
        *,
        sandbox: bool,
    ) -> None:
        self.tools = dict(tools)
        self.sandbox = sandbox
        self._component = component
        self._connection = connection
        self._transport = transport
        self._running_keys = RunningKeys()

    def __repr__(self) -> str:
        # The connection holds the key: never part of a repr.
        return f"ToolRunner(tools={list(self.tools)}, sandbox={self.sandbox})"

    async def call(self, name: str, arguments: Mapping[str, Any] | None) -> CallResult:
        """Run tool ``name``; raises UnknownTool for a name not offered, nothing else.

        Not shielded here: the server awaits it in a scope that a cancelled request does not
        cut short (``server.py``), so the send ends, and frees its key, however it ends.
        """
        tool = self.tools.get(name)
        if tool is None:
            raise self.unknown(name)
        key: str | None = None
        try:
            values, key, repeated = _values(tool, arguments, partial(self._validate, name))
            retry = f"with the same arguments, {IDEMPOTENCY_KEY} {key!r} and {REPEATED}: true"
            # A key minted here is looked up by nobody and remembered only once it is handed
            # out (:meth:`keep`, the log of a lost answer): keyless calls would otherwise push
            # the callers' own keys out of the bounded memory (runningkeys.py).
            given = arguments is not None and arguments.get(IDEMPOTENCY_KEY) is not None
            sent = self._print(name, values, key) if given else None
            with (
                self._running_keys.held(
                    key,
                    _KEY_ERRORS.in_use,
                    sent=sent,
                    reused=_KEY_ERRORS.reused,
                    dropped=_KEY_ERRORS.dropped,
                ) as claim,
                retry_hint(key, detail=IDEMPOTENCY_KEY, retry=retry),
            ):
                if claim.replay is not None:
                    replay = claim.replay.result
                    return self._result(replay, is_error=False, lead=REPLAY_NOTE, key=key)
                output = await self._component.execute_async(
                    name,
                    values,
                    self._connection,
                    transport=self._transport,
                    idempotency_key=key,
                    repeated=repeated,
                )
                claim.finish(output)  # kept even when this call was cancelled meanwhile
        except InputError as error:
            return self.error_result(_naming_arguments(error, tool), key)
        except ConnectorError as error:
            return self.error_result(error, key)
        except Exception as exc:
            # A defect, not an input: the agent still gets an error object, never a traceback.
            internal = InternalError(f"internal error: {type(exc).__name__}: {exc}")
            return self.error_result(internal, key)
        result = self._result(output, is_error=False, key=key)
        return result if given else replace(result, minted=partial(self._print, name, values, key))

    def unknown(self, name: str) -> UnknownTool:
        """The error of a call naming ``name``, which is no tool this server offers."""
        offered = ", ".join(self.tools)
        return UnknownTool(
            f"unknown tool {name!r}; one of: {offered}", f"must be one of: {offered}"
        )

    def _validate(self, name: str, values: dict[str, Any]) -> None:
        """Raise InputError listing what is wrong with ``values`` for action ``name``."""
        self._component.validate_input(name, values)

    def _print(self, name: str, values: dict[str, Any], key: str | None) -> Print | None:
        """The ledger's fingerprint of a send with ``key`` (None: not a send), its values
        read as the connector reads them (``sendprint.py``)."""
        if key is None:
            return None
        return send_print(self._component, name, values, self._connection, key)

    def keep(self, result: CallResult) -> None:
        """Remember the key this server made for a send that ended with ``result``, now
        that a log line hands it out: the same call with that key is then a replay,
        nothing sent again (a key handed out as the way back must be one the server knows)."""
        if result.minted is not None and result.key is not None and not result.is_error:
            sent = result.minted()
            if sent is not None:
                self._running_keys.keep(result.key, sent, result.structured)

    def error_result(self, error: ConnectorError, key: str | None = None) -> CallResult:
        """The error result of ``error``, as the CLI prints errors: masked again, keeping
        the IDs the connector sent; ``key``: the execution key the call ran with."""
        data = redact_data(error.to_dict(), sent_ids(error.details))
        if key is None and error.type == "outcome_unknown":
            found = data["error"]["details"].get(IDEMPOTENCY_KEY)
            key = found if isinstance(found, str) else None
        return self._result(data, is_error=True, lead=data["error"]["message"], key=key)

    def _result(
        self, data: dict[str, Any], *, is_error: bool, lead: str = "", key: str | None = None
    ) -> CallResult:
        parts = [SANDBOX_NOTE] if self.sandbox else []
        if lead:
            parts.append(lead)
        # On one line: the text holds what structuredContent holds (and, whole, what lies too
        # deep for it) for clients that read text only, and indenting it would cost a model
        # more tokens and the protocol more escaping.
        parts.append(jsonout.line(data))
        meta: dict[str, Any] = {SANDBOX_META: True} if self.sandbox else {}
        if lead == REPLAY_NOTE:
            meta[REPLAY_META] = True
        return CallResult(data, "\n".join(parts), is_error, meta or None, key)


def unknown_tool_errors(runner: ToolRunner, method: str, params: Any) -> list[dict[str, str]]:
    """``params.name``'s error when a ``tools/call`` whose params are wrong otherwise also
    names a tool ``runner`` does not offer (told with the rest, ``badparams.py``)."""
    if method != "tools/call" or not isinstance(params, Mapping):
        return []
    name = params.get("name")
    if not isinstance(name, str) or name in runner.tools:
        return []
    return [{"path": "params.name", "message": runner.unknown(name).expected}]


def _values(
    tool: ToolSpec, arguments: Mapping[str, Any] | None, validate: Callable[[dict[str, Any]], Any]
) -> tuple[dict[str, Any], str | None, bool]:
    """The action's values from a call's arguments, the execution key of a send, ``repeated``.

    ``confirm`` is checked and taken out, ``idempotency_key`` and ``repeated`` taken out and
    checked; a send without a key gets a new random one. Raises InputError listing every
    problem at once: at ``confirm`` when the tool needs it and it is not ``true``, at
    ``idempotency_key`` when it is not a usable key, at ``repeated`` when it is not a
    boolean or is true without a key, and then whatever ``validate`` (the action's checks
    of the values, raising InputError) finds wrong with the rest.
    """
    values = dict(arguments) if arguments is not None else {}
    errors: list[dict[str, str]] = []
    if tool.needs_confirmation and values.pop(CONFIRM, None) is not True:
        errors.append({"path": CONFIRM, "message": CONFIRM_MESSAGE})
    key: str | None = None
    repeated: object = None
    if tool.takes_idempotency_key:
        given = values.pop(IDEMPOTENCY_KEY, None)
        repeated = values.pop(REPEATED, None)
        if repeated is not None and not isinstance(repeated, bool):
            errors.append({"path": REPEATED, "message": "must be true or false"})
        elif repeated and given is None:
            errors.append({"path": REPEATED, "message": REPEATED_ALONE_MESSAGE})
        if given is not None:
            key = checked_key(given, IDEMPOTENCY_KEY, errors)
        else:
            key = f"mcp-{uuid.uuid4()}"
    if errors:  # the input's own errors in the same answer
        raise with_input_problems(errors, partial(validate, values))
    return values, key, repeated is True


#: How the action's checks list the properties an object takes (``runtime/validation.py``).
_EXPECTED = "; expected one of: "


def _naming_arguments(error: InputError, tool: ToolSpec) -> InputError:
    """``error`` with the tool's own arguments (``idempotency_key``, ``repeated``,
    ``confirm``) added where it lists the top-level properties expected: the action's
    checks know only the action's, and an agent told the list would drop the others."""
    own = [IDEMPOTENCY_KEY, REPEATED] if tool.takes_idempotency_key else []
    own += [CONFIRM] if tool.needs_confirmation else []
    if not own or type(error) is not InputError:
        return error
    message, errors = error.message, []
    for entry in error.errors:
        path, text = entry.get("path", ""), entry.get("message", "")
        if _EXPECTED in text and "." not in path and "[" not in path:
            longer = f"{text}, {', '.join(own)}"
            message = message.replace(text, longer)
            entry = {**entry, "message": longer}
        errors.append(entry)
    named = InputError(errors, message)
    named.details.update({k: v for k, v in error.details.items() if k != "errors"})
    return named


def _input_error(path: str, message: str) -> InputError:
    return InputError([{"path": path, "message": message}])


#: The key's errors in this server's terms, as ``input`` errors at ``idempotency_key``.
_KEY_ERRORS = KeyErrors(
    path=IDEMPOTENCY_KEY,
    here="this server",
    same="these same arguments",
    other="other arguments",
    again="call again with the same arguments",
    error=_input_error,
)
