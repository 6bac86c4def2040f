"""The emulated account: authentication, routing and the request record (accepting the
messages of a send is ``sending.py``'s).

``Sandbox.handle`` turns one HTTP request into a ``Reply``; the transport and the server only
carry bytes and act out the reply's delay and drop. No I/O happens here apart from handing
delivery reports to their dispatcher.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from . import jsonbody, templates, wire
from .events import EventDesk
from .faults import FAULT_KINDS, Drop, Fault, FaultKind, FaultPlan
from .idempotency import DEFAULT_GRACE_PERIOD, MessageIds
from .ledger import SmsLedger
from .masking import recorded_body, shown_url
from .people import People
from .reports import (
    DeliveryReportRecord,
    ReportDispatcher,
)
from .routes import Answer, Request, parse_query, resolve
from .sending import AcceptedMessage, Sending
from .subscriptions import SubscriptionBook
from .table import ROUTES

if TYPE_CHECKING:
    from .transport import SandboxTransport

# Bodies larger than this are refused with 413 (a 100,000-destination bulk is about 5 MB).
MAX_BODY_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the sandbox saw it. The Authorization value is redacted to ``App ***``."""

    method: str
    path: str
    headers: httpx.Headers
    body: Any
    received_at: float
    outcome: str
    status: int | None = None


@dataclass(frozen=True)
class Reply:
    """What to answer; ``delay`` and ``drop`` are acted out by whoever carries the bytes."""

    status: int
    headers: dict[str, str]
    body: bytes
    delay: float = 0.0
    drop: Drop | None = None


def _as_bytes(text: str) -> bytes:
    # A server decodes header bytes that are not UTF-8 into lone surrogates; keep them visible
    # as escapes rather than fail on them.
    return text.encode("utf-8", "backslashreplace")


def _headers(headers: Mapping[str, str]) -> httpx.Headers:
    """The headers as httpx keeps them; values outside ASCII (which httpx would refuse as
    text) are passed as their UTF-8 bytes."""
    return httpx.Headers([(_as_bytes(name), _as_bytes(value)) for name, value in headers.items()])


#: Headers whose values are credentials: shown as their scheme, when it is one of
#: ``_SCHEMES`` (``App ***``), else as ``***``.
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
_SCHEMES = frozenset({"app", "basic", "bearer", "digest", "ibsso"})


def _redact(headers: Mapping[str, str]) -> httpx.Headers:
    """The headers as a record shows them: credentials masked, and URL passwords in others."""
    shown: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in _CREDENTIAL_HEADERS:
            scheme, space, _ = value.partition(" ")
            value = f"{scheme} ***" if space and scheme.lower() in _SCHEMES else "***"
        shown[name] = shown_url(value)
    return _headers(shown)


