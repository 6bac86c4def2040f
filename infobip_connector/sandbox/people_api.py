"""Sandbox-only endpoints (``/sandbox/1/...``, not part of Infobip's API): what the people at
the other end do, for tests written in other languages than Python.

- ``POST /sandbox/1/inbound/sms`` ``{from, to, text, keyword?, applicationId?, entityId?,
  campaignReferenceId?, callbackData?}``: a person sends an SMS to the account's number ``to``
  (``Sandbox.receive_sms``); 200 ``{"messageId"}``.
- ``POST /sandbox/1/inbound/whatsapp`` ``{from, to, text, contactName?, callbackData?,
  applicationId?, entityId?}``: a person writes on WhatsApp (``Sandbox.receive_whatsapp``).
- ``POST /sandbox/1/whatsapp/seen`` ``{messageId}``: the recipient of a sent WhatsApp message
  reads it (``Sandbox.see_whatsapp``); 404 for a message the sandbox did not send.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import wire
from .people import lone_surrogate
from .routes import Answer, Request
from .validation import Obj, Str, validate

if TYPE_CHECKING:
    from .core import Sandbox

_NUMBER = Str(True, 1, 64, not_blank=True)
INBOUND_SMS = Obj(
    {
        "from": _NUMBER,
        "to": _NUMBER,
        "text": Str(True, max_len=4096),
        "keyword": Str(max_len=255),
        "applicationId": Str(max_len=255),
        "entityId": Str(max_len=255),
        "campaignReferenceId": Str(max_len=255),
        "callbackData": Str(max_len=4000),
    }
)
INBOUND_WHATSAPP = Obj(
    {
        "from": _NUMBER,
        "to": _NUMBER,
        "text": Str(True, 1, 4096),
        "contactName": Str(max_len=255),
        "callbackData": Str(max_len=4000),
        "applicationId": Str(max_len=255),
        "entityId": Str(max_len=255),
    }
)
SEEN = Obj({"messageId": Str(True, 1, 200)})


def _bad_request(problems: dict[str, list[str]]) -> Answer:
    return Answer(400, wire.error_body(400, problems), "bad_request")


# The optional members of each body and the keyword arguments they become.
_SMS_OPTIONS = {
    "keyword": "keyword",
    "applicationId": "application_id",
    "entityId": "entity_id",
    "campaignReferenceId": "campaign_reference_id",
    "callbackData": "callback_data",
}
_WHATSAPP_OPTIONS = {
    "contactName": "contact_name",
    "callbackData": "callback_data",
    "applicationId": "application_id",
    "entityId": "entity_id",
}


def _received(
    request: Request,
    rule: Obj,
    options: dict[str, str],
    accept: Callable[..., str],
) -> Answer:
    """Check the body, hand it to ``accept`` (a ``Sandbox.accept_inbound_*``), answer its ID."""
    problems = validate(rule, request.body)
    if problems:
        return _bad_request(problems)
    body = request.body
    # Infobip delivers UTF-8, which cannot carry a lone UTF-16 surrogate: such a message
    # could never reach a webhook or a pull, so the sandbox does not make one either.
    broken = {
        member: ["must be Unicode text (a lone UTF-16 surrogate is not)"]
        for member, value in body.items()
        if isinstance(value, str) and lone_surrogate(value)
    }
    if broken:
        return _bad_request(broken)
    given = {name: body[member] for member, name in options.items() if member in body}
    message_id = accept(body["from"], body["to"], body["text"], **given)
    return Answer(200, {"messageId": message_id}, "received")


def inbound_sms(sandbox: Sandbox, request: Request) -> Answer:
    """``POST /sandbox/1/inbound/sms``."""
    return _received(request, INBOUND_SMS, _SMS_OPTIONS, sandbox.accept_inbound_sms)


def inbound_whatsapp(sandbox: Sandbox, request: Request) -> Answer:
    """``POST /sandbox/1/inbound/whatsapp``."""
    return _received(request, INBOUND_WHATSAPP, _WHATSAPP_OPTIONS, sandbox.accept_inbound_whatsapp)


def whatsapp_seen(sandbox: Sandbox, request: Request) -> Answer:
    """``POST /sandbox/1/whatsapp/seen``."""
    problems = validate(SEEN, request.body)
    if problems:
        return _bad_request(problems)
    report = sandbox.desk.whatsapp_seen(request.body["messageId"], sandbox.ledger.now())
    if report is None:
        body = {
            "requestError": {
                "serviceException": {"messageId": "NOT_FOUND", "text": "Message not found"}
            }
        }
        return Answer(404, body, "not_found")
    return Answer(200, report, "seen")
