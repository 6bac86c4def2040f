"""The fingerprint of a send as the connector reads it, for a host's finished-key ledger.

Two inputs the connector reads as the same send must be the same send to the ledger
(``runningkeys.py``), or a careful retry that only changes the spelling is refused as
"other input": an optional member given as ``null`` is not given, a phone number is read
in its normalised form (``+41 79 302 67 27`` is ``+41793026727``), a whole number written
``2.0`` is ``2``, members in any order. So the values are fingerprinted after the
action's own reading (``ActionRuntime.validate``: pruning, whole numbers, the checks that
normalise), with the IDs the execution key derives, exactly as they would be sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ConnectorError
from .runningkeys import Print, fingerprint

if TYPE_CHECKING:
    from ..component import Component


def send_print(
    component: Component,
    action: str,
    values: Any,
    connection: Mapping[str, Any],
    key: str,
    scope: Mapping[str, Any] | None = None,
) -> Print | None:
    """The :func:`runningkeys.fingerprint` of sending ``values`` through ``action`` with
    execution key ``key``, the values read as the connector reads them.

    ``connection`` (its values) gives the phone number check the reading follows;
    ``scope`` is what of the connection goes into the fingerprint (``serve``: the
    request's connection, so another account's send is never replayed; MCP: None, its one
    connection). None when the values cannot be read: the execution then ends in the
    typed error that says why, and a send that ends in an error is not remembered anyway.
    """
    try:
        read = component.runtime(action).validate(
            values,
            phone_check=_phone_check(component, connection),
            idempotency_key=key,
            # Only the reading counts here: whether a loopback callback URL is allowed is
            # the execution's to say, with the transport it runs on.
            local=True,
        )
    except ConnectorError:
        return None
    return fingerprint(action, read, scope)


def _phone_check(component: Component, connection: Mapping[str, Any]) -> Any:
    """The connection's ``phoneNumberCheck``, or its default when it is not one of the
    choices (the execution's connection check refuses it then)."""
    schema = component.connection_schema()["properties"]["phoneNumberCheck"]
    check = connection.get("phoneNumberCheck") if isinstance(connection, Mapping) else None
    return check if check in schema["enum"] else schema["default"]
