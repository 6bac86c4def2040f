"""A webhook call, from HTTP request to events: a pure function, no server.

``handle`` answers what an HTTP server should answer Infobip, with the events to start
workflows with:

======  ==============================================================================
status  when
======  ==============================================================================
200     the body's events (repeats of events already returned left out; possibly none),
        and its unreadable items, each refused alone (``WebhookAnswer.refused``)
405     not a POST (``Allow: POST``)
413     a body over ``max_body_bytes``, or of more than ``MAX_RESULTS`` results
401     not authenticated as configured (Basic credentials, HMAC signature)
415     a content type the trigger does not take (JSON; XML for SMS delivery reports)
400     a body that is not JSON/XML, too deep, or not the trigger's batched body
======  ==============================================================================

One unreadable item does not cost the others: Infobip would send the same batch again on a
refusal, and it would be refused again until Infobip gives up, losing every event in it. So a
batch is answered 200 with its readable events, and each item that cannot be read is in
``refused`` (its path, the problems by path and the item as sent) and logged by path (never
its contents), for the host to keep or look at; Infobip does not send it again.

Checked in this order, so an unauthenticated caller learns nothing about bodies beyond the
size limit, and no signature is computed over more than that. Every refusal carries an error
object (``type``, ``message``, ``details``) that names the problem and never a credential.
No bytes, headers or method make it answer 500: every path ends in one of the rows above.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import orjson

from ..definition.texts import utf16_length
from ..errors import ConfigurationError, ConnectorError, InputError
from ..safejson import encodes_as_utf8
from ..transport.secret import SecretStr, is_secret
from .age import DEFAULT_MAX_EVENT_AGE, stale
from .bodies import MAX_BODY_BYTES, BodyError, media_type, read_body
from .items import log_refused
from .recent import RecentKeys
from .runtime import TriggerRuntime
from .security import SIGNATURE_HEADERS, basic_ok, hmac_ok

if TYPE_CHECKING:
    from ..transport.secret import Secret

#: Headers whose repetition makes a request ambiguous (which one would be checked?).
_SINGLE = frozenset({"authorization", "content-type", *SIGNATURE_HEADERS})
#: The keys of the settings' JSON form (``WebhookSettings.from_values``).
_SETTINGS = ("basicAuth", "hmacSecret", "allowUnauthenticated", "maxBodyBytes", "maxEventAge")
#: The largest maximum event age: a year (a longer one bounds no replay worth the name).
_LONGEST_AGE = 366 * 24 * 3600.0
#: Every answer's body is JSON (``WebhookAnswer.http_body``).
_JSON = {"Content-Type": "application/json"}
#: The challenge a 401 carries, by whether Basic credentials are configured.
_CHALLENGE = {True: 'Basic realm="infobip-webhook"', False: 'HMAC realm="infobip-webhook"'}
#: The most results one body may hold: far above Infobip's batches, far below a window's size.
MAX_RESULTS = 10_000
#: Infobip's Subscriptions API limits a Basic username and password to 255 characters.
_MAX_CREDENTIAL = 255


@dataclass(frozen=True)
class WebhookRequest:
    """One HTTP request as a server received it: ``method``, ``headers``, the raw ``body``.

    ``headers`` may be any mapping whose ``items()`` gives each header once per occurrence
    (aiohttp's ``CIMultiDict`` does). ``body`` may also be text (UTF-8 is what is checked and
    signed).
    """

    method: str
    headers: Mapping[str, str]
    body: bytes

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.method, str):
            problems.append({"path": "request.method", "message": "must be text"})
        if not isinstance(self.headers, Mapping):
            problems.append({"path": "request.headers", "message": "must be a mapping"})
        elif not all(isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items()):
            problems.append({"path": "request.headers", "message": "names and values must be text"})
        body = self.body
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        elif isinstance(body, bytearray | memoryview):
            body = bytes(body)
        elif not isinstance(body, bytes):
            problems.append({"path": "request.body", "message": "must be bytes or text"})
        if problems:
            raise InputError(problems, "Not a webhook request: " + problems[0]["path"])
        object.__setattr__(self, "body", body)


@dataclass(frozen=True, repr=False)
class WebhookSettings:
    """How a webhook checks that a call is Infobip's, and how large a body may be.

    ``basic_auth`` (username, password) and ``hmac_secret`` are the security settings given
    to Infobip (Subscriptions API ``BASIC`` / ``HMAC``); with both, both must pass. With
    neither, ``allow_unauthenticated=True`` must say so (anyone could then start workflows).
    ``hmac_headers`` are the headers that may carry the signature. ``max_event_age``
    (seconds, default a week): an event whose own time (``receivedAt``, ``doneAt``, ...) is
    older is refused, not returned as new, which bounds replay (``age.py``). Secrets are kept
    as ``SecretStr``: a repr, log or error never shows them. Bad settings: ConfigurationError.
    """

    basic_auth: tuple[str, Secret] | None = None
    hmac_secret: Secret | None = None
    allow_unauthenticated: bool = False
    hmac_headers: tuple[str, ...] = SIGNATURE_HEADERS
    max_body_bytes: int = MAX_BODY_BYTES
    max_event_age: float = DEFAULT_MAX_EVENT_AGE

    def __post_init__(self) -> None:
        problems = []
        if self.basic_auth is not None:
            try:
                username, password = self.basic_auth
            except (TypeError, ValueError):
                username, password = None, None
            secret = _secret(password)
            if not _credential(username) or ":" in str(username):
                message = _text_expected(username, "1 to 255 characters, no ':'")
                problems.append({"path": "basicAuth.username", "message": message})
            if secret is None or not _credential(secret.get_secret_value()):
                message = _text_expected(password, "1 to 255 characters")
                problems.append({"path": "basicAuth.password", "message": message})
            else:
                object.__setattr__(self, "basic_auth", (username, secret))
        if self.hmac_secret is not None:
            secret = _secret(self.hmac_secret)
            if secret is None or not _credential(secret.get_secret_value(), 4096):
                message = _text_expected(self.hmac_secret, "1 to 4096 characters")
                problems.append({"path": "hmacSecret", "message": message})
            else:
                object.__setattr__(self, "hmac_secret", secret)
        if not isinstance(self.allow_unauthenticated, bool):
            problems.append({"path": "allowUnauthenticated", "message": "must be true or false"})
        elif (
            self.basic_auth is None
            and self.hmac_secret is None
            and self.allow_unauthenticated is not True
        ):
            problems.append(
                {
                    "path": "basicAuth",
                    "message": "give basicAuth or hmacSecret (as set at Infobip), or allow "
                    "unauthenticated calls explicitly",
                }
            )
        names = self.hmac_headers
        if not (
            isinstance(names, tuple) and names and all(isinstance(n, str) and n for n in names)
        ):
            problems.append({"path": "hmacHeaders", "message": "must be header names"})
        else:
            object.__setattr__(self, "hmac_headers", tuple(n.lower() for n in names))
        size = self.max_body_bytes
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 64 * 1024**2:
            problems.append({"path": "maxBodyBytes", "message": "must be 1 to 67108864"})
        age = self.max_event_age
        if (
            isinstance(age, bool)
            or not isinstance(age, int | float)
            or not 60 <= age <= _LONGEST_AGE
        ):
            message = f"must be seconds, 60 to {_LONGEST_AGE:.0f} (366 days)"
            problems.append({"path": "maxEventAge", "message": message})
        if problems:
            shown = "; ".join(f"{e['path']}: {e['message']}" for e in problems)
            raise ConfigurationError(problems, f"Unusable webhook settings: {shown}")

    def __repr__(self) -> str:
        basic = "(username, '**********')" if self.basic_auth else "None"
        secret = "'**********'" if self.hmac_secret else "None"
        return (
            f"WebhookSettings(basic_auth={basic}, hmac_secret={secret}, "
            f"allow_unauthenticated={self.allow_unauthenticated})"
        )

    @classmethod
    def from_values(cls, values: Any) -> WebhookSettings:
        """Settings from plain JSON data, as hosts receive them: ``basicAuth`` (``username``,
        ``password``), ``hmacSecret``, ``allowUnauthenticated``, ``maxBodyBytes``,
        ``maxEventAge``.

        A ``WebhookSettings`` is checked again, however it was made (constructed, copied,
        unpickled, changed with ``object.__setattr__``): what is checked is what is used, so
        settings that lost their credentials fail closed (ConfigurationError), never open.
        """
        if isinstance(values, WebhookSettings):
            return cls(
                basic_auth=getattr(values, "basic_auth", None),
                hmac_secret=getattr(values, "hmac_secret", None),
                allow_unauthenticated=getattr(values, "allow_unauthenticated", False),
                hmac_headers=getattr(values, "hmac_headers", None),  # type: ignore[arg-type]
                max_body_bytes=getattr(values, "max_body_bytes", None),  # type: ignore[arg-type]
                max_event_age=getattr(values, "max_event_age", None),  # type: ignore[arg-type]
            )
        if not isinstance(values, Mapping):
            raise ConfigurationError([{"path": "settings", "message": "must be an object"}])
        unknown = [name for name in values if name not in _SETTINGS]
        if unknown:
            expected = f"is not a webhook setting ({', '.join(_SETTINGS)})"
            raise ConfigurationError(
                [{"path": str(name)[:60], "message": expected} for name in unknown]
            )
        basic: Any = values.get("basicAuth")
        if basic is not None:
            if not isinstance(basic, Mapping):
                raise ConfigurationError(
                    [{"path": "basicAuth", "message": "must be {username, password}"}]
                )
            basic = (basic.get("username"), basic.get("password"))
        return cls(
            basic_auth=basic,
            hmac_secret=values.get("hmacSecret"),
            allow_unauthenticated=values.get("allowUnauthenticated", False),
            max_body_bytes=values.get("maxBodyBytes", MAX_BODY_BYTES),
            max_event_age=values.get("maxEventAge", DEFAULT_MAX_EVENT_AGE),
        )


def _secret(value: Any) -> Secret | None:
    if is_secret(value):
        return cast("Secret", value)
    return SecretStr(value) if isinstance(value, str) else None


def _text_expected(value: Any, rule: str) -> str:
    """What a credential must be, said of ``value`` (never quoted: it may be the secret)."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    return f"must be {rule}" if isinstance(value, str) else f"must be a string of {rule}"


