"""Infobip SMS and WhatsApp actions for low-code workflow engines.

``component`` is what an engine loads (also through the ``workflow_connectors``
entry point): its definition, schemas, ``execute`` and ``execute_async``.
"""

from ._version import __version__
from .client import InfobipRequest, aclose_pooled_clients, close_pooled_clients
from .component import Component
from .connection import ConnectionSettings, connection_from_values
from .errors import (
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    InputError,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    UnreachableError,
)

component = Component()

__all__ = [
    "AuthenticationError",
    "Component",
    "ConfigurationError",
    "ConnectionSettings",
    "ConnectorError",
    "InfobipRequest",
    "InputError",
    "OutcomeUnknownError",
    "RateLimitedError",
    "RejectedError",
    "UnreachableError",
    "__version__",
    "aclose_pooled_clients",
    "close_pooled_clients",
    "component",
    "connection_from_values",
]
