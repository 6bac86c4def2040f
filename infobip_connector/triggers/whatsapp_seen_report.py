"""WhatsApp Seen Report: Infobip's ``receive-whatsapp-seen-reports`` webhook.

One event per message seen; a message is seen once, so its ``messageId`` is the identity.
"""

from __future__ import annotations

from .new_inbound_sms import event_key, events_from_body

__all__ = ["event_key", "events_from_body"]
