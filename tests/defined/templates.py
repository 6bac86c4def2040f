"""Test executor: ``GET /whatsapp/2/senders/{sender}/templates`` and a template-name picker.

``templateNames`` is an options source: the same read, shaped into ``{value, label}``.
"""

from __future__ import annotations

from typing import Any

from infobip_connector.request import InfobipRequest, OptionsSource

PATH = "/whatsapp/2/senders/{sender}/templates"


def build_request(values: dict[str, Any]) -> InfobipRequest:
    return InfobipRequest("GET", PATH)


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return body


def _templates_request(depends: dict[str, Any]) -> InfobipRequest:
    return InfobipRequest("GET", PATH, path_params={"sender": str(depends["messages[].from"])})


def _template_options(body: Any, request: InfobipRequest) -> list[dict[str, str]]:
    return [
        {"value": t["name"], "label": f"{t['name']} ({t['language']})"} for t in body["templates"]
    ]


templateNames = OptionsSource(_templates_request, _template_options)