def _credential(value: Any, longest: int = _MAX_CREDENTIAL) -> bool:
    # A lone surrogate could never be sent. Infobip counts characters in UTF-16 code units.
    return isinstance(value, str) and 1 <= utf16_length(value) <= longest and encodes_as_utf8(value)


@dataclass(frozen=True)
class WebhookAnswer:
    """What to answer: ``status``, the ``events`` (only with 200), an ``error`` object
    (``type``, ``message``, ``details``; ``details.errors`` names the part at fault by path
    for every refusal but 401) otherwise, and the response ``headers`` (``Content-Type``
    always; ``Allow`` with 405; ``WWW-Authenticate`` with 401). ``refused`` (only with 200)
    holds the items of the body that could not be read, each ``{"path": "results[i]",
    "errors": [{"path", "message"}], "item": <the item as sent>}``."""

    status: int
    events: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: The keys of ``events``, as admitted to the window ``seen`` (``release`` forgets them).
    keys: tuple[str, ...] = ()
    seen: RecentKeys | None = field(default=None, repr=False, compare=False)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def release(self) -> None:
        """Forget this answer's events in the repeat window, so that Infobip's retry of the
        same body returns them again. For a host that could not use them (its workflows did
        not start): call it, then answer Infobip 5xx instead of this answer."""
        if self.seen is not None:
            self.seen.release(self.keys)

    def http_body(self) -> bytes:
        """The JSON body to answer with: ``{"events": n}`` (and ``"refused": k`` when items
        were refused), or ``{"error": {...}}``."""
        if self.error is not None:
            return orjson.dumps({"error": self.error})
        if self.refused:
            return orjson.dumps({"events": len(self.events), "refused": len(self.refused)})
        return orjson.dumps({"events": len(self.events)})