class Sandbox(People, Sending):
    """An in-memory Infobip account that accepts SMS and WhatsApp text messages."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        deliver_reports: bool = True,
        report_delay: float = 0.2,
        clock: Callable[[], float] = time.time,
        idempotent_sending: bool = False,
        grace_period: float = DEFAULT_GRACE_PERIOD,
    ) -> None:
        """``clock`` gives the time in epoch seconds; scheduled bulks are sent when it
        passes their ``sendAt`` (tests pass a clock they move). ``idempotent_sending`` and
        ``grace_period`` (seconds) emulate the account setting: see
        :meth:`set_idempotent_sending`."""
        self._api_key = api_key
        self._lock = threading.Lock()
        self._reports = ReportDispatcher(enabled=deliver_reports, delay=report_delay)
        self._plan = FaultPlan()
        self._requests: list[RecordedRequest] = []
        self._counts: Counter[str] = Counter()
        self._message_ids = MessageIds(clock)
        self._message_ids.configure(idempotent_sending, grace_period)
        self._made_with = (idempotent_sending, grace_period)
        self._accepted: list[AcceptedMessage] = []
        self.ledger = SmsLedger(clock)
        self._templates: dict[str, list[templates.Template]] = {}
        self.subscriptions = SubscriptionBook()
        self.desk = EventDesk(self._reports, self.subscriptions)

    @property
    def api_key(self) -> str | None:
        """The only key accepted, or None when any key is."""
        return self._api_key

    def __repr__(self) -> str:
        # The key is deliberately absent.
        return f"Sandbox(requests={len(self._requests)}, accepted={len(self._message_ids)})"

    # -- configuration -----------------------------------------------------------------------

    def script(self, method: str, path: str, *faults: Fault) -> None:
        """Queue faults for requests to ``method path`` (``"*"`` matches any), used in order."""
        with self._lock:
            self._plan.script(method, path, faults)

    def fault_rate(
        self,
        rate: float,
        seed: int = 0,
        kinds: Collection[FaultKind] = FAULT_KINDS,
        *,
        paths: Collection[str] | None = None,
    ) -> None:
        """Answer a seeded-random fraction of requests (optionally only to ``paths``) with a
        random fault of ``kinds``: 500, 503, 429 with Retry-After 0, a dropped connection, or
        a 500 after the message was accepted. ``rate=0`` turns it off."""
        with self._lock:
            self._plan.set_rate(rate, seed, kinds, paths)

    def set_idempotent_sending(
        self, enabled: bool, grace_period: float = DEFAULT_GRACE_PERIOD
    ) -> None:
        """Emulate Infobip's idempotent message sending for this account, on or off.

        Off (the default, as at Infobip until it is enabled): a messageId used before is sent
        again as a new message. On: a messageId accepted less than ``grace_period`` seconds
        ago (by the sandbox's clock) is answered ``REJECTED_DUPLICATE_MESSAGE_ID`` and not
        sent. :meth:`reset` restores the setting the sandbox was made with.
        """
        with self._lock:
            self._message_ids.configure(enabled, grace_period)

    @property
    def idempotent_sending(self) -> bool:
        return self._message_ids.idempotent

    def transport(self) -> SandboxTransport:
        from .transport import SandboxTransport

        return SandboxTransport(self)

    def reset(self) -> None:
        """Forget requests, accepted messages, queued faults, the fault rate and reports, and
        set idempotent sending back to how the sandbox was made."""
        with self._lock:
            self._message_ids.configure(*self._made_with)
            self._plan = FaultPlan()
            self._requests.clear()
            self._counts.clear()
            self._message_ids.clear()
            self._accepted.clear()
            self.ledger.clear()
            self._templates.clear()
            self.desk.clear()
        self._reports.reset()

    # -- what happened -----------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def request_counts(self) -> Counter[str]:
        """Requests received per path (query strings left out)."""
        with self._lock:
            return Counter(self._counts)

    @property
    def accepted_message_ids(self) -> set[str]:
        with self._lock:
            return self._message_ids.ids()

    @property
    def accepted_messages(self) -> list[AcceptedMessage]:
        """Every message accepted to be sent, in order: what the account delivered. A
        messageId sent again while idempotent sending is off is listed again."""
        with self._lock:
            return list(self._accepted)

    @property
    def pending_faults(self) -> int:
        with self._lock:
            return self._plan.pending()

    @property
    def reports(self) -> list[DeliveryReportRecord]:
        return self._reports.records

    def wait_for_reports(self, timeout: float = 5.0) -> bool:
        """Block until every scheduled delivery report has been attempted."""
        return self._reports.wait(timeout)

    # -- handling ------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one request. ``target`` is the request path, optionally with a query string."""
        received_at = time.time()
        method = method.upper()
        path = urlsplit(target).path or "/"
        parsed, is_json = jsonbody.parse(body) if len(body) <= MAX_BODY_BYTES else (None, False)
        with self._lock:
            self._counts[path] += 1
            fault = self._plan.next_fault(method, path)
            answer = Answer(500, None, "")
            if fault is None or fault.process:
                answer = self._answer(method, target, headers, body, parsed if is_json else None)
            if fault is not None:
                answer = _apply(fault, answer)
            unanswered = fault is not None and fault.drop in ("before_response", "hang")
            self._requests.append(
                RecordedRequest(
                    method,
                    shown_url(path),
                    _redact(headers),
                    recorded_body(body, parsed, is_json),
                    received_at,
                    answer.outcome,
                    None if unanswered else answer.status,
                )
            )
        raw, content_type = _serialize(answer.body)
        reply_headers = {"Content-Type": content_type} if content_type else {}
        reply_headers.update(answer.headers)
        if fault is None:
            return Reply(answer.status, reply_headers, raw)
        return Reply(answer.status, reply_headers, raw, fault.delay, fault.drop)

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        value = _headers(headers).get("authorization", "")
        scheme, _, key = value.partition(" ")
        key = key.strip()
        if scheme != "App" or not key:
            return False
        if self._api_key is None:
            return True
        return hmac.compare_digest(_as_bytes(key), _as_bytes(self._api_key))

    def _answer(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes, parsed: Any
    ) -> Answer:
        parts = urlsplit(target)
        path = parts.path or "/"
        found = resolve(ROUTES, method, path)
        if found.route is None:
            if not found.allowed:
                return Answer(404, wire.error_body(404), "not_found")
            allow = ", ".join(found.allowed)
            return Answer(405, wire.error_body(405), "method_not_allowed", {"Allow": allow})
        if not self._authorized(headers):
            return Answer(401, wire.error_body(401), "unauthorized")
        if found.route.body:
            if len(body) > MAX_BODY_BYTES:
                return Answer(413, wire.error_body(413), "too_large")
            content_type = _headers(headers).get("content-type")
            if body and not jsonbody.is_json_media_type(content_type):
                return Answer(415, wire.error_body(415), "unsupported_media_type")
            if not isinstance(parsed, dict):
                return Answer(400, wire.error_body(400), "bad_request")
        shown = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        request = Request(method, path, found.params, parse_query(parts.query), shown, parsed)
        self.ledger.advance()
        return found.route.handler(self, request)

    # -- state the handlers share -------------------------------------------------------------

    def templates_of(self, sender: str) -> list[templates.Template]:
        """The approved WhatsApp templates of ``sender``: the seeded ones (none for
        ``templates.NO_TEMPLATES_SENDER``), then any added."""
        seeded = () if sender == templates.NO_TEMPLATES_SENDER else templates.SEEDED
        return self._templates.setdefault(sender, list(seeded))

    def add_template(self, sender: str, template: templates.Template) -> None:
        """Approve one more template for ``sender`` (it is listed and can be sent)."""
        with self._lock:
            self.templates_of(sender).append(template)


def _apply(fault: Fault, answer: Answer) -> Answer:
    """The answer as the fault changes it; a processed request keeps its outcome in the log."""
    status, body, headers = answer.status, answer.body, answer.headers
    if fault.replaced_status is not None:
        status = fault.replaced_status
        body = fault.body if fault.body is not None else wire.error_body(status)
        headers = {}
    outcome = f"{answer.outcome} + {fault.describe()}" if answer.outcome else fault.describe()
    return Answer(status, body, outcome, {**headers, **fault.headers})


def _serialize(payload: Any) -> tuple[bytes, str | None]:
    if payload is None:
        return b"", None
    if isinstance(payload, bytes):
        return payload, "application/octet-stream"
    if isinstance(payload, str):
        return payload.encode("utf-8"), "text/plain; charset=utf-8"
    return wire.encode(payload), wire.JSON_TYPE
