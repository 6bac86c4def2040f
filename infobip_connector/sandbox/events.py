"""Events the emulated account produces for its subscriptions: inbound messages (a person
replies), delivery reports and WhatsApp seen reports, in the bodies of Infobip's published
webhooks, handed to the report dispatcher for every subscription that wants them.

Bodies (``webhooks`` in Infobip's OpenAPI description):

- SMS ``INBOUND_MESSAGE``: ``receive-inbound-sms-messages`` (format ``MO_JSON_2``), the same
  entry ``GET /sms/1/inbox/reports`` hands out.
- SMS ``DELIVERY``: ``receive-outbound-sms-message-reports-v3`` (the static format of SMS API
  v3: ``sender``, ``messageCount``, ``platform``), one body per message of a request.
- WhatsApp ``INBOUND_MESSAGE``: ``receive-inbound-whatsapp-messages`` (``MO_OTT_CONTACT``),
  a TEXT message.
- WhatsApp ``DELIVERY``: ``receive-whatsapp-delivery-reports``, the body a ``notifyUrl`` gets.
- WhatsApp ``SEEN``: ``receive-whatsapp-seen-reports``; ``from`` is the person who saw the
  message and ``to`` the business number, as in Infobip's example.

Not thread-safe: the sandbox's lock guards every call.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import wire
from .reports import ReportDispatcher
from .subscriptions import SubscriptionBook

_PLATFORM = ("applicationId", "entityId")
# Sent WhatsApp messages remembered for their seen report; the oldest are forgotten first.
MAX_REMEMBERED = 100_000


def _platform(source: Mapping[str, Any]) -> dict[str, Any]:
    return {name: source[name] for name in _PLATFORM if source.get(name) is not None}


def batch(results: list[dict[str, Any]]) -> dict[str, Any]:
    """An inbound webhook body: the results and their counts, none left pending."""
    return {"results": results, "messageCount": len(results), "pendingMessageCount": 0}


def whatsapp_inbound_entry(
    from_: str,
    to: str,
    text: str,
    received_at: datetime,
    *,
    contact_name: str | None = None,
    callback_data: str | None = None,
    application_id: str | None = None,
    entity_id: str | None = None,
) -> dict[str, Any]:
    """One ``MO_OTT_CONTACT`` result: a TEXT message from ``from_`` to the business ``to``."""
    entry: dict[str, Any] = {
        "from": from_,
        "to": to,
        "integrationType": "WHATSAPP",
        "receivedAt": wire.timestamp(received_at),
        "messageId": f"wamid.{uuid.uuid4().hex}",
        "message": {"text": text, "type": "TEXT"},
        "price": {"pricePerMessage": 0.0, "currency": "EUR"},
        "contact": {"name": contact_name or from_},
    }
    optional = {
        "callbackData": callback_data,
        "applicationId": application_id,
        "entityId": entity_id,
    }
    entry.update({key: value for key, value in optional.items() if value is not None})
    return entry


class EventDesk:
    """Turns what happens in the account into posts for the subscriptions that want it."""

    def __init__(self, dispatcher: ReportDispatcher, book: SubscriptionBook) -> None:
        self._dispatcher = dispatcher
        self.book = book
        # messageId -> what a seen report of that WhatsApp message needs.
        self._sent: dict[str, dict[str, Any]] = {}

    def clear(self) -> None:
        self.book.clear()
        self._sent.clear()

    def publish(
        self,
        channel: str,
        event: str,
        body: dict[str, Any],
        *,
        resource: str | None,
        platform: Mapping[str, Any],
    ) -> int:
        """Post ``body`` to every subscription of ``channel`` that wants ``event``; returns
        how many posts were scheduled."""
        hooks = self.book.hooks(channel, event, resource, platform)
        for hook in hooks:
            self._dispatcher.submit(
                hook.url,
                body,
                hook.content_type,
                event=event,
                subscription_id=hook.subscription_id,
                security=hook.security,
            )
        return len(hooks)

    def sms_received(self, entry: dict[str, Any]) -> None:
        """An inbound SMS (a ``GET /sms/1/inbox/reports`` entry) reached the number ``to``."""
        self.publish("SMS", "INBOUND_MESSAGE", batch([entry]), resource=entry["to"], platform=entry)

    def sms_delivered(self, message: Mapping[str, Any], entries: list[dict[str, Any]]) -> None:
        """Delivery reports (``GET /sms/3/reports`` entries) of one message of a request."""
        if entries:
            self.publish(
                "SMS",
                "DELIVERY",
                {"results": entries},
                resource=message.get("from"),
                platform=message,
            )

    def whatsapp_received(self, entry: dict[str, Any]) -> None:
        self.publish(
            "WHATSAPP", "INBOUND_MESSAGE", batch([entry]), resource=entry["to"], platform=entry
        )

    def whatsapp_delivered(
        self, request: Mapping[str, Any], message_id: str, report: dict[str, Any], now: datetime
    ) -> None:
        """A WhatsApp message was delivered: its report goes to the DELIVERY subscriptions,
        and the message is remembered for a seen report."""
        if len(self._sent) >= MAX_REMEMBERED:
            self._sent.pop(next(iter(self._sent)))
        self._sent[message_id] = {
            "from": request.get("from"),
            "to": request["to"],
            "sentAt": wire.timestamp(now),
            "notifyUrl": request.get("notifyUrl"),
            **_platform(request),
        }
        self.publish("WHATSAPP", "DELIVERY", report, resource=request.get("from"), platform=request)

    def whatsapp_seen(self, message_id: str, now: datetime) -> dict[str, Any] | None:
        """The seen report of a sent WhatsApp message, posted to its ``notifyUrl`` and the SEEN
        subscriptions; None when the sandbox sent no such message."""
        sent = self._sent.get(message_id)
        if sent is None:
            return None
        result: dict[str, Any] = {
            "messageId": message_id,
            "from": sent["to"],
            "to": sent["from"],
            "sentAt": sent["sentAt"],
            "seenAt": wire.timestamp(now),
            **_platform(sent),
        }
        body = {"results": [result]}
        if sent["notifyUrl"]:
            self._dispatcher.submit(sent["notifyUrl"], body, event="SEEN")
        self.publish("WHATSAPP", "SEEN", body, resource=sent["from"], platform=sent)
        return result
