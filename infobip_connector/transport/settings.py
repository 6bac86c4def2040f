"""``ConnectionSettings`` and the policy that keeps the key with Infobip.

The policy is applied to a ``ConnectionSettings`` however it was made — from connection
values (``connection.py``), constructed directly, ``dataclasses.replace``-d, copied or
unpickled — because the client calls :func:`checked_settings` on the very object it is
about to send with, and sends with what that returns. Errors never quote a value: a key
typed into the wrong field must not be printed back.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import is_
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from ..definition.model import PHONE_CHECKS, PhoneCheck
from ..errors import ConfigurationError
from ..redaction import MIN_SECRET_LENGTH, register_secret
from .apikey import TOKEN_TYPE, check_token
from .baseurl import DEFAULT_BASE_URL, is_loopback_url, normalize_base_url
from .secret import SecretStr, is_exactly_secret, is_secret

__all__ = [
    "ConnectionSettings",
    "SettingsOrError",
    "bare",
    "checked_settings",
    "fail",
    "unreadable",
]

if TYPE_CHECKING:
    from .secret import Secret

SettingsOrError: TypeAlias = "ConnectionSettings | ConfigurationError"

_T = TypeVar("_T")


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything needed to talk to Infobip; the token never shows in its repr.

    Checked when constructed (values are normalised: the base URL to its canonical form,
    timeouts to floats) and again, by the client, before every send.
    Raises ``ConfigurationError`` naming the connection property (``baseUrl``, ``token``).
    """

    # The connector's SecretStr (``transport/secret.py``) or pydantic's.
    token: Secret = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    connect_timeout: float = 5.0  # seconds
    read_timeout: float = 30.0  # seconds
    deadline: float = 60.0  # seconds, for the whole execution including retries
    max_attempts: int = 3
    allow_custom_host: bool = False  # a proxy of one's own instead of *.api.infobip.com
    # How strictly phone numbers are checked: "valid" or "possible" (see phones.py).
    phone_number_check: PhoneCheck = "valid"
    # Infobip's idempotent message sending is enabled for the account's channels, so a send
    # may be repeated with its messageIds after an ambiguous failure (see idempotent.py).
    idempotent_sending: bool = False

    def __post_init__(self) -> None:
        canonical = _checked_or_raise(self)
        for name in ("token", "base_url", "connect_timeout", "read_timeout", "deadline"):
            object.__setattr__(self, name, getattr(canonical, name))

    @property
    def is_loopback(self) -> bool:
        return is_loopback_url(self.base_url)


def fail(path: str, message: str) -> ConfigurationError:
    """One problem at connection property ``path`` (shared with ``connection.py``)."""
    return ConfigurationError([{"path": path, "message": message}])


def checked_settings(settings: ConnectionSettings) -> ConnectionSettings:
    """``settings`` as the policy accepts it, in canonical form; its key registered for masking.

    Each field is read once and only what was checked is returned, so a value changed
    behind the check's back (``object.__setattr__``, a subclass property) is never sent.
    Cached per distinct set of values *and their types* (``True`` is not ``1``), and per
    settings object while it holds the very values that were checked (see ``_Verified``).
    Raises ``ConfigurationError``, from this frame: the frames below hold the values.
    """
    known = _verified.get(id(settings))
    if known is not None and known.still_holds(settings):
        return known.canonical
    checked = _checked_or_raise(settings)
    _Verified.remember(settings, checked)
    return checked


def _checked_or_raise(settings: ConnectionSettings) -> ConnectionSettings:
    checked = _checked_or_error(settings)
    if isinstance(checked, ConfigurationError):
        raise checked
    return checked