def handle(
    trigger: TriggerRuntime,
    request: WebhookRequest,
    settings: WebhookSettings,
    seen: RecentKeys,
    *,
    now: float | None = None,
) -> WebhookAnswer:
    """The answer to one webhook call of ``trigger`` (see the table above); pure but for
    ``seen``, which remembers the keys of the events returned (``WebhookAnswer.release``
    forgets them again). Raises only for the host's own mistakes, never for what the request
    holds: a trigger without a webhook (InputError at ``trigger``), settings that are not
    usable as they are now (ConfigurationError: checked at use, so they fail closed).
    ``now`` (seconds since 1970; the clock when None) is what event ages are measured at."""
    source = trigger.trigger.webhook
    if source is None:  # the host's choice of trigger, not something the caller sent
        message = f"{trigger.name} has no webhook; it is polled"
        raise InputError([{"path": "trigger", "message": message}])
    settings = WebhookSettings.from_values(settings)
    if request.method.upper() != "POST":
        return _refuse(
            405, "input", "a webhook call is a POST", "request.method", headers={"Allow": "POST"}
        )
    if len(request.body) > settings.max_body_bytes:
        message = f"the body is larger than {settings.max_body_bytes} bytes"
        return _refuse(413, "input", message, "request.body")
    headers, repeated = _headers(request.headers)
    if repeated:
        message = f"the header {repeated} is given more than once"
        return _refuse(400, "input", message, f"request.headers.{repeated}")
    if not _authenticated(headers, request.body, settings):
        return _refuse(
            401,
            "authentication",
            "the call is not authenticated as Infobip's webhook: the Basic credentials or the "
            "HMAC signature are missing or wrong",
            None,
            # RFC 9110 15.5.2: a 401 names the scheme to authenticate with.
            headers={"WWW-Authenticate": _CHALLENGE[settings.basic_auth is not None]},
        )
    try:
        kind = media_type(headers.get("content-type"), list(source.contentTypes))
        body = read_body(request.body, kind, trigger.body, settings.max_body_bytes)
        batch = trigger.read(body)
    except BodyError as exc:
        return _refuse(exc.status, "input", exc.message, exc.path)
    except ConnectorError as exc:
        error = exc.to_dict()["error"]
        return WebhookAnswer(400, error=error, headers=dict(_JSON))
    events = batch.events
    if len(events) + len(batch.refused) > MAX_RESULTS:
        # Infobip batches a few hundred; a body this large would push every earlier key out
        # of the repeat window (Infobip's retries of them would then start workflows again).
        message = f"the body has more than {MAX_RESULTS} results"
        return _refuse(413, "input", message, "results")
    clock = time.time() if now is None else now
    old, late = stale(events, batch.positions, settings.max_event_age, clock)
    if old:
        events = [event for at, event in enumerate(events) if at not in old]
    refused = sorted([*batch.refused, *late], key=lambda item: _index(item["path"]))
    log_refused(f"{trigger.name} webhook", refused)
    keys = [trigger.key(event) for event in events]
    fresh = seen.admit(keys)
    kept = [(event, key) for event, key, new in zip(events, keys, fresh, strict=True) if new]
    return WebhookAnswer(
        200,
        [event for event, _ in kept],
        headers=dict(_JSON),
        keys=tuple(key for _, key in kept),
        seen=seen,
        refused=refused,
    )


