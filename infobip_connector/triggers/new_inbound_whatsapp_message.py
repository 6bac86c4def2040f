"""New Inbound WhatsApp Message: Infobip's ``receive-inbound-whatsapp-messages`` webhook.

One event per received message, whatever its type (text, media, location, a reply, a
reaction...); the identity is its ``messageId``. A message without a ``message.type`` is
refused by the event type (``results[0].message.type``).
"""

from __future__ import annotations

from .new_inbound_sms import event_key, events_from_body

__all__ = ["event_key", "events_from_body"]
