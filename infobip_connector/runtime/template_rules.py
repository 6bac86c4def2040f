"""Rules of a WhatsApp template message's header and buttons that a JSON Schema cannot say.

Infobip's OpenAPI description (``send-whatsapp-template-message``) gives the header and each
button a ``type`` discriminator, and each type its own members and limits. The connector
declares one object with every member (an editor shows one form, engines read one plain
schema); these rules say which members each type takes. Each rule gets a schema-valid value
and returns problems as ``{"path": member below the value, "message": ...}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..definition.texts import over_limit, too_long

Problems = list[dict[str, str]]

#: Members of each header type: ``TemplateTextHeaderContent``, ``...DocumentHeader...``, ...
#: In the OpenAPI description every one of them is required for its type.
HEADER_MEMBERS: dict[str, tuple[str, ...]] = {
    "TEXT": ("placeholder",),
    "DOCUMENT": ("mediaUrl", "filename"),
    "IMAGE": ("mediaUrl",),
    "VIDEO": ("mediaUrl",),
    "GIF": ("mediaUrl",),
    "LOCATION": ("latitude", "longitude"),
}
_ALL_HEADER_MEMBERS = ("placeholder", "mediaUrl", "filename", "latitude", "longitude")

#: ``parameter`` limits per button type (UTF-16 code units), the OpenAPI description's
#: ``maxLength``. It gives none for a URL button's extension: that one is bounded by the
#: ``maxLength`` of every ``parameter`` in ``connector.yaml`` (2,000, WhatsApp's limit for a
#: whole button URL).
BUTTON_PARAMETER_LIMITS: dict[str, int] = {"QUICK_REPLY": 128, "COPY_CODE": 15}

#: The most buttons of a type one template may have (the description of ``buttons``).
BUTTON_TYPE_LIMITS: dict[str, tuple[int, str]] = {
    "URL": (2, "two dynamic URL buttons"),
    "COPY_CODE": (1, "one copy code button"),
}


def template_header(header: dict[str, Any], now: datetime) -> Problems:
    """The members of ``header`` are those of its ``type``: each given, no other."""
    kind = header["type"]
    wanted = HEADER_MEMBERS[kind]
    problems = [
        {"path": name, "message": f"is required when type is {kind}"}
        for name in wanted
        if name not in header
    ]
    takes = " and ".join(wanted)
    problems += [
        {"path": name, "message": f"does not belong to a header of type {kind} (it takes {takes})"}
        for name in _ALL_HEADER_MEMBERS
        if name in header and name not in wanted
    ]
    return problems


def template_button(button: dict[str, Any], now: datetime) -> Problems:
    """A button's ``parameter`` is within the limit of its ``type``."""
    limit = BUTTON_PARAMETER_LIMITS.get(button["type"])
    parameter = button["parameter"]
    if limit is not None and over_limit(parameter, limit):
        return [{"path": "parameter", "message": too_long(limit, parameter)}]
    return []


def template_buttons(buttons: list[dict[str, Any]], now: datetime) -> Problems:
    """At most two dynamic URL buttons and one copy code button per message."""
    problems = []
    for kind, (most, said) in BUTTON_TYPE_LIMITS.items():
        count = sum(1 for button in buttons if button.get("type") == kind)
        if count > most:
            problems.append(
                {
                    "path": "",
                    "message": f"has {count} {kind} buttons; a template has at most {said}",
                }
            )
    return problems
