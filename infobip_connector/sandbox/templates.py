"""Approved WhatsApp templates of the emulated account, and the check of a template send.

Every sender starts with the same seeded templates (``SEEDED``) but ``NO_TEMPLATES_SENDER``,
which starts with none; ``Sandbox.add_template`` adds more. A send must name an approved
template of its sender in its language, give exactly as many body placeholders as the
template's body has ``{{n}}``, a header of the template's header format (with a placeholder
when the header text has one) and one button per button that takes values (URL with a
``{{1}}`` in its address, quick reply, copy code, flow, catalog, multi-product, voice call),
of its type and with the members that type requires, in order. Anything else is answered 400
with validation errors by field path, in the ``requestError.serviceException`` shape of the
endpoint's published 400 answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .order_details import order_problems, order_status_problems, payment_problems

_PLACEHOLDER = re.compile(r"\{\{\d+\}\}")
#: The header formats a template may have, each with the members a send's header of that
#: type must give (``Template*HeaderContent`` of the OpenAPI description; a TEXT header's
#: placeholder only when the header text has one).
HEADER_MEMBERS: dict[str, tuple[str, ...]] = {
    "TEXT": ("placeholder",),
    "DOCUMENT": ("mediaUrl",),
    "IMAGE": ("mediaUrl",),
    "VIDEO": ("mediaUrl",),
    "GIF": ("mediaUrl",),
    "LOCATION": ("latitude", "longitude"),
}
# The WhatsApp Business Account every seeded template belongs to (invented).
BUSINESS_ACCOUNT_ID = 111222333444555


@dataclass(frozen=True)
class Button:
    """``type`` is QUICK_REPLY, URL, COPY_CODE, FLOW, CATALOG, MULTI_PRODUCT, VOICE_CALL or
    ORDER_DETAILS; a URL button is dynamic when its ``url`` has a placeholder; every other type
    always takes values in a send (a parameter, a flow token, products, a call's settings, an
    order)."""

    type: str
    text: str
    url: str | None = None
    # An ORDER_DETAILS button's payment region, BRAZIL or INDIA (``OrderDetailsButtonApiData``
    # of the template listing requires it).
    variant: str | None = None

    def __post_init__(self) -> None:
        if (self.type == "ORDER_DETAILS") != (self.variant in ("BRAZIL", "INDIA")):
            raise ValueError("an ORDER_DETAILS button, and only one, has variant BRAZIL or INDIA")

    @property
    def dynamic(self) -> bool:
        return self.type != "URL" or bool(self.url and _PLACEHOLDER.search(self.url))

    def structure(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"type": self.type, "text": self.text}
        if self.url is not None:
            shown["url"] = self.url
        if self.variant is not None:
            shown["variant"] = self.variant
        return shown


@dataclass(frozen=True)
class Template:
    """An approved template; ``header_format`` is one of ``HEADER_MEMBERS`` (TEXT, DOCUMENT,
    IMAGE, VIDEO, GIF or LOCATION), or None; any other is a ValueError."""

    name: str
    language: str
    body: str
    category: str = "UTILITY"
    header_format: str | None = None
    header_text: str | None = None
    buttons: tuple[Button, ...] = ()
    id: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.header_format is not None and self.header_format not in HEADER_MEMBERS:
            known = ", ".join(HEADER_MEMBERS)
            raise ValueError(f"header_format must be one of {known}, not {self.header_format!r}")

    @property
    def body_placeholders(self) -> int:
        return len(_PLACEHOLDER.findall(self.body))

    def structure(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"body": {"text": self.body}, "type": "TEXT"}
        if self.header_format is not None:
            header: dict[str, Any] = {"format": self.header_format}
            if self.header_format == "TEXT":
                header["text"] = self.header_text or ""
            shown["header"] = header
            shown["type"] = self.header_format
        if self.buttons:
            shown["buttons"] = [button.structure() for button in self.buttons]
        return shown

    def listing(self) -> dict[str, Any]:
        """The template as ``GET /whatsapp/2/senders/{sender}/templates`` lists it."""
        return {
            "id": self.id,
            "businessAccountId": BUSINESS_ACCOUNT_ID,
            "name": self.name,
            "language": self.language,
            "status": "APPROVED",
            "category": self.category,
            "structure": self.structure(),
            "quality": "HIGH",
        }


#: The one sender that starts without approved templates, so the "no approved template"
#: case of a template picker (an empty list) and of a send can be tried from the CLI or
#: ``--sandbox`` as well; ``Sandbox.add_template`` still approves templates for it.
NO_TEMPLATES_SENDER = "447860099300"

SEEDED: tuple[Template, ...] = (
    Template("welcome", "en", "Hello {{1}}, welcome to our service!", id="1000000001"),
    Template("welcome", "de", "Hallo {{1}}, willkommen bei unserem Service!", id="1000000002"),
    Template(
        "order_update",
        "en",
        "Your order {{1}} is {{2}}. Expected delivery: {{3}}.",
        header_format="TEXT",
        header_text="Order {{1}}",
        buttons=(
            Button("URL", "Track order", "https://example.com/track/{{1}}"),
            Button("QUICK_REPLY", "Contact support"),
        ),
        id="1000000003",
    ),
    Template(
        "verification_code",
        "en",
        "{{1}} is your verification code.",
        category="AUTHENTICATION",
        buttons=(Button("URL", "Copy code", "https://www.whatsapp.com/otp/code/?otp={{1}}"),),
        id="1000000004",
    ),
    Template(
        "order_payment",
        "en",
        "Your order {{1}} is ready. Review it and pay below.",
        buttons=(Button("ORDER_DETAILS", "Review and pay", variant="INDIA"),),
        id="1000000005",
    ),
)


def find(templates: list[Template], name: str, language: str) -> Template | None:
    for template in templates:
        if template.name == name and template.language == language:
            return template
    return None


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def check(template: Template | None, content: dict[str, Any], path: str) -> dict[str, list[str]]:
    """What is wrong with a send of ``content`` (a ``TemplateContent``) for ``template``,
    by field path under ``path`` (``messages[0].content``); empty when it matches."""
    data = content["templateData"]
    # An order status's own rules hold whatever the template: told with every other fault.
    problems = order_status_problems(data, f"{path}.templateData")
    if template is None:
        problems[f"{path}.templateName"] = [
            "template does not exist or is not approved for this sender and language"
        ]
        return problems
    placeholders = data["body"]["placeholders"]
    if len(placeholders) != template.body_placeholders:
        problems[f"{path}.templateData.body.placeholders"] = [
            f"template has {_count(template.body_placeholders, 'placeholder')}, "
            f"got {len(placeholders)}"
        ]
    _check_header(template, data.get("header"), f"{path}.templateData.header", problems)
    _check_buttons(template, data.get("buttons") or [], f"{path}.templateData.buttons", problems)
    return problems


def _check_header(
    template: Template, header: dict[str, Any] | None, path: str, problems: dict[str, list[str]]
) -> None:
    wanted = template.header_format
    needs_value = wanted is not None and (
        wanted != "TEXT" or bool(_PLACEHOLDER.search(template.header_text or ""))
    )
    if header is None:
        if needs_value:
            problems[path] = [f"template has a {wanted} header; it must be given"]
        return
    if wanted is None or header["type"] != wanted:
        problems[f"{path}.type"] = [f"template header is {wanted or 'absent'}"]
    elif wanted == "TEXT":
        if needs_value and not header.get("placeholder"):
            problems[f"{path}.placeholder"] = ["must not be blank"]
    else:
        for member in HEADER_MEMBERS[wanted]:
            if header.get(member) in (None, ""):
                problems[f"{path}.{member}"] = ["must not be blank"]


#: What each button type must carry, and ``parameter``'s limit where the OpenAPI description
#: gives one (``TemplateQuickReplyButtonContent``, ``TemplateCopyCodeButtonContent``, ...).
_BUTTON_NEEDS = {
    "QUICK_REPLY": "parameter",
    "URL": "parameter",
    "COPY_CODE": "parameter",
    "MULTI_PRODUCT": "sections",
    "ORDER_DETAILS": "action",
}
_PARAMETER_LIMITS = {"QUICK_REPLY": 128, "COPY_CODE": 15}


def _check_button_members(
    buttons: list[dict[str, Any]], path: str, problems: dict[str, list[str]]
) -> None:
    for index, button in enumerate(buttons):
        needed = _BUTTON_NEEDS.get(button["type"])
        if needed is not None and button.get(needed) is None:
            problems[f"{path}[{index}].{needed}"] = ["must not be null"]
        if button["type"] == "ORDER_DETAILS" and button.get("action") is not None:
            problems.update(payment_problems(button["action"], f"{path}[{index}].action"))
            problems.update(order_problems(button["action"], f"{path}[{index}].action"))
        limit = _PARAMETER_LIMITS.get(button["type"])
        parameter = button.get("parameter")
        # Lengths in UTF-16 code units, as the live service measures them.
        units = len(parameter.encode("utf-16-le", "surrogatepass")) // 2 if parameter else 0
        if limit is not None and units > limit:
            problems[f"{path}[{index}].parameter"] = [f"size must be between 0 and {limit}"]


def _check_buttons(
    template: Template, buttons: list[dict[str, Any]], path: str, problems: dict[str, list[str]]
) -> None:
    _check_button_members(buttons, path, problems)
    dynamic = [button for button in template.buttons if button.dynamic]
    if len(buttons) != len(dynamic):
        problems[path] = [
            f"template has {_count(len(dynamic), 'button')} taking a parameter, got {len(buttons)}"
        ]
        return
    for index, (given, expected) in enumerate(zip(buttons, dynamic, strict=True)):
        if given["type"] != expected.type:
            problems[f"{path}[{index}].type"] = [f"template button {index + 1} is {expected.type}"]
