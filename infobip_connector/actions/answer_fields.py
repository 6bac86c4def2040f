"""Fields of Infobip's answer read by the output rule: ``null`` is a field not given.

The executors fill a field Infobip may leave out (a send's ``bulkId``, a read's empty
``results``) from what was asked. Infobip's JSON writers spell a field they have no value
for either way, left out or ``null`` (Jackson's default includes nulls), so both get the
same fill: otherwise a ``null`` would pass the executor and the output check would call the
field missing, an answer Infobip accepted reported as an unknown outcome.
"""

from __future__ import annotations

from typing import Any


def filled(body: Any, name: str, value: Any) -> Any:
    """``body`` with ``name`` set to ``value`` when it is an object that does not give it
    (left out or ``null``); any other ``body`` as it is (the output check judges it)."""
    if isinstance(body, dict) and body.get(name) is None:
        return {**body, name: value}
    return body
