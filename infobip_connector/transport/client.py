"""The one place that talks HTTP to Infobip: auth, timeouts, retries, error mapping, redaction.

Retry policy: a paid message must never be sent twice. A request is sent again only
when it provably was not processed — the connection could not be made (connect
error, connect or pool timeout) or Infobip answered 429. Every other failure after
the request may have left is reported as ``OutcomeUnknownError`` with the IDs to
check, never retried.
"""

from __future__ import annotations

import asyncio
import random
import socket
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

import httpx
import orjson

from .. import safejson
from .._version import __version__
from ..errors import (
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    UnreachableError,
)
from ..outcome import after_arrival, mark_interrupted, unknown
from ..redaction import HiddenStr, get_logger, redact, redact_data, scrub_answer, snippet
from . import deadline
from .connection import ConnectionSettings, checked_settings

log = get_logger("infobip_connector.client")

USER_AGENT = f"infobip-connector/{__version__}"
MAX_RETRY_AFTER = 30.0
BACKOFF_BASE = 0.5
BACKOFF_MAX = 8.0
#: The largest answer read: far above the 17 MB answer to 100,000 destinations, low enough
#: that a runaway answer is refused before it exhausts memory.
MAX_ANSWER_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class InfobipRequest:
    """What an executor asks for; ``reference`` holds the IDs to reconcile an unknown outcome."""

    method: str
    path: str
    body: Any = None
    reference: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, repr=False)
class Answer:
    """What one attempt got back: as much of an HTTP response as the policy below reads.

    Either transport's own response object would do, but building an ``httpx.Response``
    from aiohttp's answer costs more than the rest of the connector's work on a small send.
    """

    status_code: int
    headers: Mapping[str, str]  # case-insensitive: httpx's Headers or aiohttp's CIMultiDict
    content: bytes

    def json(self) -> Any:
        """The body as strict JSON; raises ``safejson.JsonError`` (a ValueError) otherwise."""
        return safejson.loads(self.content)

    def __repr__(self) -> str:
        # Not the body: it may echo the key, and frames holding an answer are shown by
        # ``repr`` in tracebacks rendered with ``capture_locals=True``.
        return f"Answer(status_code={self.status_code}, {len(self.content)} bytes)"

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


# Failures where the request provably never reached Infobip.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True, slots=True)
class _Failure:
    """A transport exception reduced to its class and masked text.

    The exception itself stays out of every frame of the send path: its text may quote
    the key, and its request object holds the Authorization header.
    """

    kind: type[Exception]
    text: str

    @classmethod
    def of(cls, exc: Exception) -> _Failure:
        return cls(type(exc), redact(str(exc)))


class _Retry(Exception):
    """Internal: wait ``delay`` seconds and try again."""

    def __init__(self, delay: float, final: ConnectorError) -> None:
        self.delay = delay
        self.final = final


