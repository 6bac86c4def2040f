"""WhatsApp Delivery Report: Infobip's ``receive-whatsapp-delivery-reports`` webhook.

One event per report; the identity is the message with its status, as for SMS reports (a
later status of the same message is a new event).
"""

from __future__ import annotations

from .sms_delivery_report import event_key, events_from_body

__all__ = ["event_key", "events_from_body"]