def _index(path: str) -> int:
    """The index of ``results[i]``, for listing refusals in the body's order."""
    return int(path[len("results[") : -1])


def _headers(given: Mapping[str, str]) -> tuple[dict[str, str], str | None]:
    """Headers by lower-case name, and the first security-relevant one given twice."""
    headers: dict[str, str] = {}
    for name, value in given.items():
        lower = name.lower()
        if lower in headers and lower in _SINGLE:
            return headers, lower
        headers[lower] = value
    return headers, None


def _authenticated(headers: dict[str, str], body: bytes, settings: WebhookSettings) -> bool:
    # Fail closed: without a configured check, only an explicit True lets a call through.
    ok = settings.allow_unauthenticated is True or (
        settings.basic_auth is not None or settings.hmac_secret is not None
    )
    if settings.basic_auth is not None:
        username, password = settings.basic_auth
        ok &= basic_ok(headers, username, password.get_secret_value())
    if settings.hmac_secret is not None:
        ok &= hmac_ok(headers, body, settings.hmac_secret.get_secret_value(), settings.hmac_headers)
    return ok


def _refuse(
    status: int,
    kind: str,
    message: str,
    path: str | None,
    *,
    headers: dict[str, str] | None = None,
) -> WebhookAnswer:
    """A refusal whose ``details.errors`` names ``path`` (none for authentication: nothing
    about the request's parts is said to a caller that is not authenticated)."""
    details = {"errors": [{"path": path, "message": message}]} if path else {}
    error = {"type": kind, "message": message, "details": details}
    return WebhookAnswer(status, error=error, headers={**_JSON, **(headers or {})})
