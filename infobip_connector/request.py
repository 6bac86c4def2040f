"""The request an action builds and the transport sends: the contract between the layers.

It sits beside ``errors.py`` because actions (which build it), the runtime (which hands it
on) and the transport (which sends it) all use it, and actions never import the transport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class InfobipRequest:
    """What an executor asks for; ``reference`` holds the IDs to reconcile an unknown outcome."""

    method: str
    path: str
    body: Any = None
    reference: dict[str, Any] = field(default_factory=dict)
