"""Delivery reports: their bodies, and their records as they are posted to loopback URLs.

The sandbox must never reach a machine other than the one it runs on, so a notify URL on any
other host is recorded as skipped and never contacted; an unusable URL is recorded as such.
Posting happens on the shared pool of ``delivery``; every report ends in a final record.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

from . import wire
from .delivery import POOL, Target, encode_report, parse_target, post

ReportOutcome = Literal[
    "pending", "sent", "failed", "skipped_non_loopback", "invalid_url", "dropped", "disabled"
]

# Reports waiting to be posted, per sandbox; beyond this they are recorded as dropped.
MAX_PENDING = 10_000

log = logging.getLogger("infobip_connector.sandbox")


@dataclass(frozen=True)
class DeliveryReportRecord:
    """One delivery report: where it went (or would have gone), what it said, what happened."""

    url: str
    body: dict[str, Any]
    outcome: ReportOutcome
    status: int | None = None
    error: str | None = None
    content_type: str = "application/json"


def is_loopback_url(url: str) -> bool:
    target = parse_target(url)
    return isinstance(target, Target) and target.is_loopback


class ReportDispatcher:
    """Schedules report posts and keeps their records in order of scheduling."""

    def __init__(self, *, enabled: bool, delay: float) -> None:
        self.enabled = enabled
        self.delay = delay
        self._lock = threading.Lock()
        self._records: list[DeliveryReportRecord] = []
        self._pending: set[tuple[int, int]] = set()
        self._idle = threading.Condition(self._lock)
        self._generation = 0

    def submit(
        self, url: str, body: dict[str, Any], content_type: str = "application/json"
    ) -> None:
        """Record the report and, for a loopback URL, queue its post after ``delay``."""
        if not self.enabled:
            self._append(DeliveryReportRecord(url, body, "disabled", content_type=content_type))
            return
        target = parse_target(url)
        if isinstance(target, str):
            log.warning("delivery report not sent: notifyUrl %r: %s", url, target)
            self._append(DeliveryReportRecord(url, body, "invalid_url", None, target, content_type))
            return
        if not target.is_loopback:
            self._append(
                DeliveryReportRecord(url, body, "skipped_non_loopback", content_type=content_type)
            )
            return
        with self._lock:
            key = (self._generation, len(self._records))
            if len(self._pending) >= MAX_PENDING:
                error = f"more than {MAX_PENDING} reports waiting to be posted"
                self._records.append(
                    DeliveryReportRecord(url, body, "dropped", None, error, content_type)
                )
                log.warning("delivery report to %r dropped: %s", url, error)
                return
            self._records.append(
                DeliveryReportRecord(url, body, "pending", None, None, content_type)
            )
            self._pending.add(key)
        POOL.submit(
            time.monotonic() + self.delay,
            lambda: self._deliver(key, url, target, body, content_type),
        )

    def _deliver(
        self, key: tuple[int, int], url: str, target: Target, body: dict[str, Any], kind: str
    ) -> None:
        with self._lock:
            if key not in self._pending:
                return  # forgotten by reset()
        status: int | None = None
        try:
            status, error = post(target, encode_report(body, kind), kind)
        except Exception as exc:  # contained: the record must still reach a final outcome
            error = f"{type(exc).__name__}: {exc}"
        if error is not None:
            log.warning("delivery report to %r failed: %s", url, error)
        outcome: ReportOutcome = "sent" if error is None else "failed"
        with self._lock:
            if key in self._pending:
                self._pending.discard(key)
                self._records[key[1]] = DeliveryReportRecord(
                    url, body, outcome, status, error, kind
                )
            self._idle.notify_all()

    def _append(self, record: DeliveryReportRecord) -> None:
        with self._lock:
            self._records.append(record)

    @property
    def records(self) -> list[DeliveryReportRecord]:
        with self._lock:
            return list(self._records)

    def wait(self, timeout: float) -> bool:
        """Wait until every scheduled report has been attempted; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    def reset(self) -> None:
        with self._lock:
            self._pending.clear()
            self._records.clear()
            self._generation += 1
            self._idle.notify_all()


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
