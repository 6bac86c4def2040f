"""What the people at the other end of the account do: reply by SMS or WhatsApp, and read a
WhatsApp message they were sent. Mixed into ``Sandbox``; each public method takes the
sandbox's lock, and its ``accept_*`` twin is for handlers, which already hold it.
"""

from __future__ import annotations

import threading
from typing import Any

from .events import EventDesk, whatsapp_inbound_entry
from .ledger import SmsLedger
from .segments import sms_count


def lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds a UTF-16 surrogate on its own, which UTF-8 cannot carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class NotUnicodeError(ValueError):
    """A value the sandbox was asked to deliver holds a lone UTF-16 surrogate, which Infobip
    (UTF-8 throughout) cannot deliver; ``path`` names the argument."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} holds a lone UTF-16 surrogate, which Infobip cannot deliver: give Unicode text"
        )
        self.path = path


def _unicode(**given: str | None) -> None:
    """NotUnicodeError naming the first of ``given`` (by argument name) that is not text."""
    for name, value in given.items():
        if isinstance(value, str) and lone_surrogate(value):
            raise NotUnicodeError(name)


class People:
    """``receive_sms``, ``receive_whatsapp`` and ``see_whatsapp`` of the sandbox."""

    _lock: threading.Lock
    ledger: SmsLedger
    desk: EventDesk

    def receive_sms(
        self,
        from_: str,
        to: str,
        text: str,
        *,
        keyword: str | None = None,
        application_id: str | None = None,
        entity_id: str | None = None,
        campaign_reference_id: str | None = None,
        callback_data: str | None = None,
    ) -> str:
        """A person sends an SMS from ``from_`` to the account's number ``to``: it is posted
        (as Infobip's inbound webhook body) to the SMS ``INBOUND_MESSAGE`` subscriptions and
        queued to be handed out once by ``GET /sms/1/inbox/reports``; returns its message ID.
        Text with a lone UTF-16 surrogate (which Infobip cannot deliver): NotUnicodeError."""
        with self._lock:
            return self.accept_inbound_sms(
                from_,
                to,
                text,
                keyword=keyword,
                application_id=application_id,
                entity_id=entity_id,
                campaign_reference_id=campaign_reference_id,
                callback_data=callback_data,
            )

    def accept_inbound_sms(self, from_: str, to: str, text: str, **optional: str | None) -> str:
        """``receive_sms`` for a caller that holds the sandbox's lock (a handler)."""
        _unicode(from_=from_, to=to, text=text, **optional)
        message_id = self.ledger.receive(from_, to, text, sms_count=sms_count(text), **optional)
        self.desk.sms_received(self.ledger.inbox[-1])
        return message_id

    def receive_whatsapp(
        self,
        from_: str,
        to: str,
        text: str,
        *,
        contact_name: str | None = None,
        callback_data: str | None = None,
        application_id: str | None = None,
        entity_id: str | None = None,
    ) -> str:
        """A person writes ``text`` on WhatsApp from ``from_`` to the business number ``to``:
        it is posted to the WhatsApp ``INBOUND_MESSAGE`` subscriptions; returns its ID.
        Text with a lone UTF-16 surrogate (which Infobip cannot deliver): NotUnicodeError."""
        with self._lock:
            return self.accept_inbound_whatsapp(
                from_,
                to,
                text,
                contact_name=contact_name,
                callback_data=callback_data,
                application_id=application_id,
                entity_id=entity_id,
            )

    def accept_inbound_whatsapp(
        self, from_: str, to: str, text: str, **optional: str | None
    ) -> str:
        """``receive_whatsapp`` for a caller that holds the sandbox's lock (a handler)."""
        _unicode(from_=from_, to=to, text=text, **optional)
        entry = whatsapp_inbound_entry(from_, to, text, self.ledger.now(), **optional)
        self.desk.whatsapp_received(entry)
        return str(entry["messageId"])

    def see_whatsapp(self, message_id: str) -> dict[str, Any] | None:
        """The recipient reads a WhatsApp message the sandbox sent: its seen report goes to
        the message's ``notifyUrl`` and the ``SEEN`` subscriptions. Returns the report, or
        None when the sandbox sent no such message."""
        with self._lock:
            return self.desk.whatsapp_seen(message_id, self.ledger.now())
