"""The component an engine loads: definition, schemas, and ``execute`` with its async twin.

Its actions are ``component/actions.py``'s, its triggers ``component/triggers.py``'s.
"""

from __future__ import annotations

from .actions import Connection, checked_idempotency_key, connection_error
from .triggers import Triggers


class Component(Triggers):
    """The Infobip component. Cheap to create; the definition is read on first use."""


__all__ = ["Component", "Connection", "checked_idempotency_key", "connection_error"]
