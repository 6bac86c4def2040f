"""Send WhatsApp Template Message: ``POST /whatsapp/1/message/template``.

Infobip's operation ``send-whatsapp-template-message`` takes ``{messages: [...], bulkId}``
and answers ``{messages: [{to, messageCount, messageId, status}], bulkId}``.

The template picker (``templateNames``) and the language picker (``templateLanguages``) take
their options from ``get-whatsapp-templates`` (``GET /whatsapp/2/senders/{sender}/templates``),
answered ``{templates: [{name, language, status, ...}]}``.
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest, NoSuchChoice, OptionsSource
from ..runtime.timeutil import infobip_datetime, parse_instant
from .answer_fields import filled

PATH = "/whatsapp/1/message/template"
TEMPLATES_PATH = "/whatsapp/2/senders/{sender}/templates"


def build_request(values: dict[str, Any]) -> InfobipRequest:
    """The body as given. ``values`` are checked and complete: ``bulkId`` and every
    ``messageId`` assigned, and ``templateData.body.placeholders`` filled when left empty
    (``sentWhenEmpty``), so the reference names every message for reconciling an unknown
    outcome. A limited-time offer's ``expirationTime`` (checked to carry its offset) is written
    as Infobip reads date-times."""
    reference = {
        "bulkId": values["bulkId"],
        "messageIds": [m["messageId"] for m in values["messages"]],
    }
    messages = [_message(m) for m in values["messages"]]
    return InfobipRequest("POST", PATH, {**values, "messages": messages}, reference)


def _message(message: dict[str, Any]) -> dict[str, Any]:
    data = message["content"].get("templateData", {})
    offer = data.get("limitedTimeOffer")
    if offer is None:
        return message
    expires = infobip_datetime(parse_instant(offer["expirationTime"]))
    data = {**data, "limitedTimeOffer": {**offer, "expirationTime": expires}}
    return {**message, "content": {**message["content"], "templateData": data}}


def shape_output(body: Any, request: InfobipRequest) -> Any:
    """Infobip's answer has the declared shape; the bulk ID is filled when it is left out
    or ``null`` (Infobip names it only for more than one message)."""
    return filled(body, "bulkId", request.reference["bulkId"])


# ---------------------------------------------------------------- options of the pickers

SENDER = "messages[].from"
TEMPLATE_NAME = "messages[].content.templateName"


def _templates_request(depends: dict[str, Any]) -> InfobipRequest:
    """The read of the sender's templates; ``depends[SENDER]`` is checked and normalised."""
    return InfobipRequest("GET", TEMPLATES_PATH, path_params={"sender": depends[SENDER]})


def _approved(body: Any) -> list[dict[str, Any]]:
    """The approved templates of a templates answer, each with a text ``name`` and ``language``.

    Templates of any other status (pending, rejected, paused, disabled) cannot be sent. An
    answer of another shape raises here, which the options runtime reports as such.
    """
    return [
        t
        for t in body["templates"]
        if t.get("status") == "APPROVED"
        and isinstance(t.get("name"), str)
        and isinstance(t.get("language"), str)
    ]


def _name_options(body: Any, request: InfobipRequest) -> list[dict[str, str]]:
    """One option per approved template name, in Infobip's order, labelled with its languages."""
    languages: dict[str, set[str]] = {}
    for template in _approved(body):
        languages.setdefault(template["name"], set()).add(template["language"])
    return [
        {"value": name, "label": f"{name} ({', '.join(sorted(codes))})"}
        for name, codes in languages.items()
    ]


def _languages_request(depends: dict[str, Any]) -> InfobipRequest:
    # The chosen name rides along in the reference: the shaper keeps that template's languages.
    request = _templates_request(depends)
    return InfobipRequest(
        request.method,
        request.path,
        reference={"templateName": depends[TEMPLATE_NAME]},
        path_params=request.path_params,
    )


def _language_options(body: Any, request: InfobipRequest) -> list[dict[str, str]]:
    """The languages the chosen template is approved in.

    Raises NoSuchChoice at the template name when the sender has no approved template of
    that name: an empty list would read as "a template without languages".
    """
    name = request.reference["templateName"]
    codes = sorted({t["language"] for t in _approved(body) if t["name"] == name})
    if not codes:
        sender = request.path_params["sender"]
        raise NoSuchChoice(
            TEMPLATE_NAME,
            f"sender {sender} has no approved template named {name!r}: pick one of its "
            "templates (the options of this property list them)",
        )
    return [{"value": code, "label": code} for code in codes]


#: ``messages[].content.templateName``: the sender's approved templates.
templateNames = OptionsSource(_templates_request, _name_options)
#: ``messages[].content.language``: the languages of the chosen template.
templateLanguages = OptionsSource(_languages_request, _language_options)
