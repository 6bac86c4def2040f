"""What the four scheduled-bulk actions share: the bulk they name and the answer about it.

Infobip's ``/sms/1/bulks`` and ``/sms/1/bulks/status`` operations take the bulk as the
``bulkId`` query parameter (declared ``in: query`` in ``connector.yaml``, so the runtime
places it) and answer ``{bulkId, sendAt}`` or ``{bulkId, status}``, both members optional
in the published schemas (``BulkResponse``, ``BulkStatusResponse``).
"""

from __future__ import annotations

from typing import Any

from ..request import InfobipRequest

BULKS = "/sms/1/bulks"
STATUS = "/sms/1/bulks/status"


def request(method: str, path: str, values: dict[str, Any], body: Any = None) -> InfobipRequest:
    """The request about the bulk ``values["bulkId"]``; the ID is its reference.

    The reference names the bulk alone (a scheduled bulk's messages are not in the request),
    so an unknown outcome tells the person which bulk to look up.
    """
    return InfobipRequest(method, path, body, {"bulkId": values["bulkId"]})


def answer(body: Any, request: InfobipRequest) -> Any:
    """Infobip's answer, with the bulk ID filled in when it left it out.

    Raises ValueError when the answer names another bulk: it says nothing about the one
    asked for (the runtime reports that as an unknown outcome with the bulk ID).
    """
    if not isinstance(body, dict):
        return body  # the output check refuses it
    asked = request.reference["bulkId"]
    named = body.get("bulkId")
    if named is None:
        return {"bulkId": asked, **body}
    if named != asked:
        raise ValueError("Infobip's answer names another bulk")
    return body
