"""Posts to webhooks (delivery and seen reports, inbound messages): their records as they are
posted to loopback URLs, with bounded retries, and the delivery report bodies.

The sandbox must never reach a machine other than the one it runs on, so a notify URL on any
other host is recorded as skipped and never contacted; an unusable URL is recorded as such.
Posting happens on the shared pool of ``delivery``; every report ends in a final record.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from . import wire
from .delivery import POOL, Target, encode_report, parse_target, post
from .masking import shown_body, shown_target, shown_url, without_copies
from .signing import security_headers

ReportOutcome = Literal[
    "pending", "sent", "failed", "skipped_non_loopback", "invalid_url", "dropped", "disabled"
]

# Reports waiting to be posted, per sandbox; beyond this they are recorded as dropped.
MAX_PENDING = 10_000
# Attempts per post: a receiver that cannot be reached, times out or answers 408, 429 or 5xx
# is tried again after the sandbox's report delay doubled each time (at least RETRY_FLOOR
# seconds), as Infobip retries a webhook; any other answer is final.
MAX_ATTEMPTS = 3
RETRY_FLOOR = 0.05
_RETRIED_STATUSES = frozenset({408, 429})
#: What a record shows for a URL the sandbox cannot read (its error says why): such a URL may
#: hold a password where no reading of it can tell (after a full-width '@').
UNREADABLE_URL = "(not a URL the sandbox can read: not shown)"

log = logging.getLogger("infobip_connector.sandbox")


@dataclass(frozen=True)
class DeliveryReportRecord:
    """One post: where it went (or would have gone), what it said, what happened.

    ``event`` is DELIVERY, SEEN or INBOUND_MESSAGE; ``subscription_id`` names the subscription
    it was posted for (None for a message's own ``notifyUrl``); ``attempts`` counts the posts
    made.
    """

    url: str
    body: dict[str, Any]
    outcome: ReportOutcome
    status: int | None = None
    error: str | None = None
    content_type: str = "application/json"
    event: str = "DELIVERY"
    subscription_id: str | None = None
    attempts: int = 0


def is_loopback_url(url: str) -> bool:
    target = parse_target(url)
    return isinstance(target, Target) and target.is_loopback


@dataclass(frozen=True)
class _Post:
    """What one scheduled post needs: its record slot, target, bytes and headers."""

    key: tuple[int, int]
    record: DeliveryReportRecord
    url: str  # as given: what an error about it must not quote (``without_copies``)
    target: Target
    data: bytes
    headers: dict[str, str]


def _retried(status: int | None) -> bool:
    return status is None or status in _RETRIED_STATUSES or status >= 500


class ReportDispatcher:
    """Schedules posts (reports and inbound messages) and keeps their records in order of
    scheduling; every record ends in a final outcome."""

    def __init__(self, *, enabled: bool, delay: float) -> None:
        self.enabled = enabled
        self.delay = delay
        self._lock = threading.Lock()
        self._records: list[DeliveryReportRecord] = []
        self._pending: set[tuple[int, int]] = set()
        self._idle = threading.Condition(self._lock)
        self._generation = 0

    def submit(
        self,
        url: str,
        body: dict[str, Any],
        content_type: str = "application/json",
        *,
        event: str = "DELIVERY",
        subscription_id: str | None = None,
        security: Mapping[str, Any] | None = None,
    ) -> None:
        """Record the post and, for a loopback URL, queue it after ``delay``; ``security``
        (a subscription's settings) decides the headers that authenticate it."""
        target = parse_target(url)
        record = DeliveryReportRecord(
            # The record and the log show no password; the post uses it.
            shown_target(url) if not isinstance(target, str) else UNREADABLE_URL,
            shown_body(body),  # a callbackData may hold a URL with one
            "pending",
            content_type=content_type,
            event=event,
            subscription_id=subscription_id,
        )
        if not self.enabled:
            self._append(replace(record, outcome="disabled"))
            return
        if isinstance(target, str):
            log.warning("%s not sent: URL %r: %s", _what(event), record.url, target)
            self._append(replace(record, outcome="invalid_url", error=target))
            return
        if not target.is_loopback:
            self._append(replace(record, outcome="skipped_non_loopback"))
            return
        data = encode_report(body, content_type)
        with self._lock:
            key = (self._generation, len(self._records))
            if len(self._pending) >= MAX_PENDING:
                error = f"more than {MAX_PENDING} reports waiting to be posted"
                self._records.append(replace(record, outcome="dropped", error=error))
                log.warning("%s to %r dropped: %s", _what(event), record.url, error)
                return
            self._records.append(record)
            self._pending.add(key)
        job = _Post(key, record, url, target, data, security_headers(security, data))
        POOL.submit(time.monotonic() + self.delay, lambda: self._deliver(job, 1))

    def _deliver(self, job: _Post, attempt: int) -> None:
        with self._lock:
            if job.key not in self._pending:
                return  # forgotten by reset()
        status: int | None = None
        try:
            status, error = post(job.target, job.data, job.record.content_type, job.headers)
        except Exception as exc:  # contained: the record must still reach a final outcome
            error = f"{type(exc).__name__}: {exc}"
        if error is not None:
            # It may quote the URL's path or query: a URL there, or the password again.
            error = shown_url(without_copies(error, job.url))
        if error is not None and attempt < MAX_ATTEMPTS and _retried(status):
            wait = max(self.delay, RETRY_FLOOR) * 2 ** (attempt - 1)
            POOL.submit(time.monotonic() + wait, lambda: self._deliver(job, attempt + 1))
            return
        if error is not None:
            log.warning("%s to %r failed: %s", _what(job.record.event), job.record.url, error)
        outcome: ReportOutcome = "sent" if error is None else "failed"
        final = replace(job.record, outcome=outcome, status=status, error=error, attempts=attempt)
        with self._lock:
            if job.key in self._pending:
                self._pending.discard(job.key)
                self._records[job.key[1]] = final
            self._idle.notify_all()

    def _append(self, record: DeliveryReportRecord) -> None:
        with self._lock:
            self._records.append(record)

    @property
    def records(self) -> list[DeliveryReportRecord]:
        with self._lock:
            return list(self._records)

    def wait(self, timeout: float) -> bool:
        """Wait until every scheduled post has been attempted; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    def reset(self) -> None:
        with self._lock:
            self._pending.clear()
            self._records.clear()
            self._generation += 1
            self._idle.notify_all()


def _what(event: str) -> str:
    return {"INBOUND_MESSAGE": "inbound message", "SEEN": "seen report"}.get(
        event, "delivery report"
    )


_ECHOED = ("callbackData", "entityId", "applicationId", "campaignReferenceId")


def _report_common(source: dict[str, Any]) -> dict[str, Any]:
    now = wire.timestamp()
    common: dict[str, Any] = {
        "sentAt": now,
        "doneAt": now,
        "price": {"pricePerMessage": 0.0, "currency": "EUR"},
        "status": dict(wire.DELIVERED),
        "error": dict(wire.NO_ERROR),
    }
    common.update({key: source[key] for key in _ECHOED if source.get(key) is not None})
    return common


def sms_report_body(
    bulk_id: str, message: dict[str, Any], entries: list[dict[str, Any]], count: int
) -> dict[str, Any]:
    results = []
    for entry in entries:
        result: dict[str, Any] = {"bulkId": bulk_id, "messageId": entry["messageId"]}
        result["to"] = entry["to"]
        if message.get("from"):
            result["from"] = message["from"]
        result["smsCount"] = count
        result.update(_report_common(message))
        results.append(result)
    return {"results": results}


def whatsapp_report_body(request: dict[str, Any], message_id: str) -> dict[str, Any]:
    result: dict[str, Any] = {"messageId": message_id, "to": request["to"], "messageCount": 1}
    result.update(_report_common(request))
    return {"results": [result]}
