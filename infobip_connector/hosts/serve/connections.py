"""Which connection a ``serve`` request uses: its own, or the worker's default.

The default comes from the worker's options exactly as ``run`` gets its connection
(``hosts/cliconnection.py``): ``--sandbox``, ``--connection FILE``, or ``INFOBIP_API_KEY`` /
``INFOBIP_BASE_URL``. A worker started without any key still serves what needs none
(``definition``, ``schema``, ``validate``) and requests that bring their own
``connection``; one that needs the default gets the ``usage`` error saying how to give a
key. Nothing falls back to the sandbox by itself, and a worker started with ``--sandbox``
refuses a request's own connection rather than choosing between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TextIO

from ...component import connection_error
from ...errors import ConfigurationError, UsageError
from ...redaction import register_secret
from ..cliconnection import resolve_connection
from ..startcheck import check_connection
from .protocol import invalid_params

#: ``params`` without a ``connection`` member.
ABSENT: Any = object()


class Connections:
    """The default connection of a worker and the rule for a request's own."""

    def __init__(
        self,
        default: dict[str, Any] | None,
        transport: Any,
        missing: UsageError | None,
        *,
        sandbox: bool,
    ) -> None:
        self._default = default
        self._transport = transport
        self._missing = missing
        self._sandbox = sandbox

    @classmethod
    def from_options(
        cls,
        *,
        connection_file: str | None,
        sandbox: bool,
        environ: Mapping[str, str],
        read_json: Callable[[str, str], Any],
        notices: TextIO,
    ) -> Connections:
        """The worker's default connection; raises UsageError for options that are wrong.

        A key missing from the environment is not an error yet: it is kept and raised for
        each request that needs the default. A key or base URL that is given but cannot
        work (``startcheck.py``) is: the worker does not start.
        """
        try:
            values, transport = resolve_connection(
                connection_file=connection_file,
                sandbox=sandbox,
                environ=environ,
                read_json=read_json,
                notices=notices,
            )
        except UsageError as exc:
            if sandbox or connection_file is not None:
                raise
            message = f"no connection: {exc.message}; or give one in the request's params"
            return cls(None, None, UsageError(exc.errors, message), sandbox=False)
        if not sandbox:
            check_connection(values, connection_file=connection_file, server="serve")
        connections = cls(values, transport, None, sandbox=sandbox)
        token = values.get("token")
        if isinstance(token, str):
            # Masked from the start, not from the first send: an error about a request's
            # params (a method or action name) could otherwise quote it.
            register_secret(token, owner=connections)
        return connections

    @property
    def transport(self) -> Any:
        """The sandbox's transport of a ``--sandbox`` worker (sync and async), else None."""
        return self._transport

    def for_request(self, given: Any) -> tuple[dict[str, Any], Any]:
        """The connection values and transport for a request whose ``connection`` is ``given``.

        Raises RpcError (invalid params) for a connection that is not an object or that a
        ``--sandbox`` worker cannot take, UsageError when none is given and there is no
        default. The values themselves are checked by the component (``configuration``).
        """
        if given is ABSENT:
            if self._default is None:
                assert self._missing is not None
                raise self._missing
            return self._default, self._transport
        if self._sandbox:
            raise invalid_params(
                "connection",
                "does not go with a worker started with --sandbox: leave it out, or start "
                "the worker without --sandbox",
            )
        if not isinstance(given, dict):
            # Never quoted: it may be the key itself.
            raise invalid_params("connection", "must be an object such as {token, baseUrl}")
        error = connection_error(given)
        if error is not None:  # named as the request names them: under ``connection``
            raise ConfigurationError([_under_connection(problem) for problem in error.errors])
        return given, None


def _under_connection(problem: dict[str, str]) -> dict[str, str]:
    path = problem["path"]
    return {**problem, "path": f"connection.{path}" if path else "connection"}
