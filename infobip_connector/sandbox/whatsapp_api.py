"""Handlers for WhatsApp template messages: ``send-whatsapp-template-message``
(``POST /whatsapp/1/message/template``) and ``get-whatsapp-templates``
(``GET /whatsapp/2/senders/{sender}/templates``) of Infobip's OpenAPI description."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from . import templates
from .endpoint_rules import WHATSAPP_TEMPLATE_REQUEST
from .routes import Answer, Request
from .sms_api import bad_request
from .validation import validate

if TYPE_CHECKING:
    from .core import Sandbox

_BULK_ID_LIMIT = 100


def _render(template: templates.Template, placeholders: list[str]) -> str:
    """The body text with ``{{n}}`` replaced by the n-th placeholder."""

    def value(found: re.Match[str]) -> str:
        index = int(found.group(1)) - 1
        return placeholders[index] if 0 <= index < len(placeholders) else found.group(0)

    return re.sub(r"\{\{(\d+)\}\}", value, template.body)


def send_template(sandbox: Sandbox, request: Request) -> Answer:
    """Every message must match an approved template of its sender (see ``templates``);
    otherwise nothing is sent and the answer is 400 with every mismatch by path."""
    problems = validate(WHATSAPP_TEMPLATE_REQUEST, request.body)
    if problems:
        return bad_request(problems)
    messages: list[dict[str, Any]] = request.body["messages"]
    found: list[templates.Template] = []
    for index, message in enumerate(messages):
        content = message["content"]
        template = templates.find(
            sandbox.templates_of(message["from"]), content["templateName"], content["language"]
        )
        problems.update(templates.check(template, content, f"messages[{index}].content"))
        if template is not None:
            found.append(template)
    if problems:
        return bad_request(problems)
    bulk_id = str(request.body.get("bulkId") or uuid.uuid4())[:_BULK_ID_LIMIT]
    answers = []
    for message, template in zip(messages, found, strict=True):
        text = _render(template, message["content"]["templateData"]["body"]["placeholders"])
        answers.append(sandbox.accept_whatsapp(message, text))
    return Answer(200, {"messages": answers, "bulkId": bulk_id}, "accepted")


def list_templates(sandbox: Sandbox, request: Request) -> Answer:
    """The sender's approved templates, in the order they were added."""
    listed = [
        template.listing() for template in sandbox.templates_of(request.path_params["sender"])
    ]
    return Answer(200, {"templates": listed}, "ok")
