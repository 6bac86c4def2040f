"""Handlers for the endpoints the connector started with: Send SMS
(``POST /sms/2/text/advanced``), WhatsApp text (``POST /whatsapp/1/message/text``) and the
account balance (``GET /account/1/balance``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import wire
from .routes import Answer, Request
from .send_rules import SMS_REQUEST, WHATSAPP_TEXT_REQUEST
from .sms_api import bad_request
from .validation import validate

if TYPE_CHECKING:
    from .core import Sandbox


def send_sms(sandbox: Sandbox, request: Request) -> Answer:
    problems = validate(SMS_REQUEST, request.body)
    if problems:
        return bad_request(problems)
    return Answer(200, sandbox.accept_sms(request.body), "accepted")


def send_whatsapp_text(sandbox: Sandbox, request: Request) -> Answer:
    problems = validate(WHATSAPP_TEXT_REQUEST, request.body)
    if problems:
        return bad_request(problems)
    body = request.body
    return Answer(200, sandbox.accept_whatsapp(body, body["content"]["text"]), "accepted")


def balance(sandbox: Sandbox, request: Request) -> Answer:
    return Answer(200, dict(wire.BALANCE), "ok")
