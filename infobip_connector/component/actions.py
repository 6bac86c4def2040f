"""The component's definition, schemas and actions: ``execute`` with its async twin,
``options``, ``test_connection`` (the triggers are ``component/triggers.py``'s)."""

from __future__ import annotations

import threading
from datetime import datetime
from functools import cache, cached_property
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeAlias

from ..definition.model import PHONE_CHECKS, ComponentDefinition, PhoneCheck, load_definition
from ..definition.schemas import (
    all_schemas,
    connection_schema,
    input_schema,
    output_schema,
)
from ..errors import ConfigurationError, json_safe
from ..gcpause import close_answer_scope, open_answer_scope
from ..redaction import install_log_redaction
from ..transport.connection import ConnectionSettings, settings_for

if TYPE_CHECKING:
    import httpx

    from ..request import InfobipRequest
    from ..runtime.action_runtime import ActionRuntime
    from ..runtime.choices import Options
    from ..triggers.receivers import ReceiverWindows
    from ..triggers.runtime import TriggerRuntime

# The HTTP side (httpx, the client, the runtime) loads on the first execution, so that
# reading the definition or a schema (``infobip-connector definition``) does not pay for it.
Connection: TypeAlias = "ConnectionSettings | dict[str, Any]"


class Actions:
    """The Infobip component's actions. Cheap to create; the definition is read on first use."""

    def __init__(self, definition_path: str | Path | None = None) -> None:
        self._definition_path = definition_path
        self._runtimes: dict[str, ActionRuntime] = {}
        self._triggers: dict[str, TriggerRuntime] = {}
        self._receivers: ReceiverWindows | None = None
        self._lock = threading.Lock()
        install_log_redaction()

    @cached_property
    def definition(self) -> ComponentDefinition:
        return load_definition(self._definition_path)

    def definition_json(self) -> dict[str, Any]:
        """The definition as plain JSON data, as ``infobip-connector definition`` prints it."""
        from ..definition.checked import as_json  # pydantic: not needed to run an action

        data: dict[str, Any] = _drop_defaults(as_json(self.definition))
        return data

    @property
    def action_names(self) -> list[str]:
        return [a.name for a in self.definition.actions]

    def input_schema(self, action: str) -> dict[str, Any]:
        return input_schema(self.definition, self.definition.action(action))

    def output_schema(self, action: str) -> dict[str, Any]:
        return output_schema(self.definition, self.definition.action(action))

    def connection_schema(self) -> dict[str, Any]:
        return connection_schema(self.definition)

    def schemas(self) -> dict[str, dict[str, Any]]:
        return all_schemas(self.definition)

    def runtime(self, action: str) -> ActionRuntime:
        if not isinstance(action, str):
            self.definition.action(action)  # raises the typed error for any other value
        found = self._runtimes.get(action)
        if found is None:
            with self._lock:
                found = self._runtimes.get(action)
                if found is None:
                    from ..runtime.action_runtime import ActionRuntime

                    found = ActionRuntime(self.definition, self.definition.action(action))
                    self._runtimes[action] = found
        return found

    def validate_input(
        self,
        action: str,
        values: Any,
        *,
        now: datetime | None = None,
        phone_number_check: PhoneCheck = "valid",
    ) -> dict[str, Any]:
        """Normalised values (empty fields dropped, numbers normalised, IDs assigned).

        ``phone_number_check`` is the connection option ``phoneNumberCheck``. Raises
        InputError listing every problem by path.
        """
        return self.runtime(action).validate(values, now, phone_check=phone_number_check)

    def execute(
        self,
        action: str,
        values: Any,
        connection: Connection,
        *,
        transport: httpx.BaseTransport | None = None,
        now: datetime | None = None,
        idempotency_key: str | None = None,
        repeated: bool = False,
    ) -> dict[str, Any]:
        """Run ``action`` and return its declared output; raise a ConnectorError otherwise.

        ``idempotency_key``: the same key (1 to 256 printable characters, e.g. the engine's
        run and task IDs) gives a ``send`` of the same values the same bulkId and messageIds
        each time it runs, derived from the key and what each ID names (a messageId: its
        message's recipient, content, sender and options, not its place); a changed message
        gets a new ID. IDs given in ``values`` are kept. Ignored by the other kinds, which
        assign no IDs. InputError (path ``idempotency_key``) when it is not a usable key;
        nothing is sent then.

        ``repeated``: this execution runs again one with the same key whose outcome may have
        been accepted (an engine's retry). With ``idempotentSending`` on, a derived messageId
        Infobip rejects as a duplicate was sent by that earlier execution: it is reported
        accepted and listed in ``confirmedByDuplicateRejection``. No effect without a key.
        """
        settings = settings_for(connection)
        del connection  # its token would show in tracebacks rendered with their locals
        checked, runtime, request = self._prepared(
            action, values, settings, transport, now, idempotency_key, repeated
        )
        if len(request.recipients.ids) == 1:
            # One message's answer is small: no collection to keep from walking it.
            return runtime.finish(client_module().send(checked, request, transport), request)
        outer = open_answer_scope()
        try:
            return runtime.finish(client_module().send(checked, request, transport), request)
        finally:
            close_answer_scope(outer)

    async def execute_async(
        self,
        action: str,
        values: Any,
        connection: Connection,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        now: datetime | None = None,
        idempotency_key: str | None = None,
        repeated: bool = False,
    ) -> dict[str, Any]:
        """The async twin of :meth:`execute` (``idempotency_key`` and ``repeated`` work the
        same)."""
        settings = settings_for(connection)
        del connection  # its token would show in tracebacks rendered with their locals
        checked, runtime, request = self._prepared(
            action, values, settings, transport, now, idempotency_key, repeated
        )
        body = await client_module().send_async(checked, request, transport)
        return runtime.finish(body, request)

    def options(
        self,
        action: str,
        property_path: str,
        values: Any,
        connection: Connection,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> Options:
        """The choices Infobip offers for one property, as ``[{"value", "label"}, ...]``.

        Only values the property accepts are offered, at most 1,000: the list (a ``list``)
        says how many were left out (``dropped``) and whether it was cut (``truncated``).

        ``property_path`` names a property declared with ``optionsFrom`` (e.g.
        ``messages[0].content.templateName``; ``[]`` means the first item); ``values`` is
        the input filled so far, from which the properties it ``dependsOn`` are read. Raises
        InputError when the path or a dependency is missing or wrong (nothing is sent), and
        the transport's errors as for a read (retried, safe to repeat).
        """
        settings = settings_for(connection)
        del connection  # its token would show in tracebacks rendered with their locals
        if isinstance(settings, ConfigurationError):
            raise settings
        from ..runtime.options import OptionsRuntime

        runtime = self.runtime(action)
        options = OptionsRuntime(
            runtime.action, runtime.executor, property_path, self.definition.actions
        )
        request = options.request(values)
        from ..transport import client

        return options.shape(client.send(settings, request, transport), request)

    def test_connection(
        self, connection: Connection, *, transport: httpx.BaseTransport | None = None
    ) -> dict[str, Any]:
        """Call the connection test endpoint (the account balance) and return its answer."""
        settings = settings_for(connection)
        del connection  # its token would show in tracebacks rendered with their locals
        if isinstance(settings, ConfigurationError):
            raise settings
        test = self.definition.authorization.test
        from ..transport import client

        body = client.send(
            settings, client.InfobipRequest(test.method, test.path, kind="read"), transport
        )
        # Returned as it came, so only strict JSON of bounded depth: anything may print it.
        answer: dict[str, Any] = json_safe(body if isinstance(body, dict) else {"answer": body})
        return answer

    def account(self, connection: Connection) -> dict[str, str] | None:
        """The account ``connection`` sends to: ``{"token", "baseUrl"}``, the base URL in
        its canonical form; None when the values are not a usable connection (a send over
        it fails with the ``configuration`` error that says why)."""
        settings = settings_for(connection)
        del connection
        if isinstance(settings, ConfigurationError):
            return None
        return {"token": settings.token.get_secret_value(), "baseUrl": settings.base_url}

    def _prepared(
        self,
        action: str,
        values: Any,
        settings: ConnectionSettings | ConfigurationError,
        transport: object,
        now: datetime | None = None,
        idempotency_key: object = None,
        repeated: bool = False,
    ) -> tuple[ConnectionSettings, ActionRuntime, InfobipRequest]:
        """The checked settings, the runtime and the request of one run of ``action``: the
        steps an execution and each fetch of a poll share before sending (then
        ``client.send`` and ``runtime.finish``). Raises the connection's ConfigurationError
        first, then InputError for a bad key (checked before the values) or bad values;
        nothing is sent then."""
        if isinstance(settings, ConfigurationError):
            raise settings
        runtime = self.runtime(action)
        key = None if idempotency_key is None else checked_idempotency_key(idempotency_key)
        request = runtime.prepare(
            values,
            now,
            phone_check=_phone_check(settings),
            idempotency_key=key,
            repeated=repeated is True,
            local=_local(settings, transport),
        )
        return settings, runtime, request


def connection_error(connection: Connection) -> ConfigurationError | None:
    """What makes ``connection``'s values unusable, or None: the shapes only, nothing sent."""
    settings = settings_for(connection)
    return settings if isinstance(settings, ConfigurationError) else None


def checked_idempotency_key(key: object, where: str = "idempotency_key") -> str:
    """``key`` if it is a usable execution key; else InputError naming ``where``."""
    from ..runtime.idempotency import checked_key

    return checked_key(key, where)


@cache
def client_module() -> ModuleType:
    """``transport.client``, imported on the first execution (see ``Connection``).

    Kept once its import statement has returned: an import statement run on every send
    resolves the package and its from-list again, which costs more than the steps around
    it. Never taken from ``sys.modules``, where a module is listed while another thread is
    still running its import (its functions not defined yet); the import statement waits
    for that import to finish. (``transport.client`` keeps its aiohttp sender the same way.)
    """
    from ..transport import client

    return client


def _local(settings: ConnectionSettings, transport: object) -> bool:
    """Whether Infobip's side is on this machine, so it can call back a loopback URL: a
    loopback ``baseUrl``, or the in-process sandbox's transport."""
    # A base URL that is not text is the client's to refuse (ConfigurationError), not ours.
    loopback = isinstance(settings.base_url, str) and settings.is_loopback
    return loopback or getattr(transport, "on_this_machine", False) is True


def _phone_check(settings: ConnectionSettings) -> PhoneCheck:
    """The settings' phone number check; also for an object altered after it was checked."""
    check = settings.phone_number_check
    if check not in PHONE_CHECKS:
        raise ConfigurationError(
            [{"path": "phoneNumberCheck", "message": f"must be one of: {', '.join(PHONE_CHECKS)}"}]
        )
    return check


def _drop_defaults(data: Any) -> Any:
    """Leave out flags at their default (false, empty) so the JSON reads like the YAML."""
    if isinstance(data, dict):
        return {
            k: _drop_defaults(v)
            for k, v in data.items()
            if not (v is False and k in _FLAGS)
            and not (v == [] and k == "rules")
            and not (v == "body" and k == "in")
            and not (v is True and k == "explode")
        }
    if isinstance(data, list):
        return [_drop_defaults(v) for v in data]
    return data


_FLAGS = {
    "required",
    "secret",
    "advanced",
    "generatedId",
    "uniqueItems",
    "multiline",
    "accountsMessages",
}