class _Exchange:
    """One execution's request: encodes once, then judges each attempt's result."""

    def __init__(self, settings: ConnectionSettings, request: InfobipRequest) -> None:
        # The policy is applied here, where the key is used, whatever made ``settings``;
        # only what it checked is used below.
        settings = checked_settings(settings)
        self.settings = settings
        self.request = request
        self.url = _url(settings.base_url + request.path)
        self.content = None if request.body is None else orjson.dumps(request.body)
        self.headers = {
            # Masked in reprs: frames on the way to the socket hold this value.
            "Authorization": HiddenStr("App " + settings.token.get_secret_value()),
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        if self.content is not None:
            self.headers["Content-Type"] = "application/json"
        self.deadline = deadline.Deadline(settings.deadline)
        self.attempt = 0
        #: Whether an attempt may have reached Infobip and not provably failed to.
        self.maybe_sent = False

    def next_attempt(self) -> dict[str, Any]:
        """Keyword arguments of ``httpx.Client.request`` for the next attempt."""
        self.attempt += 1
        self.maybe_sent = True
        left = max(self.deadline.remaining(), 0.001)
        s = self.settings
        timeout = httpx.Timeout(
            connect=min(s.connect_timeout, left),
            read=min(s.read_timeout, left),
            write=min(s.read_timeout, left),
            pool=min(s.connect_timeout, left),
        )
        return {
            "method": self.request.method,
            "url": self.url,
            "content": self.content,
            "headers": self.headers,
            "timeout": timeout,
        }

    def judge(self, outcome: Answer | _Failure) -> Any:
        """The parsed body, or a ``_Retry`` with the delay to wait; raises when done failing.

        Called outside the ``except`` block on purpose: the errors raised here carry no
        chained transport exception, whose request object holds the Authorization header.
        """
        try:
            step = (
                self.after_response(outcome)
                if isinstance(outcome, Answer)
                else self.after_exception(outcome)
            )
        except ConnectorError:
            raise
        except Exception as exc:
            # A bug or an exhausted resource while reading an answer: it may have been
            # accepted, so the IDs must come out with the failure, never a bare crash.
            raise after_arrival(exc, self._where()) from None
        if isinstance(step, _Retry):
            # Retried only after a failure that proves nothing was processed.
            self.maybe_sent = False
            if step.delay < 0:
                raise step.final
            log.info("retrying in %.2fs: %s", step.delay, step.final.message)
        return step

    def _where(self) -> dict[str, Any]:
        return {"attempts": self.attempt, **self.request.reference}

    def _retry_or_fail(self, delay: float, final: ConnectorError) -> _Retry:
        if self.attempt >= self.settings.max_attempts or delay >= self.deadline.remaining():
            return _Retry(-1.0, final)
        return _Retry(delay, final)

    def after_exception(self, failure: _Failure) -> _Retry:
        """Map a transport failure: a retry when nothing was sent, else raise."""
        what = f"{failure.kind.__name__}: {failure.text or 'no detail'}"
        log.debug("%s %s attempt %d failed: %s", self.request.method, self.url, self.attempt, what)
        if issubclass(failure.kind, _NOT_SENT):
            final = UnreachableError(
                f"Could not connect to {self.settings.base_url} ({what}); nothing was sent.",
                self._where(),
            )
            return self._retry_or_fail(_backoff(self.attempt), final)
        if issubclass(failure.kind, httpx.UnsupportedProtocol | httpx.InvalidURL):
            raise ConfigurationError([{"path": "baseUrl", "message": what}]) from None
        raise unknown(f"The request failed in flight ({what})", self._where()) from None

    def after_response(self, response: Answer) -> Any:
        """The parsed body of a success; a retry for 429; else raise the mapped error."""
        status = response.status_code
        log.debug("%s %s attempt %d: HTTP %d", self.request.method, self.url, self.attempt, status)
        _warn_deprecation(response, self.request.path)
        if 200 <= status < 300:
            try:
                body = safejson.loads(response.content)
            except safejson.JsonError as exc:
                problem = str(exc)
            else:
                # An answer echoing the key must not carry it into the output.
                return scrub_answer(body, response.content, self.settings.token.get_secret_value())
            # Raised outside the except block: the parser's exception, chained as the
            # context, would carry the body (and a key it echoes) in its frames.
            raise self._unknown(
                f"Infobip answered HTTP {status} with a body that {problem}", response
            )
        if status == 429:
            wait = _retry_after(response.headers.get("Retry-After"))
            details = self._with_reasons(status, response)
            if wait is not None:
                details["retryAfter"] = wait
            final = RateLimitedError(
                "Infobip is rate limiting this account (HTTP 429) and the allowed attempts or "
                "time ran out; nothing was sent. Try again later or lower the sending rate.",
                details,
            )
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise final
            return self._retry_or_fail(_backoff(self.attempt) if wait is None else wait, final)
        if status in (401, 403):
            info = _infobip_error(response)
            raise AuthenticationError(
                f"Infobip refused the API key (HTTP {status}"
                f"{': ' + info['text'] if info.get('text') else ''}); nothing was sent. "
                "Check the token and that it may use this API.",
                {"status": status, **info},
            )
        if 400 <= status < 500 or 300 <= status < 400:
            info = _infobip_error(response)
            if 300 <= status < 400:
                info["text"] = redact(
                    f"redirect to {response.headers.get('Location', '?')}, not followed"
                )
            raise RejectedError(_rejected_message(status, info), {"status": status, **info})
        raise self._unknown(f"Infobip answered HTTP {status}", response)

    def _with_reasons(self, status: int, response: Answer) -> dict[str, Any]:
        """The IDs to reconcile at the top; Infobip's own error fields (its ``messageId`` is an
        error code, not ours) kept apart under ``infobip``."""
        details: dict[str, Any] = {**self._where(), "status": status}
        reasons = _infobip_error(response)
        if reasons:
            details["infobip"] = reasons
        return details

    def _unknown(self, what: str, response: Answer) -> OutcomeUnknownError:
        return unknown(what, self._with_reasons(response.status_code, response))


@lru_cache(maxsize=256)
def _url(text: str) -> httpx.URL:
    # Parsing a URL costs more than the rest of a small send; each one is parsed once.
    return httpx.URL(text)


def _backoff(attempt: int) -> float:
    # Full jitter keeps many workflows that failed together from retrying together.
    return random.uniform(0, min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (attempt - 1)))


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _infobip_error(response: Answer) -> dict[str, Any]:
    """Infobip's reasons from either error shape, as ``{messageId, text, violations}``."""
    try:
        body = response.json()
    except ValueError:
        text = snippet(response.text.strip(), 200)
        return {"text": text} if text else {}
    if not isinstance(body, dict):
        return {}
    info: dict[str, Any] = {}
    legacy = body.get("requestError")
    if isinstance(legacy, dict):
        exc = legacy.get("serviceException") or legacy.get("policyException") or {}
        if isinstance(exc, dict):
            info["messageId"] = _scalar(exc.get("messageId"))
            info["text"] = _scalar(exc.get("text"))
            errors = exc.get("validationErrors")
            if isinstance(errors, dict):
                info["violations"] = [
                    {"field": str(f), "message": _text(m)}
                    for f, msgs in errors.items()
                    for m in (msgs if isinstance(msgs, list) else [msgs])
                ]
    elif "errorCode" in body or "violations" in body:
        info["messageId"] = _scalar(body.get("errorCode"))
        info["text"] = _scalar(body.get("description"))
        if body.get("action"):
            info["action"] = _scalar(body.get("action"))
        violations = body.get("violations")
        if isinstance(violations, list):
            info["violations"] = [
                {"field": _text(v.get("property")), "message": _text(v.get("violation"))}
                for v in violations
                if isinstance(v, dict)
            ]
    cleaned: dict[str, Any] = redact_data(
        {k: v for k, v in info.items() if v not in (None, "", [])}
    )
    return cleaned


