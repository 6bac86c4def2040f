"""The account's SMS state: message logs, delivery reports and inbound messages waiting to be
pulled, and scheduled bulks with their status.

Follows Infobip's SMS API: a delivery report is queued once per message sent and handed out
once by ``GET /sms/3/reports``; an inbound message is handed out once by
``GET /sms/1/inbox/reports``; logs (``GET /sms/3/logs``) can be read any number of times. A
message sent with ``sendAt`` in the future belongs to a scheduled bulk that is ``PENDING``
until its time comes, when it becomes ``FINISHED`` and its reports are queued. Time is read
from the clock the sandbox was given, so tests can move it. Not thread-safe: the sandbox's
lock guards every call.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from . import wire
from .networks import mcc_mnc

T = TypeVar("T")

# What one SMS part costs in the sandbox (invented: the sandbox bills nothing).
PRICE_PER_SMS = 0.0075
CURRENCY = "EUR"

BulkStatus = str
# Statuses a request may ask for, and the transitions the sandbox allows; FINISHED, CANCELED
# and FAILED are final, as in Infobip's scheduled-messages API.
SETTABLE = ("PAUSED", "PROCESSING", "CANCELED")
TRANSITIONS: dict[BulkStatus, frozenset[BulkStatus]] = {
    "PENDING": frozenset({"PAUSED", "CANCELED"}),
    "PAUSED": frozenset({"PROCESSING", "CANCELED"}),
    "PROCESSING": frozenset({"PAUSED", "CANCELED"}),
}
# Statuses in which a bulk waits for its sendAt and can be rescheduled.
WAITING = frozenset({"PENDING", "PAUSED", "PROCESSING"})

CANCELED_STATUS: dict[str, Any] = {
    "groupId": 5,
    "groupName": "REJECTED",
    "id": 6,
    "name": "REJECTED_NOT_SENT",
    "description": "Scheduled message canceled before sending",
}


@dataclass
class SmsRecord:
    """One SMS destination as the account keeps it (a row of the logs)."""

    message_id: str
    bulk_id: str
    to: str
    sender: str | None
    text: str
    message_count: int
    sent_at: datetime
    status: dict[str, Any]
    language: str | None = None
    transliteration: str | None = None
    callback_data: str | None = None
    entity_id: str | None = None
    application_id: str | None = None
    campaign_reference_id: str | None = None
    done_at: datetime | None = None


@dataclass
class ScheduledBulk:
    bulk_id: str
    send_at: datetime
    status: BulkStatus = "PENDING"
    message_ids: list[str] = field(default_factory=list)
    # When a paused bulk was last resumed: one resumed after its time is sent then.
    resumed_at: datetime | None = None

    def sending_time(self) -> datetime:
        """When the bulk is (or was) actually sent: its time, or a later resumption."""
        if self.resumed_at is not None and self.resumed_at > self.send_at:
            return self.resumed_at
        return self.send_at


def _price(record: SmsRecord) -> dict[str, Any]:
    return {
        "pricePerMessage": round(PRICE_PER_SMS * record.message_count, 6),
        "currency": CURRENCY,
    }


def _platform(record: SmsRecord) -> dict[str, str]:
    platform = {"entityId": record.entity_id, "applicationId": record.application_id}
    return {key: value for key, value in platform.items() if value is not None}


def _take(queue: deque[T], keep: Callable[[T], bool], limit: int) -> tuple[list[T], deque[T]]:
    """Up to ``limit`` items of ``queue`` that ``keep`` accepts (oldest first), and the rest."""
    taken: list[T] = []
    remaining: deque[T] = deque()
    for item in queue:
        if len(taken) < limit and keep(item):
            taken.append(item)
        else:
            remaining.append(item)
    return taken, remaining


class SmsLedger:
    """Logs, report and inbound queues, and scheduled bulks of one account."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.logs: list[SmsRecord] = []
        self._by_id: dict[str, SmsRecord] = {}
        self.reports: deque[SmsRecord] = deque()
        self.inbox: deque[dict[str, Any]] = deque()
        self.bulks: dict[str, ScheduledBulk] = {}

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def clear(self) -> None:
        self.logs.clear()
        self._by_id.clear()
        self.reports.clear()
        self.inbox.clear()
        self.bulks.clear()

    # -- outbound ------------------------------------------------------------------------------

    def add(self, record: SmsRecord, send_at: datetime | None) -> None:
        """Keep a sent message; a future ``send_at`` puts it in its scheduled bulk, otherwise
        an accepted message is delivered at once and its report queued."""
        self.logs.append(record)
        self._by_id[record.message_id] = record
        if send_at is not None and send_at > self.now():
            bulk = self.bulks.setdefault(record.bulk_id, ScheduledBulk(record.bulk_id, send_at))
            bulk.message_ids.append(record.message_id)
            return
        self._finish(record)

    def record(self, message_id: str) -> SmsRecord:
        """The log row of a message sent (``KeyError`` for any other ID)."""
        return self._by_id[message_id]

    def _finish(self, record: SmsRecord) -> None:
        if record.status.get("groupName") == "PENDING":
            record.status = dict(wire.DELIVERED)
        record.done_at = self.now()
        self.reports.append(record)

    def advance(self) -> None:
        """Send the scheduled bulks whose time has come (PENDING and PROCESSING ones).

        Each message's ``sentAt`` becomes the time the bulk was actually sent: its
        ``sendAt``, or its resumption when it was paused past that time.
        """
        now = self.now()
        for bulk in self.bulks.values():
            if bulk.status in ("PENDING", "PROCESSING") and bulk.send_at <= now:
                bulk.status = "FINISHED"
                sent = bulk.sending_time()
                for message_id in bulk.message_ids:
                    record = self._by_id[message_id]
                    record.sent_at = sent
                    self._finish(record)

    def reschedule(self, bulk: ScheduledBulk, send_at: datetime) -> None:
        """Move a waiting bulk: its messages are now due (and logged as sent) at ``send_at``."""
        bulk.send_at = send_at
        for message_id in bulk.message_ids:
            self._by_id[message_id].sent_at = send_at

    def set_status(self, bulk: ScheduledBulk, status: BulkStatus) -> None:
        if bulk.status == "PAUSED" and status == "PROCESSING":
            bulk.resumed_at = self.now()
        bulk.status = status
        if status == "CANCELED":
            for message_id in bulk.message_ids:
                record = self._by_id[message_id]
                record.status = dict(CANCELED_STATUS)
                record.done_at = self.now()

    def take_reports(self, keep: Callable[[SmsRecord], bool], limit: int) -> list[SmsRecord]:
        """Remove and return up to ``limit`` queued reports that ``keep`` accepts, oldest first."""
        taken, self.reports = _take(self.reports, keep, limit)
        return taken

    # -- inbound -------------------------------------------------------------------------------

    def receive(
        self,
        from_: str,
        to: str,
        text: str,
        *,
        keyword: str | None = None,
        sms_count: int = 1,
        application_id: str | None = None,
        entity_id: str | None = None,
        campaign_reference_id: str | None = None,
        callback_data: str | None = None,
    ) -> str:
        """Queue an inbound message; returns its message ID."""
        message_id = str(uuid.uuid4())
        clean = text
        if keyword and text.upper().startswith(keyword.upper()):
            clean = text[len(keyword) :].lstrip()
        entry: dict[str, Any] = {
            "messageId": message_id,
            "from": from_,
            "to": to,
            "text": text,
            "cleanText": clean,
            "keyword": keyword or "",
            "receivedAt": wire.timestamp(self.now()),
            "smsCount": sms_count,
            "price": {"pricePerMessage": 0.0, "currency": CURRENCY},
        }
        optional = {
            "applicationId": application_id,
            "entityId": entity_id,
            "campaignReferenceId": campaign_reference_id,
            "callbackData": callback_data,
        }
        entry.update({key: value for key, value in optional.items() if value is not None})
        self.inbox.append(entry)
        return message_id

    def take_inbound(
        self, keep: Callable[[dict[str, Any]], bool], limit: int
    ) -> list[dict[str, Any]]:
        """Remove and return up to ``limit`` queued inbound messages ``keep`` accepts."""
        taken, self.inbox = _take(self.inbox, keep, limit)
        return taken


