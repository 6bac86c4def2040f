"""What a checked connection decides for every request it sends, made once per connection.

The request headers (the Authorization value among them) and the timeouts of an attempt
depend on the connection's checked settings alone, not on the request; an engine sends many
times over one connection, so they are made once for it and shared, read-only, by every
exchange (see ``exchange._Exchange``), instead of once per send.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import httpx

from .._version import __version__
from ..redaction import HiddenStr
from .connection import ConnectionSettings

USER_AGENT = f"infobip-connector/{__version__}"

#: The most connections planned at once; past it the plans are made again as needed.
_MAX_PLANS = 64


class Plan:
    """The headers and full timeouts of requests over one checked ``settings`` object.

    ``headers``: for a request without a body; ``body_headers``: with a JSON body. Both
    read-only (shared by every send over the connection), the key's value masked in reprs:
    frames on the way to the socket hold it. ``timeout``: an attempt's timeouts while the
    execution's deadline leaves at least ``longest`` seconds; with less left, each is cut
    to what is left (``timeout_within``).
    """

    __slots__ = (
        "_connect",
        "_read",
        "body_headers",
        "headers",
        "longest",
        "secret",
        "settings",
        "timeout",
    )

    def __init__(self, settings: ConnectionSettings) -> None:
        self.settings = settings
        self._connect = settings.connect_timeout
        self._read = settings.read_timeout
        #: The very key text the headers were made from (compared by identity).
        self.secret = settings.token.get_secret_value()
        headers = {
            "Authorization": HiddenStr("App " + self.secret),
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        self.headers: Mapping[str, str] = MappingProxyType(headers)
        self.body_headers: Mapping[str, str] = MappingProxyType(
            {**headers, "Content-Type": "application/json"}
        )
        self.longest = max(self._connect, self._read)
        self.timeout = self.timeout_within(self.longest)

    def timeout_within(self, left: float) -> httpx.Timeout:
        """The attempt's timeouts, none longer than ``left`` seconds."""
        return httpx.Timeout(
            connect=min(self._connect, left),
            read=min(self._read, left),
            write=min(self._read, left),
            pool=min(self._connect, left),
        )

    def holds(self, settings: ConnectionSettings) -> bool:
        """Whether this plan was made from ``settings`` as they are now.

        Keyed by the object, which the plan holds (its id is never another's while the plan
        lives), and by the very key text and timeouts it read then (``is``): a settings
        object changed in place is planned again, never sent with the old key.
        """
        return (
            self.settings is settings
            and settings.token.get_secret_value() is self.secret
            and settings.connect_timeout is self._connect
            and settings.read_timeout is self._read
        )


# id(settings) → its plan.
_plans: dict[int, Plan] = {}


def plan_for(settings: ConnectionSettings) -> Plan:
    """The plan of a checked ``settings`` object (``connection.checked_settings``)."""
    known = _plans.get(id(settings))
    if known is not None and known.holds(settings):
        return known
    plan = Plan(settings)
    if len(_plans) >= _MAX_PLANS:
        _plans.clear()
    _plans[id(settings)] = plan
    return plan
