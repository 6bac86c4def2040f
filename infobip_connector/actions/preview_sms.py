"""Preview SMS: ``POST /sms/1/preview`` (Infobip's ``preview-sms-message``), a read.

The body is the validated values as they are (``text``, ``languageCode``,
``transliteration``); the answer (``originalText``, ``previews[]``) is the output.
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest

PATH = "/sms/1/preview"


def build_request(values: dict[str, Any]) -> InfobipRequest:
    return InfobipRequest("POST", PATH, values)


def shape_output(body: Any, request: InfobipRequest) -> Any:
    return body
