"""Connection values → checked settings.

The connection's property values (``token``, ``baseUrl``, ...) as an engine or host gives
them, read into a ``ConnectionSettings`` (``settings.py``, where the policy that keeps the
key with Infobip lives). Errors never quote a value: a key typed into the wrong field must
not be printed back.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..errors import ConfigurationError, member_path
from ..redaction import mask_key_in_data
from .baseurl import DEFAULT_BASE_URL, normalize_base_url
from .secret import SecretStr
from .settings import (
    ConnectionSettings,
    SettingsOrError,
    bare,
    checked_settings,
    fail,
    unreadable,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "ConnectionSettings",
    "checked_settings",
    "connection_from_values",
    "normalize_base_url",
    "settings_for",
]


def settings_for(connection: ConnectionSettings | Mapping[str, Any]) -> SettingsOrError:
    """Settings from connection values (a settings object is returned as it is, and checked
    where it is used), or the ``ConfigurationError`` to raise.

    The error is returned without a traceback rather than raised, so that the caller can
    drop its reference to the connection values first: a traceback rendered with
    ``capture_locals=True`` shows every frame's locals, the token among them.
    """
    if isinstance(connection, ConnectionSettings):
        return connection
    try:
        return connection_from_values(connection)
    except ConfigurationError as error:
        return bare(error)
    except Exception as exc:  # see unreadable
        return unreadable(exc)


_PROPERTIES = {
    # connection property → (field, default when absent or empty)
    "token": ("token", None),
    "baseUrl": ("base_url", DEFAULT_BASE_URL),
    "allowCustomHost": ("allow_custom_host", False),
    "connectTimeout": ("connect_timeout", 5.0),
    "readTimeout": ("read_timeout", 30.0),
    "deadline": ("deadline", 60.0),
    "maxAttempts": ("max_attempts", 3),
    "phoneNumberCheck": ("phone_number_check", "valid"),
    "idempotentSending": ("idempotent_sending", False),
}


def connection_from_values(values: Mapping[str, Any]) -> ConnectionSettings:
    """Checked settings from the connection's property values (``token``, ``baseUrl``, ...).

    Engines pass the same connection to every execution, so results are cached, keyed by
    each value *with its type*: ``{"maxAttempts": true}`` must not find the settings
    cached for ``{"maxAttempts": 1}`` (``True == 1`` and ``hash(True) == hash(1)``).
    Raises ``ConfigurationError``.
    """
    if not isinstance(values, Mapping):
        raise fail("", 'the connection must be an object such as {"token": "..."}')
    try:
        try:
            # Members in the order given (another order is another entry, not another
            # result) and the type of each value, read in C: this runs at every send.
            key = (tuple(values.items()), tuple(map(type, values.values())))
            hash(key)
        except TypeError:  # unhashable values: parse without caching
            return _parse_connection(values)
        return _cached_connection(key)
    except ConfigurationError as error:
        raise _without_token(error, values.get("token")) from None


def _without_token(error: ConfigurationError, token: Any) -> ConfigurationError:
    """``error`` with the connection's own token masked wherever it quotes it.

    The token is registered for masking only once it is accepted; a value refused before
    or beside it (a member named after it, a base URL holding it) would show it otherwise.
    """
    if not isinstance(token, str):
        return error
    masked = mask_key_in_data(error.errors, token)
    return error if masked == error.errors else ConfigurationError(masked)


@lru_cache(maxsize=128)
def _cached_connection(
    key: tuple[tuple[tuple[Any, Any], ...], tuple[type, ...]],
) -> ConnectionSettings:
    return _parse_connection(dict(key[0]))


def _name(key: Any) -> str:
    # ``str(10**5000)`` raises ValueError; a name that is not text is named by its type.
    return (
        member_path("", key)
        if isinstance(key, str)
        else f"(a {type(key).__name__} as a property name)"
    )


def _parse_connection(values: Mapping[Any, Any]) -> ConnectionSettings:
    given: dict[str, Any] = {}
    for name, (attribute, default) in _PROPERTIES.items():
        value = values.get(name)
        given[attribute] = default if value is None or value == "" else value
    if isinstance(given["token"], str):
        given["token"] = SecretStr(given["token"])
    unknown = sorted(_name(k) for k in values if k not in _PROPERTIES)
    try:
        settings = ConnectionSettings(**given)  # checks the known ones
    except ConfigurationError as error:
        if not unknown:
            raise
        more = error.errors
    else:
        if not unknown:
            return settings
        more = []
    # Each unknown name, together with whatever is wrong with the known ones.
    expected = f"unknown connection property; expected one of: {', '.join(_PROPERTIES)}"
    raise ConfigurationError([{"path": name, "message": expected} for name in unknown] + more)
