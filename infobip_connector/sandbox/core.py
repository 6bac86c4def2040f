"""The emulated account: authentication, routing, message acceptance and the request record.

``Sandbox.handle`` turns one HTTP request into a ``Reply``; the transport and the server only
carry bytes and act out the reply's delay and drop. No I/O happens here apart from handing
delivery reports to their dispatcher.
"""

from __future__ import annotations

import hmac
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import httpx

from . import jsonbody, wire
from .faults import FAULT_KINDS, Drop, Fault, FaultKind, FaultPlan
from .reports import (
    DeliveryReportRecord,
    ReportDispatcher,
    sms_report_body,
    whatsapp_report_body,
)
from .segments import sms_count
from .validation import SMS_REQUEST, WHATSAPP_TEXT_REQUEST, validate

if TYPE_CHECKING:
    from .transport import SandboxTransport

SMS_PATH = "/sms/2/text/advanced"
WHATSAPP_TEXT_PATH = "/whatsapp/1/message/text"
BALANCE_PATH = "/account/1/balance"
_ROUTES: dict[str, str] = {SMS_PATH: "POST", WHATSAPP_TEXT_PATH: "POST", BALANCE_PATH: "GET"}
_BULK_ID_LIMIT = 100
# Bodies larger than this are refused with 413 (a 100,000-destination bulk is about 5 MB).
MAX_BODY_BYTES = 64 * 1024 * 1024
# Destinations that behave like numbers a trial account has not registered: the North American
# range NXX-555-0100..0199, reserved for fictional use in every area code (NANPA) and valid for
# libphonenumber, so a request the connector accepts can reach the rejection; and, for requests
# made by hand, anything starting with 999.
NOT_REGISTERED = re.compile(r"1[2-9]\d{2}55501\d{2}|999\d*")

Channel = Literal["sms", "whatsapp"]


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
class AcceptedMessage:
    """A message the sandbox accepted (it would have been sent)."""

    channel: Channel
    message_id: str
    to: str
    text: str
    bulk_id: str | None = None
    sms_count: int = 1


@dataclass(frozen=True)
class Reply:
    """What to answer; ``delay`` and ``drop`` are acted out by whoever carries the bytes."""

    status: int
    headers: dict[str, str]
    body: bytes
    delay: float = 0.0
    drop: Drop | None = None


@dataclass
class _Answer:
    status: int
    body: Any
    outcome: str
    headers: dict[str, str] = field(default_factory=dict)


def _as_bytes(text: str) -> bytes:
    # A server decodes header bytes that are not UTF-8 into lone surrogates; keep them visible
    # as escapes rather than fail on them.
    return text.encode("utf-8", "backslashreplace")


def _headers(headers: Mapping[str, str]) -> httpx.Headers:
    """The headers as httpx keeps them; values outside ASCII (which httpx would refuse as
    text) are passed as their UTF-8 bytes."""
    return httpx.Headers([(_as_bytes(name), _as_bytes(value)) for name, value in headers.items()])


def _redact(headers: Mapping[str, str]) -> httpx.Headers:
    shown = _headers(headers)
    value = shown.get("authorization")
    if value is not None:
        scheme, _, rest = value.partition(" ")
        shown["authorization"] = f"{scheme} ***" if rest else "***"
    return shown


def _message_id() -> str:
    return str(uuid.uuid4())


