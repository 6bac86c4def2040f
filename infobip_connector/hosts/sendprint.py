"""The fingerprint of a send as Infobip would read it, for a host's finished-key ledger.

Two inputs that make one send must be the same send to the ledger (``runningkeys.py``),
or a careful retry that only changes the spelling is refused as "other input"; two that
make different sends must stay different, or the second is answered with the first's
result and never sent. So what is fingerprinted is the request the connector would send
(``ActionRuntime.prepare``: the input read, checked and normalised, with the IDs the
execution key derives), in the form in which two requests Infobip reads alike are equal
(``runtime/wireform.py``: defaults, instants, sets), and of the connection only the account it
goes to (the token, the base URL in its canonical form): timeouts and retries change how
a request is sent, not what.
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
    execution key ``key``, as Infobip would read the request.

    ``connection`` (its values) gives the phone number check the reading follows;
    ``scope``: the connection whose account goes into the fingerprint (``serve``: the
    request's, so another account's send is never replayed; MCP: None, its one
    connection). None when the values cannot be read: the execution then ends in the
    typed error that says why, and a send that ends in an error is not remembered anyway.
    """
    runtime = component.runtime(action)
    derived: list[str] = []
    try:
        request = runtime.prepare(
            values,
            phone_check=_phone_check(component, connection),
            idempotency_key=key,
            # Only the reading counts here: whether a loopback callback URL is allowed is
            # the execution's to say, with the transport it runs on.
            local=True,
            derived=derived,
        )
    except ConnectorError:
        return None
    read = runtime.as_read(request, frozenset(derived))
    # Of a connection only the account counts: timeouts and attempts change how a request
    # is sent, not what. Values that are no connection are kept as they are (their send
    # fails on them before anything is sent, and is not remembered).
    account = None if scope is None else component.account(dict(scope)) or dict(scope)
    return fingerprint(action, read, account)


def _phone_check(component: Component, connection: Mapping[str, Any]) -> Any:
    """The connection's ``phoneNumberCheck``, or its default when it is not one of the
    choices (the execution's connection check refuses it then)."""
    schema = component.connection_schema()["properties"]["phoneNumberCheck"]
    check = connection.get("phoneNumberCheck") if isinstance(connection, Mapping) else None
    return check if check in schema["enum"] else schema["default"]
