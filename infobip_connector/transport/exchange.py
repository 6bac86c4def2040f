"""One request's exchange with Infobip: each attempt judged, retried, or mapped to an error.

``client.py`` runs the attempts (sync and async); an :class:`_Exchange` encodes the request
once and decides after each what comes next: the parsed body, a retry after a delay, or the
connector's error (auth, rejection, rate limit, an unknown outcome with the IDs to check).

Retry policy, by the action's kind (``InfobipRequest.kind``): a paid message must never be
sent twice, and an item Infobip hands out once must not be fetched twice. So a ``send`` or
``consume`` request is sent again only when it provably was not processed — the
connection could not be made (connect error, connect or pool timeout) or Infobip answered
429; every other failure after the request may have left is reported as
``OutcomeUnknownError`` with the IDs to check, never retried. A ``read`` changes nothing,
so it is also retried after an ambiguous failure (a timeout after sending, a dropped
connection, a 5xx answer), within the attempts and the deadline; so is a ``remove`` (a
repeat finds the item gone).

With the connection option ``idempotentSending`` (Infobip's idempotent message sending
enabled for the account), a send that names its messageIds is retried after an ambiguous
failure too, with the same bytes: Infobip rejects an ID it already accepted instead of
sending it again. What that changes is in ``idempotent.py``.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpx

from .. import digits, safejson
from ..errors import (
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    UnreachableError,
)
from ..gcpause import hold_until_output
from ..outcome import advice, after_arrival, unknown
from ..redaction import get_logger, redact, scrub_answer, snippet
from ..request import BODILESS, InfobipRequest
from . import deadline, idempotent
from .answers import Answer, infobip_error, rejected_message, retry_after, warn_deprecation
from .connection import ConnectionSettings, checked_settings
from .plan import plan_for
from .requestbody import encode_body
from .target import request_target, shown_location, shown_target, without_query_values

log = get_logger("infobip_connector.client")

MAX_RETRY_AFTER = 30.0
BACKOFF_BASE = 0.5
BACKOFF_MAX = 8.0


# Failures where the request provably never reached Infobip.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Kinds repeated after an ambiguous failure too: doing them twice does no harm.
_REPEATABLE = frozenset({"read", "remove"})


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
        target = request_target(request.path, request.path_params, request.query)
        self.url = _url(settings.base_url + target)
        self.shown_host, self._target = settings.base_url, target
        # The transport answering in this process, by the name logs give it (answered_by).
        self._log_name: str | None = None
        #: Who errors say answered: Infobip, or the emulator answering in this process.
        self.answerer = "Infobip"
        # A GET (HEAD, DELETE) never carries a body, whatever an executor gave.
        bodiless = request.body is None or request.method.upper() in BODILESS
        self.content: bytes | None = None
        #: The secrets the body carries (a webhook's credentials): masked like the key.
        self.carried: tuple[str, ...] = ()
        if not bodiless:
            self.content, self.carried = encode_body(request.body)
        #: Made once per connection: headers (the key's value masked in reprs) and timeouts.
        self.plan = plan_for(settings)
        self.headers = self.plan.headers if self.content is None else self.plan.body_headers
        self.deadline = deadline.Deadline(settings.deadline)
        self.attempt = 0
        #: Whether an attempt may have reached Infobip and not provably failed to.
        self.maybe_sent = False
        #: Whether the request is repeated after an ambiguous failure (idempotent sending).
        self.repeats_sends = idempotent.retries_sends(settings, request)
        #: Whether an earlier attempt ended ambiguously: it may have been accepted.
        self.uncertain = False

    def answered_by(self, carrier: object) -> None:
        """Name a transport that answers in this process (the sandbox's ``log_name``) in logs
        and errors instead of the base URL and of Infobip: nothing goes to either then."""
        name = getattr(carrier, "log_name", None)
        if isinstance(name, str):
            self._log_name = name
            self.shown_host = f"the {name}"
            # Its refusals are the emulator's, never Infobip's: "The sandbox rejected ...".
            self.answerer = f"The {name}"

    def next_attempt(self, *, tells_connected: bool = False) -> dict[str, Any]:
        """Keyword arguments of ``httpx.Client.request`` for the next attempt.

        ``tells_connected``: the attempt's sender calls :meth:`connected` once it holds a
        connection (the pooled aiohttp path); nothing of it is written before, so until
        then only an earlier ambiguous attempt may have reached Infobip. Other senders
        tell nothing: their attempt may reach Infobip from its start.
        """
        self.attempt += 1
        self.maybe_sent = self.uncertain if tells_connected else True
        left = max(self.deadline.remaining(), 0.001)
        plan = self.plan
        timeout = plan.timeout if left >= plan.longest else plan.timeout_within(left)
        return {
            "method": self.request.method,
            "url": self.url,
            "content": self.content,
            "headers": self.headers,
            "timeout": timeout,
        }

    def connected(self) -> None:
        """The attempt holds a connection: from now on it may reach Infobip."""
        self.maybe_sent = True

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
        except ConnectorError as error:
            if self.uncertain:
                raise idempotent.still_unknown(error, self._where()) from None
            raise
        except Exception as exc:
            # A bug or an exhausted resource while reading an answer: it may have been
            # accepted, so the IDs must come out with the failure, never a bare crash.
            raise after_arrival(exc, self._where(), self.request.kind) from None
        if isinstance(step, _Retry):
            # Retried after a failure that proves nothing was processed, on a read, or on a
            # send Infobip deduplicates: then an earlier attempt may still have arrived.
            self.maybe_sent = self.uncertain
            if step.delay < 0:
                if self.uncertain:
                    raise idempotent.still_unknown(step.final, self._where())
                raise step.final
            log.info("retrying in %.2fs: %s", step.delay, step.final.message)
        return step

    def _where(self) -> dict[str, Any]:
        return {"attempts": self.attempt, **self.request.reference}

    def _retry_or_fail(self, delay: float, final: ConnectorError) -> _Retry:
        if self.attempt >= self.settings.max_attempts or delay >= self.deadline.remaining():
            return _Retry(-1.0, final)
        return _Retry(delay, final)

    def _shown(self) -> object:
        """Where log lines say the request goes: the URL, or the in-process transport's
        name and the target, each query value left out (``shown_target``), as a filter may
        be a recipient's number. Made only for a line that is written."""
        target = shown_target(self._target) if self.request.query else self._target
        if self._log_name is not None:
            return f"{self._log_name}:{target}"
        return self.shown_host + target if self.request.query else self.url

    def _quoted(self, text: str) -> str:
        """A failure's words as errors and log lines quote them (``without_query_values``)."""
        return without_query_values(text, self._target, self.request.query)

    def after_exception(self, failure: _Failure) -> _Retry:
        """Map a transport failure: a retry when nothing was sent, else raise."""
        what = f"{failure.kind.__name__}: {self._quoted(failure.text) or 'no detail'}"
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s attempt %d failed: %s",
                self.request.method,
                self._shown(),
                self.attempt,
                what,
            )
        if issubclass(failure.kind, _NOT_SENT):
            final = UnreachableError(
                f"Could not connect to {self.shown_host} ({what}); nothing was sent.",
                self._where(),
            )
            return self._retry_or_fail(_backoff(self.attempt), final)
        if issubclass(failure.kind, httpx.UnsupportedProtocol | httpx.InvalidURL):
            raise ConfigurationError([{"path": "baseUrl", "message": what}]) from None
        if self.request.kind in _REPEATABLE:
            return self._retry_read(f"The request failed in flight ({what})")
        if self.repeats_sends:
            return self._retry_send(f"The request failed in flight ({what})")
        raise unknown(
            f"The request failed in flight ({what})", self._where(), kind=self.request.kind
        ) from None

    def after_response(self, response: Answer) -> Any:
        """The parsed body of a success; a retry for 429; else raise the mapped error."""
        status = response.status_code
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s attempt %d: HTTP %d",
                self.request.method,
                self._shown(),
                self.attempt,
                status,
            )
        warn_deprecation(response, self.request.path)
        if 200 <= status < 300:
            if len(response.content) >= safejson.PAUSE_FROM:
                hold_until_output()
            # A send's answer is read by orjson alone (its whole numbers past 64 bits become
            # floats), every other answer keeps every digit; the action's output check or its
            # accounting has a send's answer read again, with digits, where it finds a number
            # orjson may have misread (``digits.py`` says why). A lone surrogate in one item is
            # read as U+FFFD (and logged), so that one message cannot cost a consumed batch.
            send = self.request.kind == "send"
            try:
                if send:
                    body, exact = safejson.loads_send_answer(response.content)
                else:
                    body, _ = safejson.loads_answer(response.content)
            except safejson.JsonError as exc:
                problem = str(exc)
            else:
                body = self._as_output(body, response.content)
                if send and not exact:
                    digits.hold(body, self._with_digits, response.content)
                return body
            # Raised outside the except block: the parser's exception, chained as the
            # context, would carry the body (and a key it echoes) in its frames.
            what = f"{self.answerer} answered HTTP {status} with a body that {problem}"
            if self.repeats_sends:
                return self._retry_send(what, response)
            raise self._unknown(what, response)
        if status == 429:
            wait = retry_after(response.headers.get("Retry-After"))
            details = self._with_reasons(status, response)
            if wait is not None:
                details["retryAfter"] = wait
            final = RateLimitedError(
                f"{self.answerer} is rate limiting this account (HTTP 429) and the allowed "
                "attempts or time ran out; nothing was sent. Try again later or lower the "
                "sending rate.",
                details,
            )
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise final
            return self._retry_or_fail(_backoff(self.attempt) if wait is None else wait, final)
        if status in (401, 403):
            info = infobip_error(response)
            raise AuthenticationError(
                f"{self.answerer} refused the API key (HTTP {status}"
                f"{': ' + str(info['text']) if 'text' in info else ''}); nothing was sent. "
                "Check the token and that it may use this API.",
                {"status": status, **info},
            )
        if 400 <= status < 500 or 300 <= status < 400:
            info = infobip_error(response)
            if 300 <= status < 400:
                # A redirect to the same target elsewhere repeats the query's values.
                location = response.headers.get("Location")
                shown = shown_location(location, self.request.query) if location else "?"
                location = snippet(shown, 200)
                info["text"] = f"redirect to {location}, not followed"
            raise RejectedError(
                rejected_message(status, info, self.answerer), {"status": status, **info}
            )
        if self.request.kind in _REPEATABLE and status >= 500:
            return self._retry_read(f"{self.answerer} answered HTTP {status}", response)
        if self.repeats_sends and status >= 500:
            return self._retry_send(f"{self.answerer} answered HTTP {status}", response)
        raise self._unknown(f"{self.answerer} answered HTTP {status}", response)

    def _as_output(self, body: Any, content: bytes, *, warn: bool = True) -> Any:
        """``body`` (read from ``content``) with no secret in it, and with the messages an
        earlier attempt or execution may have sent confirmed. ``warn``: log what was left
        out (false when the same answer is read again)."""
        # An answer echoing the key must not carry it into the output.
        for secret in (self.settings.token.get_secret_value(), *self.carried):
            body = scrub_answer(body, content, secret, self.request.reference)
        if self.request.kind == "send" and type(body) is dict and idempotent.CONFIRMED in body:
            # The connector's own finding (below), never Infobip's to give: a list there
            # would report messages accepted that nothing confirmed. (Another kind's output
            # declares no such member: the shaping drops it.)
            body = {key: value for key, value in body.items() if key != idempotent.CONFIRMED}
            if warn:
                log.warning(
                    "%s's answer held %s, which only the connector fills; it was left out",
                    self.answerer,
                    idempotent.CONFIRMED,
                )
        if self.uncertain:
            body = idempotent.confirm_earlier(body, idempotent.sent_ids(self.request))
        elif self.request.confirmable and self.settings.idempotent_sending:
            body = idempotent.confirm_earlier(
                body, self.request.confirmable, by=idempotent.EARLIER_EXECUTION
            )
        return body

    def _with_digits(self, content: bytes) -> Any:
        """The answer ``content`` read again keeping every digit, as :meth:`_as_output`
        hands it out (raises ``safejson.JsonError`` as the first read would have). The
        first read told of the characters it replaced; a number kept as text (one too small
        for a double, which that read took for 0.0) is told here."""
        body, _ = safejson.loads_answer(content, warn=False, warn_ranged=True)
        return self._as_output(body, content, warn=False)

    def _retry_read(self, what: str, response: Answer | None = None) -> _Retry:
        """A read or removal after an ambiguous failure: tried again while attempts and time
        last."""
        final = UnreachableError(
            f"{what}, after {self.attempt} attempt(s). {advice(self.request.kind)}",
            self._details(response),
        )
        return self._retry_or_fail(_backoff(self.attempt), final)

    def _retry_send(self, what: str, response: Answer | None = None) -> _Retry:
        """A send Infobip deduplicates, after an ambiguous failure: the same bytes again."""
        self.uncertain = True
        log.info("%s; the send is repeated with the same messageIds", what)
        final = idempotent.exhausted(what, self._details(response), self.attempt)
        return self._retry_or_fail(_backoff(self.attempt), final)

    def _details(self, response: Answer | None) -> dict[str, Any]:
        if response is None:
            return self._where()
        return self._with_reasons(response.status_code, response)

    def _with_reasons(self, status: int, response: Answer) -> dict[str, Any]:
        """The IDs to reconcile at the top; Infobip's own error fields (its ``messageId`` is an
        error code, not ours) kept apart under ``infobip``."""
        details: dict[str, Any] = {**self._where(), "status": status}
        reasons = infobip_error(response)
        if reasons:
            details["infobip"] = reasons
        return details

    def _unknown(self, what: str, response: Answer) -> OutcomeUnknownError:
        return unknown(
            what, self._with_reasons(response.status_code, response), kind=self.request.kind
        )


@lru_cache(maxsize=256)
def _url(text: str) -> httpx.URL:
    # Parsing a URL costs more than the rest of a small send; each one is parsed once.
    return httpx.URL(text)


def _backoff(attempt: int) -> float:
    # Full jitter keeps many workflows that failed together from retrying together.
    return random.uniform(0, min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (attempt - 1)))