class Sandbox:
    """An in-memory Infobip account that accepts SMS and WhatsApp text messages."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        deliver_reports: bool = True,
        report_delay: float = 0.2,
    ) -> None:
        self._api_key = api_key
        self._lock = threading.Lock()
        self._reports = ReportDispatcher(enabled=deliver_reports, delay=report_delay)
        self._plan = FaultPlan()
        self._requests: list[RecordedRequest] = []
        self._counts: Counter[str] = Counter()
        self._accepted_ids: set[str] = set()
        self._accepted: list[AcceptedMessage] = []

    def __repr__(self) -> str:
        # The key is deliberately absent.
        return f"Sandbox(requests={len(self._requests)}, accepted={len(self._accepted_ids)})"

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

    def transport(self) -> SandboxTransport:
        from .transport import SandboxTransport

        return SandboxTransport(self)

    def reset(self) -> None:
        """Forget requests, accepted messages, queued faults, the fault rate and reports."""
        with self._lock:
            self._plan = FaultPlan()
            self._requests.clear()
            self._counts.clear()
            self._accepted_ids.clear()
            self._accepted.clear()
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
            return set(self._accepted_ids)

    @property
    def accepted_messages(self) -> list[AcceptedMessage]:
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
            answer = _Answer(500, None, "")
            if fault is None or fault.process:
                answer = self._answer(method, path, headers, body, parsed if is_json else None)
            if fault is not None:
                answer = _apply(fault, answer)
            unanswered = fault is not None and fault.drop in ("before_response", "hang")
            self._requests.append(
                RecordedRequest(
                    method,
                    path,
                    _redact(headers),
                    parsed,
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
        self, method: str, path: str, headers: Mapping[str, str], body: bytes, parsed: Any
    ) -> _Answer:
        allowed = _ROUTES.get(path)
        if allowed is None:
            return _Answer(404, wire.error_body(404), "not_found")
        if method != allowed:
            return _Answer(405, wire.error_body(405), "method_not_allowed", {"Allow": allowed})
        if not self._authorized(headers):
            return _Answer(401, wire.error_body(401), "unauthorized")
        if path == BALANCE_PATH:
            return _Answer(200, dict(wire.BALANCE), "ok")
        if len(body) > MAX_BODY_BYTES:
            return _Answer(413, wire.error_body(413), "too_large")
        content_type = _headers(headers).get("content-type")
        if body and not jsonbody.is_json_media_type(content_type):
            return _Answer(415, wire.error_body(415), "unsupported_media_type")
        if not isinstance(parsed, dict):
            return _Answer(400, wire.error_body(400), "bad_request")
        rules = SMS_REQUEST if path == SMS_PATH else WHATSAPP_TEXT_REQUEST
        problems = validate(rules, parsed)
        if problems:
            return _Answer(400, wire.error_body(400, problems), "bad_request")
        if path == SMS_PATH:
            return _Answer(200, self._accept_sms(parsed), "accepted")
        return _Answer(200, self._accept_whatsapp(parsed), "accepted")

    def _status_for(self, message_id: str, to: str) -> dict[str, Any] | None:
        """The rejection status for a destination, or None when it is accepted."""
        if message_id in self._accepted_ids:
            return wire.REJECTED_DUPLICATE
        if NOT_REGISTERED.fullmatch(to.lstrip("+")):
            return wire.REJECTED_NOT_REGISTERED
        return None

    def _accept_sms(self, request: dict[str, Any]) -> dict[str, Any]:
        bulk_id = str(request.get("bulkId") or _message_id())[:_BULK_ID_LIMIT]
        with_count = request.get("includeSmsCountInResponse") is True
        entries: list[dict[str, Any]] = []
        for message in request["messages"]:
            text = message.get("text") or ""
            language = (message.get("language") or {}).get("languageCode")
            count = sms_count(text, language, message.get("transliteration"))
            delivered: list[dict[str, Any]] = []
            for destination in message["destinations"]:
                message_id = destination.get("messageId") or _message_id()
                to = destination["to"]
                rejection = self._status_for(message_id, to)
                entry: dict[str, Any] = {
                    "messageId": message_id,
                    "status": dict(rejection or wire.SMS_PENDING),
                    "to": to,
                }
                if with_count:
                    entry["smsCount"] = count
                entries.append(entry)
                if rejection is None:
                    self._accepted_ids.add(message_id)
                    self._accepted.append(
                        AcceptedMessage("sms", message_id, to, text, bulk_id, count)
                    )
                    delivered.append(entry)
            if message.get("notifyUrl") and delivered:
                self._reports.submit(
                    message["notifyUrl"],
                    sms_report_body(bulk_id, message, delivered, count),
                    message.get("notifyContentType") or "application/json",
                )
        return {"bulkId": bulk_id, "messages": entries}

    def _accept_whatsapp(self, request: dict[str, Any]) -> dict[str, Any]:
        message_id = request.get("messageId") or _message_id()
        to = request["to"]
        rejection = self._status_for(message_id, to)
        answer = {
            "to": to,
            "messageCount": 1,
            "messageId": message_id,
            "status": dict(rejection or wire.WHATSAPP_PENDING),
        }
        if rejection is None:
            self._accepted_ids.add(message_id)
            text = request["content"]["text"]
            self._accepted.append(AcceptedMessage("whatsapp", message_id, to, text))
            if request.get("notifyUrl"):
                self._reports.submit(
                    request["notifyUrl"], whatsapp_report_body(request, message_id)
                )
        return answer


def _apply(fault: Fault, answer: _Answer) -> _Answer:
    """The answer as the fault changes it; a processed request keeps its outcome in the log."""
    status, body, headers = answer.status, answer.body, answer.headers
    if fault.status is not None or not fault.process:
        status = fault.status if fault.status is not None else 500
        body = fault.body if fault.body is not None else wire.error_body(status)
        headers = {}
    outcome = f"{answer.outcome} + {fault.describe()}" if answer.outcome else fault.describe()
    return _Answer(status, body, outcome, {**headers, **fault.headers})


def _serialize(payload: Any) -> tuple[bytes, str | None]:
    if payload is None:
        return b"", None
    if isinstance(payload, bytes):
        return payload, "application/octet-stream"
    if isinstance(payload, str):
        return payload.encode("utf-8"), "text/plain; charset=utf-8"
    return wire.encode(payload), wire.JSON_TYPE
