"""Infobip SMS and WhatsApp actions for low-code workflow engines.

``component`` is what an engine loads (also through the ``workflow_connectors``
entry point): its definition, schemas, ``execute`` and ``execute_async``.

Importing the package is cheap: hosts often discover many connectors and use few,
so the definition, its pydantic models and the HTTP client load on first use.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if sys.argv and sys.argv[0].endswith("infobip-connector"):
    # The console script's own process (its first import is this package): a long-lived
    # command holds the stop signals before anything else loads (hosts/stopsignals.py).
    from .hosts import stopsignals as _stopsignals

    if _stopsignals.wanted(sys.argv[1:]):
        _stopsignals.hold()

from ._version import __version__
from .errors import (
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    InputError,
    InternalError,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    UnreachableError,
)

if TYPE_CHECKING:
    from .component import Component
    from .request import InfobipRequest
    from .transport.attempts import aclose_pooled_clients, close_pooled_clients
    from .transport.connection import ConnectionSettings, connection_from_values
    from .triggers.recent import RecentKeys
    from .triggers.webhook import WebhookAnswer, WebhookRequest, WebhookSettings

    component: Component

_LAZY = {
    "Component": ".component",
    "InfobipRequest": ".request",
    "aclose_pooled_clients": ".transport.attempts",
    "close_pooled_clients": ".transport.attempts",
    "ConnectionSettings": ".transport.connection",
    "connection_from_values": ".transport.connection",
    # What a host hands component.handle_webhook and gets back.
    "RecentKeys": ".triggers.recent",
    "WebhookAnswer": ".triggers.webhook",
    "WebhookRequest": ".triggers.webhook",
    "WebhookSettings": ".triggers.webhook",
}


def __getattr__(name: str) -> Any:
    if name == "component":
        from .component import Component

        instance = Component()
        globals()["component"] = instance
        return instance
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'infobip_connector' has no attribute {name!r}")


class _Package(types.ModuleType):
    """The package module, keeping ``component`` the instance whatever is imported first.

    Importing the submodule ``infobip_connector.component`` (as ``Component`` and the
    hosts do) binds it as the package's attribute ``component``; the lazy instance of that
    name would then never be made, and ``from infobip_connector import component`` would
    give the module.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "component" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "AuthenticationError",
    "Component",
    "ConfigurationError",
    "ConnectionSettings",
    "ConnectorError",
    "InfobipRequest",
    "InputError",
    "InternalError",
    "OutcomeUnknownError",
    "RateLimitedError",
    "RecentKeys",
    "RejectedError",
    "UnreachableError",
    "WebhookAnswer",
    "WebhookRequest",
    "WebhookSettings",
    "__version__",
    "aclose_pooled_clients",
    "close_pooled_clients",
    "component",
    "connection_from_values",
]