def parse_send_at(value: Any) -> datetime | None:
    """A valid ``sendAt`` value as an aware datetime; None when absent."""
    if not isinstance(value, str):
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z")


def sms_record(
    bulk_id: str, message: dict[str, Any], entry: dict[str, Any], count: int, now: datetime
) -> SmsRecord:
    """The log row of one destination of a Send SMS message."""
    return SmsRecord(
        message_id=entry["messageId"],
        bulk_id=bulk_id,
        to=entry["to"],
        sender=message.get("from"),
        text=message.get("text") or "",
        message_count=count,
        sent_at=max(now, parse_send_at(message.get("sendAt")) or now),
        status=dict(entry["status"]),
        language=(message.get("language") or {}).get("languageCode"),
        transliteration=message.get("transliteration"),
        callback_data=message.get("callbackData"),
        entity_id=message.get("entityId"),
        application_id=message.get("applicationId"),
        campaign_reference_id=message.get("campaignReferenceId"),
    )


def _with_origin(entry: dict[str, Any], record: SmsRecord) -> dict[str, Any]:
    """``entry`` with the sender, platform and campaign fields the record has."""
    if record.sender is not None:
        entry["sender"] = record.sender
    platform = _platform(record)
    if platform:
        entry["platform"] = platform
    if record.campaign_reference_id is not None:
        entry["campaignReferenceId"] = record.campaign_reference_id
    return entry


def report_entry(record: SmsRecord) -> dict[str, Any]:
    """A ``DeliveryReport`` of ``GET /sms/3/reports``."""
    entry: dict[str, Any] = {
        "bulkId": record.bulk_id,
        "messageId": record.message_id,
        "to": record.to,
        "sentAt": wire.timestamp(record.sent_at),
        "doneAt": wire.timestamp(record.done_at or record.sent_at),
        "messageCount": record.message_count,
        "price": _price(record),
        "status": dict(record.status),
        "error": dict(wire.NO_ERROR),
    }
    if record.callback_data is not None:
        entry["callbackData"] = record.callback_data
    network = mcc_mnc(record.to)
    if network is not None:
        entry["mccMnc"] = network
    return _with_origin(entry, record)


def log_entry(record: SmsRecord) -> dict[str, Any]:
    """A ``SmsLogSmsMessageContent`` of ``GET /sms/3/logs``."""
    content: dict[str, Any] = {"text": record.text}
    if record.transliteration is not None:
        content["transliteration"] = record.transliteration
    if record.language is not None:
        content["language"] = {"languageCode": record.language}
    entry: dict[str, Any] = {
        "destination": record.to,
        "bulkId": record.bulk_id,
        "messageId": record.message_id,
        "sentAt": wire.timestamp(record.sent_at),
        "messageCount": record.message_count,
        "price": _price(record),
        "status": dict(record.status),
        "error": dict(wire.NO_ERROR),
        "content": content,
    }
    if record.done_at is not None:
        entry["doneAt"] = wire.timestamp(record.done_at)
    network = mcc_mnc(record.to)
    if network is not None:
        entry["mccMnc"] = network
    return _with_origin(entry, record)
