"""Every endpoint the sandbox answers: one row per (method, path pattern, handler).

To add an endpoint, write its handler (``(Sandbox, Request) -> Answer``) and add its row
here; ``body=True`` when it takes a JSON object body. Rows with a fixed path come before
patterned ones that could also match it.
"""

from __future__ import annotations

from . import messaging_api, people_api, sms_api, subscriptions_api, whatsapp_api
from .routes import Route

ROUTES: tuple[Route, ...] = (
    Route("POST", "/sms/2/text/advanced", messaging_api.send_sms, body=True),
    Route("POST", "/sms/1/preview", sms_api.preview, body=True),
    Route("GET", "/sms/3/reports", sms_api.delivery_reports),
    Route("GET", "/sms/3/logs", sms_api.logs),
    Route("GET", "/sms/1/inbox/reports", sms_api.inbound),
    Route("GET", "/sms/1/bulks", sms_api.get_bulk),
    Route("PUT", "/sms/1/bulks", sms_api.reschedule, body=True),
    Route("GET", "/sms/1/bulks/status", sms_api.get_bulk_status),
    Route("PUT", "/sms/1/bulks/status", sms_api.update_bulk_status, body=True),
    Route("POST", "/whatsapp/1/message/text", messaging_api.send_whatsapp_text, body=True),
    Route("POST", "/whatsapp/1/message/template", whatsapp_api.send_template, body=True),
    Route("GET", "/whatsapp/2/senders/{sender}/templates", whatsapp_api.list_templates),
    Route("GET", "/account/1/balance", messaging_api.balance),
    Route(
        "POST",
        "/subscriptions/1/subscription/{channel}",
        subscriptions_api.create_subscription,
        body=True,
    ),
    Route(
        "GET",
        "/subscriptions/1/subscription/{channel}/{subscriptionId}",
        subscriptions_api.get_subscription,
    ),
    Route(
        "DELETE",
        "/subscriptions/1/subscription/{channel}/{subscriptionId}",
        subscriptions_api.delete_subscription,
    ),
    Route("DELETE", "/subscriptions/1/profiles/{profileId}", subscriptions_api.delete_profile),
    Route("DELETE", "/subscriptions/1/security/{authId}", subscriptions_api.delete_security),
    # Sandbox-only: what people at the other end do (not part of Infobip's API).
    Route("POST", "/sandbox/1/inbound/sms", people_api.inbound_sms, body=True),
    Route("POST", "/sandbox/1/inbound/whatsapp", people_api.inbound_whatsapp, body=True),
    Route("POST", "/sandbox/1/whatsapp/seen", people_api.whatsapp_seen, body=True),
)