class _Verified:
    """A settings object that passed the check, with the very objects it held then.

    An engine sends many times with one settings object (``settings_for`` caches it per
    connection values); hashing its nine fields and the key for the check's cache on
    every send cost more than the rest of the policy. The object is known again only
    while it holds the *same objects* (``is``, not ``==``: ``True == 1``) in its fields and
    in its key's ``SecretStr``, its class and its key's class being exactly the ones
    checked; any change, however it was made, goes through the whole check again. The
    snapshot keeps those objects alive, so their ids cannot be reused by others. Its key
    stays registered for masking with this object as owner (``register_secret``) for as
    long as the object lives, so that is not repeated either.
    """

    __slots__ = ("canonical", "fields", "ref", "secret")

    def __init__(
        self,
        ref: weakref.ref[ConnectionSettings],
        fields: tuple[Any, ...],
        secret: str,
        canonical: ConnectionSettings,
    ) -> None:
        self.ref = ref
        self.fields = fields
        self.secret = secret
        self.canonical = canonical

    def still_holds(self, settings: ConnectionSettings) -> bool:
        # Exact classes: a subclass may compute a field, a SecretStr subclass its key.
        if self.ref() is not settings or type(settings) is not ConnectionSettings:
            return False
        now = vars(settings)
        token = settings.token
        return (
            is_exactly_secret(token)
            and token.get_secret_value() is self.secret
            and len(now) == len(self.fields)
            and all(map(is_, now.values(), self.fields))
        )

    @classmethod
    def remember(cls, settings: ConnectionSettings, canonical: ConnectionSettings) -> None:
        token = settings.token
        if type(settings) is not ConnectionSettings or not is_exactly_secret(token):
            return  # never known again: checked in full each time
        ident = id(settings)
        ref = weakref.ref(settings, partial(_forget_verified, ident))
        fields = tuple(vars(settings).values())
        _verified[ident] = cls(ref, fields, token.get_secret_value(), canonical)


# id(settings) → what it held when checked; an entry leaves when its settings object dies.
_verified: dict[int, _Verified] = {}


def _forget_verified(ident: int, ref: weakref.ref[ConnectionSettings]) -> None:
    entry = _verified.get(ident)
    if entry is not None and entry.ref is ref:
        del _verified[ident]


def unreadable(exc: Exception) -> ConfigurationError:
    """Values no rule foresaw (a number too large to convert, a key that cannot be named).

    Still a configuration error, never ``internal``; only the exception's class is
    quoted, and its traceback (whose frames hold the token) is dropped.
    """
    return bare(fail("", f"the connection values could not be read ({type(exc).__name__})"))


def _checked_or_error(settings: ConnectionSettings) -> SettingsOrError:
    token = settings.token
    if is_secret(token) and not isinstance(token.get_secret_value(), str):
        # Before the cache: SecretStr("k") and SecretStr(b"k") hash alike.
        return fail("token", TOKEN_TYPE)
    # The key travels as a SecretStr (its repr is masked) even in the cache key.
    fields = (_typed_secret(token), *((type(v), v) for v in _plain_fields(settings)))
    try:
        try:
            canonical = _checked(fields)
        except TypeError:  # an unhashable value: check without the cache
            canonical = _check(fields)
    except ConfigurationError as error:
        return bare(error)
    except Exception as exc:  # see unreadable
        return unreadable(exc)
    register_secret(canonical.token.get_secret_value(), settings)
    return canonical


def _typed_secret(token: Any) -> tuple[type, Any]:
    return type(token), SecretStr(token) if isinstance(token, str) else token


def bare(error: ConfigurationError) -> ConfigurationError:
    """``error`` without the traceback and chained exceptions whose frames hold the token."""
    error.__traceback__ = error.__context__ = error.__cause__ = None
    return error


def _plain_fields(settings: ConnectionSettings) -> tuple[Any, ...]:
    return (
        settings.base_url,
        settings.allow_custom_host,
        settings.connect_timeout,
        settings.read_timeout,
        settings.deadline,
        settings.max_attempts,
        settings.phone_number_check,
        settings.idempotent_sending,
    )


@lru_cache(maxsize=256)
def _checked(fields: tuple[tuple[type, Any], ...]) -> ConnectionSettings:
    return _check(fields)


