"""Delivery reports: posted to loopback notify URLs only, from daemon timers.

The sandbox must never reach a machine other than the one it runs on, so a notify URL on any
other host is recorded as skipped and never contacted.
"""

from __future__ import annotations

import ipaddress
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any, Literal
from urllib.parse import urlsplit

from . import wire

ReportOutcome = Literal["pending", "sent", "failed", "skipped_non_loopback", "disabled"]

_POST_TIMEOUT = 2.0


@dataclass(frozen=True)
class DeliveryReportRecord:
    """One delivery report: where it went (or would have gone), what it said, what happened."""

    url: str
    body: dict[str, Any]
    outcome: ReportOutcome
    status: int | None = None
    error: str | None = None


def is_loopback_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host.rstrip(".").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A loopback receiver answering with a redirect must not send the report elsewhere."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


# Proxies from the environment are ignored: a report for 127.0.0.1 must not leave the machine.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def _post(url: str, body: dict[str, Any]) -> tuple[int | None, str | None]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "infobip-sandbox"},
    )
    try:
        with _OPENER.open(request, timeout=_POST_TIMEOUT) as response:
            response.read()
            return int(response.status), None
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


class ReportDispatcher:
    """Schedules report posts and keeps their records in order of scheduling."""

    def __init__(self, *, enabled: bool, delay: float) -> None:
        self.enabled = enabled
        self.delay = delay
        self._lock = threading.Lock()
        self._records: list[DeliveryReportRecord] = []
        self._timers: dict[tuple[int, int], threading.Timer] = {}
        self._idle = threading.Condition(self._lock)
        self._generation = 0

    def submit(self, url: str, body: dict[str, Any]) -> None:
        if not self.enabled:
            self._append(DeliveryReportRecord(url, body, "disabled"))
            return
        if not is_loopback_url(url):
            self._append(DeliveryReportRecord(url, body, "skipped_non_loopback"))
            return
        with self._lock:
            key = (self._generation, len(self._records))
            self._records.append(DeliveryReportRecord(url, body, "pending"))
            timer = threading.Timer(self.delay, self._deliver, args=(key, url, body))
            timer.daemon = True
            self._timers[key] = timer
        timer.start()

    def _deliver(self, key: tuple[int, int], url: str, body: dict[str, Any]) -> None:
        status, error = _post(url, body)
        outcome: ReportOutcome = "sent" if error is None else "failed"
        with self._lock:
            if self._timers.pop(key, None) is not None:
                self._records[key[1]] = DeliveryReportRecord(url, body, outcome, status, error)
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
            return self._idle.wait_for(lambda: not self._timers, timeout)

    def reset(self) -> None:
        with self._lock:
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
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
