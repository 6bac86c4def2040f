"""Named lists of suggested values the editor offers for free-text fields.

A property names a list with ``suggestions: <name>`` in ``connector.yaml``; the editor API
sends every list with the definition and the page turns each into a ``<datalist>``. The
lists only help typing: the field's own rules still decide what is accepted.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

# Names the tz database ships that are not places a person would pick: the host's own
# setting and the "zone not configured" placeholder.
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def time_zones() -> tuple[str, ...]:
    """IANA zone names this Python knows (``zoneinfo``), sorted; the ``sendAt`` rule's set."""
    return tuple(sorted(zoneinfo.available_timezones() - _NOT_ZONES))


def suggestion_lists() -> dict[str, list[str]]:
    """Every list by the name ``suggestions`` uses in the definition (``timeZones``, ...)."""
    return {"timeZones": list(time_zones())}