def _check(fields: tuple[tuple[type, Any], ...]) -> ConnectionSettings:
    """The settings the checked ``fields`` make; ConfigurationError naming every bad one
    (not only the first: a user fixing one setting at a time would find them one by one)."""
    secret, base, allow, connect, read, deadline, attempts, check, idempotent = (
        v for _, v in fields
    )
    secret = _own_secret(secret)
    problems: list[dict[str, str]] = []
    _collect(problems, lambda: check_token(secret))
    token_usable = not problems
    if not isinstance(allow, bool):
        problems.append({"path": "allowCustomHost", "message": "must be true or false"})
    base_url = None
    if not isinstance(base, str):
        problems.append(
            {"path": "baseUrl", "message": "must be text such as xxxxx.api.infobip.com"}
        )
    elif isinstance(allow, bool):  # otherwise which hosts it may name is not known
        base_url = _collect(problems, lambda: normalize_base_url(base, allow_custom_host=allow))
    if base_url is not None and token_usable and _holds_key(base_url, secret.get_secret_value()):
        # The request line would carry the key to the host and to every log of the path
        # on the way; it leaves the process in the Authorization header only.
        problems.append({"path": "baseUrl", "message": KEY_IN_BASE_URL})
    timeouts = [
        _collect(problems, lambda: _number("connectTimeout", connect, 0.1, 120)),
        _collect(problems, lambda: _number("readTimeout", read, 0.1, 600)),
        _collect(problems, lambda: _number("deadline", deadline, 0.1, 3600)),
    ]
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not 1 <= attempts <= 10:
        problems.append({"path": "maxAttempts", "message": "must be a whole number from 1 to 10"})
    if check not in PHONE_CHECKS:
        message = f"must be one of: {', '.join(PHONE_CHECKS)}"
        problems.append({"path": "phoneNumberCheck", "message": message})
    if not isinstance(idempotent, bool):
        problems.append({"path": "idempotentSending", "message": "must be true or false"})
    if problems:
        raise ConfigurationError(problems)
    connect, read, deadline = timeouts
    made = object.__new__(ConnectionSettings)  # checked here; no second check
    made.__dict__.update(
        token=secret,
        base_url=base_url,
        connect_timeout=connect,
        read_timeout=read,
        deadline=deadline,
        max_attempts=attempts,
        allow_custom_host=allow,
        phone_number_check=check,
        idempotent_sending=idempotent,
    )
    # The canonical object (kept by the cache) holds the key too.
    register_secret(secret.get_secret_value(), made)
    return made


KEY_IN_BASE_URL = (
    "must not hold the API key: the key is sent in the Authorization header only, never in a URL"
)


def _holds_key(url: str, key: str) -> bool:
    """Whether the text a person wrote into ``url`` (a normalised base URL) holds ``key``, or
    any ``MIN_SECRET_LENGTH`` characters of it in a row, in any letter case: most of a key
    is nearly as good as the key. The scheme and Infobip's own domain are not looked in:
    a text that matches them (``abcde.api.infobi``) is no key, and must not make every
    base URL wrong (``apikey.check_token`` refuses one holding ``//`` or ``infobip``)."""
    written = url.lower().partition("://")[2]
    host, slash, path = written.partition("/")
    if host == _INFOBIP_DOMAIN or host.endswith("." + _INFOBIP_DOMAIN):
        host = host[: -len(_INFOBIP_DOMAIN)]
    written, part = host + slash + path, MIN_SECRET_LENGTH
    key = key.lower()
    return any(key[start : start + part] in written for start in range(len(key) - part + 1))


_INFOBIP_DOMAIN = "api.infobip.com"


def _own_secret(token: Any) -> Any:
    """A text key in another ``SecretStr`` (pydantic's, or a subclass that might compute
    its key on each call) read once into the connector's own, so the key checked is the
    key sent, and settings made either way compare equal."""
    if type(token) is not SecretStr and is_secret(token):
        value = token.get_secret_value()
        if isinstance(value, str):
            return SecretStr(value)
    return token


def _collect(problems: list[dict[str, str]], check: Callable[[], _T]) -> _T | None:
    """What ``check`` returns, or None with the problems of its ConfigurationError kept."""
    try:
        return check()
    except ConfigurationError as error:
        problems.extend(error.errors)
        return None


def _number(path: str, value: Any, low: float, high: float) -> float:
    # Compared before any conversion: ``math.isfinite(10**400)`` raises OverflowError,
    # while an int compares with a float exactly, however large.
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
        or not low <= value <= high
    ):
        raise fail(path, f"must be a number from {low:g} to {high:g}")
    return float(value)
