"""``InfobipHook``: the connector's ``execute``, ``options`` and ``test_connection`` on an
Airflow connection of type ``infobip``.

The Airflow Connection is read into the connector's connection values (the key from
``password``, the base URL from ``host``, the other properties from the extras; see
``connection_form``) and checked by the connector's one policy before anything is sent.
Airflow masks the connection's password in task logs; the connector masks the key in
everything it produces, so neither an error nor an output carries it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.sdk import BaseHook

from ... import component
from ...errors import ConfigurationError, ConnectorError
from .connection_form import connection_values, layout

if TYPE_CHECKING:
    from airflow.sdk import Connection

    from ... import ConnectionSettings


class InfobipHook(BaseHook):
    """Runs the connector's actions with an ``infobip`` connection.

    :param infobip_conn_id: the Airflow connection ID (type ``infobip``): the API key in the
        password field, the base URL (``xxxxx.api.infobip.com``) in the host field, other
        connection properties (``maxAttempts``, ``deadline``, ...) as extras.
    """

    conn_name_attr: ClassVar[str] = "infobip_conn_id"
    default_conn_name: ClassVar[str] = "infobip_default"
    conn_type: ClassVar[str] = "infobip"
    hook_name: ClassVar[str] = "Infobip"

    def __init__(self, infobip_conn_id: str = default_conn_name, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.infobip_conn_id = infobip_conn_id

    def get_conn(self) -> ConnectionSettings:
        """The checked connection settings (read from Airflow on each call).

        Raises ``ConfigurationError`` naming the Airflow field at fault (``password``,
        ``host``, ``extra.maxAttempts``) and never quoting a value.
        """
        return settings_from(self.get_connection(self.infobip_conn_id), self.infobip_conn_id)

    async def aget_conn(self) -> ConnectionSettings:
        """:meth:`get_conn` for the event loop (a trigger): reads the connection without
        blocking the loop."""
        connection = await self.aget_connection(self.infobip_conn_id)
        return settings_from(connection, self.infobip_conn_id)

    def execute(
        self,
        action: str,
        inputs: Any,
        *,
        idempotency_key: str | None = None,
        repeated: bool = False,
        settings: ConnectionSettings | None = None,
    ) -> dict[str, Any]:
        """Run ``action`` with ``inputs`` and return its declared output.

        ``idempotency_key`` (sends only) makes the generated bulk and message IDs depend on
        the key and the messages they name, so running the same step again with the same
        inputs reuses them. ``repeated``: this run repeats one with the same key (a retried
        try); with ``idempotentSending`` on, a derived ID Infobip rejects as a duplicate is
        then reported accepted (``component.execute``). Raises the connector's typed errors
        (``InputError``, ``ConfigurationError``, ``OutcomeUnknownError``, ...).
        ``settings``: the connection as :meth:`get_conn` read it (read now when left out).
        """
        if settings is None:
            settings = self.get_conn()
        if idempotency_key is None:
            return component.execute(action, inputs, settings)
        return component.execute(
            action, inputs, settings, idempotency_key=idempotency_key, repeated=repeated
        )

    async def aexecute(
        self,
        action: str,
        inputs: Any,
        *,
        idempotency_key: str | None = None,
        repeated: bool = False,
        settings: ConnectionSettings | None = None,
    ) -> dict[str, Any]:
        """The async twin of :meth:`execute`, for triggers."""
        if settings is None:
            settings = await self.aget_conn()
        if idempotency_key is None:
            return await component.execute_async(action, inputs, settings)
        return await component.execute_async(
            action, inputs, settings, idempotency_key=idempotency_key, repeated=repeated
        )

    def idempotent_sending(self) -> bool:
        """Whether the connection says Infobip refuses a repeated message ID
        (``idempotentSending``), which makes a retried send safe."""
        return self.get_conn().idempotent_sending

    def options(self, action: str, property_path: str, values: Any) -> list[dict[str, str]]:
        """The choices Infobip offers for a property declared with ``optionsFrom``, as
        ``[{"value", "label"}, ...]`` (e.g. the approved WhatsApp templates of a sender)."""
        return component.options(action, property_path, values, self.get_conn())

    def test_connection(self) -> tuple[bool, str]:
        """Call the connection test endpoint (the account balance): ``(ok, message)``.

        ``airflow connections test`` and the connection form's Test button call it. The
        message never quotes the key.
        """
        try:
            answer = component.test_connection(self.get_conn())
        except ConnectorError as error:
            return False, f"{error.type}: {error.message}"
        balance = answer.get("balance")
        currency = answer.get("currency")
        shown = f": balance {balance} {currency}" if balance is not None else ""
        return True, f"Connection to Infobip works{shown}"


def settings_from(connection: Connection, conn_id: str) -> ConnectionSettings:
    """Checked settings from an Airflow Connection; errors name the Airflow field."""
    from ... import connection_from_values

    try:
        values = connection_values(
            host=connection.host,
            password=connection.password,
            port=connection.port,
            schema=connection.schema,
            extra=_extra(connection),
        )
        return connection_from_values(values)
    except ConfigurationError as error:
        raise _in_airflow_terms(error, conn_id) from None


def _extra(connection: Connection) -> Mapping[str, Any]:
    """The extras as a mapping; anything else is a configuration error at ``extra``."""
    extra = connection.extra_dejson  # Airflow logs text that is not JSON and gives {}
    if not isinstance(extra, Mapping):
        raise ConfigurationError(
            [{"path": "", "message": "the extra must be a JSON object of connection properties"}]
        )
    return extra


def _in_airflow_terms(error: ConfigurationError, conn_id: str) -> ConfigurationError:
    """``error`` with each path as the Airflow field that holds the property."""
    names = layout()
    fields = {names.password: "password", names.host: "host"}
    errors = [
        {**e, "path": fields.get(e["path"], f"extra.{e['path']}" if e["path"] else "extra")}
        for e in error.errors
    ]
    shown = "; ".join(f"{e['path'] or '(connection)'}: {e['message']}" for e in errors)
    return ConfigurationError(
        errors, f"Airflow connection {conn_id!r} is unusable, nothing was sent: {shown}"
    )
