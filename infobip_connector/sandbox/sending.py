"""What the account does with a message it is asked to send: each destination accepted or
rejected (a messageId already sent under idempotent sending, a number a trial account has not
registered), logged, and its delivery report and events queued. Mixed into ``Sandbox``; the
handlers that call it hold the sandbox's lock.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from . import wire
from .events import EventDesk
from .idempotency import MessageIds
from .ledger import SmsLedger, parse_send_at, report_entry, sms_record
from .reports import ReportDispatcher, sms_report_body, whatsapp_report_body
from .segments import sms_count

_BULK_ID_LIMIT = 100
# Destinations that behave like numbers a trial account has not registered: the North American
# range NXX-555-0100..0199, reserved for fictional use in every area code (NANPA) and valid for
# libphonenumber, so a request the connector accepts can reach the rejection; and, for requests
# made by hand, anything starting with 999.
NOT_REGISTERED = re.compile(r"1[2-9]\d{2}55501\d{2}|999\d*")

Channel = Literal["sms", "whatsapp"]


@dataclass(frozen=True)
class AcceptedMessage:
    """A message the sandbox accepted (it would have been sent)."""

    channel: Channel
    message_id: str
    to: str
    text: str
    bulk_id: str | None = None
    sms_count: int = 1


def _message_id() -> str:
    return str(uuid.uuid4())


class Sending:
    """``accept_sms`` and ``accept_whatsapp`` of the sandbox."""

    _message_ids: MessageIds
    _accepted: list[AcceptedMessage]
    _reports: ReportDispatcher
    ledger: SmsLedger
    desk: EventDesk

    def _status_for(self, message_id: str, to: str) -> dict[str, Any] | None:
        """The rejection status for a destination, or None when it is accepted."""
        if self._message_ids.is_duplicate(message_id):
            return wire.REJECTED_DUPLICATE
        if NOT_REGISTERED.fullmatch(to.lstrip("+")):
            return wire.REJECTED_NOT_REGISTERED
        return None

    def accept_sms(self, request: dict[str, Any]) -> dict[str, Any]:
        """Accept a valid Send SMS body; every destination is logged, accepted ones are
        queued for delivery (or scheduled when ``sendAt`` is in the future)."""
        bulk_id = str(request.get("bulkId") or _message_id())[:_BULK_ID_LIMIT]
        with_count = request.get("includeSmsCountInResponse") is True
        entries: list[dict[str, Any]] = []
        for message in request["messages"]:
            text = message.get("text") or ""
            language = (message.get("language") or {}).get("languageCode")
            count = sms_count(text, language, message.get("transliteration"))
            send_at = parse_send_at(message.get("sendAt"))
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
                self.ledger.add(
                    sms_record(bulk_id, message, entry, count, self.ledger.now()), send_at
                )
                if rejection is None:
                    self._message_ids.accept(message_id)
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
            if send_at is None or send_at <= self.ledger.now():
                reports = [report_entry(self.ledger.record(e["messageId"])) for e in delivered]
                self.desk.sms_delivered(message, reports)
        return {"bulkId": bulk_id, "messages": entries}

    def accept_whatsapp(self, request: dict[str, Any], text: str) -> dict[str, Any]:
        """Accept one valid WhatsApp message (``text`` is what the recipient reads); returns
        its ``SingleMessageInfo``."""
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
            self._message_ids.accept(message_id)
            self._accepted.append(AcceptedMessage("whatsapp", message_id, to, text))
            report = whatsapp_report_body(request, message_id)
            if request.get("notifyUrl"):
                self._reports.submit(request["notifyUrl"], report)
            self.desk.whatsapp_delivered(request, message_id, report, self.ledger.now())
        return answer