def _scalar(value: Any) -> str | int | float | None:
    """A field of Infobip's error as one plain value: its messages quote them.

    An answer may put anything there (a list nested a thousand deep, ``NaN`` from a
    lenient reader); only text and numbers are kept as they are.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool | int | float):
        return "" if value is None else str(value)
    return f"(a JSON {'object' if isinstance(value, dict) else 'list'})"


def _rejected_message(status: int, info: dict[str, Any]) -> str:
    head = f"Infobip rejected the request (HTTP {status}"
    head += f" {info['messageId']})" if info.get("messageId") else ")"
    if info.get("text"):
        head += f": {info['text']}"
    fields = "; ".join(f"{v['field']}: {v['message']}" for v in info.get("violations", [])[:5])
    return f"{head}{' — ' + fields if fields else ''}. Nothing was sent."


_deprecations_seen: set[tuple[str, str]] = set()


def _warn_deprecation(response: Answer, path: str) -> None:
    for header in ("Deprecation", "Sunset"):
        value = response.headers.get(header)
        if value and (path, header) not in _deprecations_seen:
            _deprecations_seen.add((path, header))
            log.warning("Infobip marks %s as deprecated (%s: %s)", path, header, value)


# ---------------------------------------------------------------- pooled transports
#
# Attempts go straight to an httpx transport rather than through an httpx.Client: a client
# would add a cookie jar (one pooled connection serves many accounts, so a cookie from one
# answer must never ride along with another's request), redirect handling (never wanted:
# the key must not travel to wherever a redirect points) and header merging, which cost
# more than the rest of a small send. Nothing the client adds is wanted here.

_pool_lock = threading.Lock()
_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=100, keepalive_expiry=5.0)
# Small requests go out in one segment instead of waiting for the server's delayed ACK.
_SOCKET_OPTIONS = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
_sync_transport: httpx.HTTPTransport | None = None


def _pooled_transport() -> httpx.HTTPTransport:
    global _sync_transport
    with _pool_lock:
        if _sync_transport is None:
            _sync_transport = deadline.bounded_transport(
                limits=_LIMITS, trust_env=False, socket_options=_SOCKET_OPTIONS
            )
        return _sync_transport


def _httpx_request(attempt: dict[str, Any]) -> httpx.Request:
    return httpx.Request(
        attempt["method"],
        attempt["url"],
        content=attempt["content"],
        headers=attempt["headers"],
        extensions={"timeout": attempt["timeout"].as_dict()},
    )


class AnswerTooLarge(httpx.ReadError):
    """The answer grew past ``MAX_ANSWER_BYTES``; reading stopped (the outcome is unknown)."""


class AnswerBody:
    """An answer's bytes, collected chunk by chunk and refused past ``MAX_ANSWER_BYTES``.

    An answer, like any untrusted input, is bounded before it can exhaust memory; the
    failure is then one of the transport, mapped like a dropped connection.
    """

    __slots__ = ("_chunks", "_size")

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > MAX_ANSWER_BYTES:
            raise AnswerTooLarge(f"the answer is larger than {MAX_ANSWER_BYTES >> 20} MiB")
        self._chunks.append(chunk)

    def content(self) -> bytes:
        return self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)


def _attempt(
    transport: httpx.BaseTransport, attempt: dict[str, Any], limit: deadline.Deadline
) -> Answer:
    body = AnswerBody()
    with deadline.Active(limit):
        response = transport.handle_request(_httpx_request(attempt))
        try:
            for chunk in response.iter_bytes():
                body.add(chunk)
                limit.check()  # a caller's transport is not bounded by deadline.Active
        finally:
            response.close()
    return Answer(response.status_code, response.headers, body.content())


async def _attempt_async(
    transport: httpx.AsyncBaseTransport, attempt: dict[str, Any], limit: deadline.Deadline
) -> Answer:
    try:
        async with asyncio.timeout(max(limit.remaining(), 0.001)):
            response = await transport.handle_async_request(_httpx_request(attempt))
            body = AnswerBody()
            try:
                async for chunk in response.aiter_bytes():
                    body.add(chunk)
            finally:
                await response.aclose()
    except TimeoutError:
        raise httpx.ReadTimeout("the execution deadline passed") from None
    return Answer(response.status_code, response.headers, body.content())


def close_pooled_clients() -> None:
    """Close the pooled synchronous connections (async ones: ``aclose_pooled_clients``)."""
    global _sync_transport
    with _pool_lock:
        transport, _sync_transport = _sync_transport, None
    if transport is not None:
        transport.close()


async def aclose_pooled_clients() -> None:
    """Close the pooled async connections of the running event loop."""
    # Nothing is pooled unless an async send has loaded the module; do not import aiohttp.
    aiohttp_sender = sys.modules.get(f"{__package__}.aiohttp_sender")
    if aiohttp_sender is not None:
        await aiohttp_sender.close_sessions()


# ---------------------------------------------------------------- sending


def send(
    settings: ConnectionSettings,
    request: InfobipRequest,
    transport: httpx.BaseTransport | None = None,
) -> Any:
    """Send ``request`` and return Infobip's parsed JSON body, or raise a ConnectorError.

    Ends by ``settings.deadline``. A ``KeyboardInterrupt`` while the request may have
    arrived propagates with the IDs attached (see ``outcome.mark_interrupted``).
    """
    carrier = transport if transport is not None else _pooled_transport()
    exchange = _Exchange(settings, request)
    try:
        while True:
            try:
                attempt = exchange.next_attempt()
                outcome: Answer | _Failure = _attempt(carrier, attempt, exchange.deadline)
            except Exception as exc:
                outcome = _Failure.of(exc)
            step = exchange.judge(outcome)
            if not isinstance(step, _Retry):
                return step
            time.sleep(step.delay)
    except BaseException as exc:
        _interrupted(exc, exchange)
        raise


async def send_async(
    settings: ConnectionSettings,
    request: InfobipRequest,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Any:
    """The async twin of :func:`send`; without a transport it sends over aiohttp.

    Cancellation propagates as usual, with the IDs attached when the request may have arrived.
    """
    exchange = _Exchange(settings, request)
    try:
        while True:
            attempt = exchange.next_attempt()
            try:
                if transport is None:
                    # Imported on first use: aiohttp takes a while to import.
                    from . import aiohttp_sender

                    left = max(exchange.deadline.remaining(), 0.001)
                    outcome: Answer | _Failure = await aiohttp_sender.request(
                        **attempt, deadline=left
                    )
                else:
                    outcome = await _attempt_async(transport, attempt, exchange.deadline)
            except Exception as exc:
                outcome = _Failure.of(exc)
            step = exchange.judge(outcome)
            if not isinstance(step, _Retry):
                return step
            await asyncio.sleep(step.delay)
    except BaseException as exc:
        _interrupted(exc, exchange)
        raise


def _interrupted(exc: BaseException, exchange: _Exchange) -> None:
    # Errors (Exception) are the connector's own by now; what is left is an interruption
    # (CancelledError, KeyboardInterrupt, SystemExit), which must keep propagating.
    if not isinstance(exc, Exception) and exchange.maybe_sent:
        mark_interrupted(exc, exchange.request.reference)
