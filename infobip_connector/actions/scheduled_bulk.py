"""What the four scheduled-bulk actions share: the bulk they name and the answer about it.

Infobip's ``/sms/1/bulks`` and ``/sms/1/bulks/status`` operations take the bulk as the
``bulkId`` query parameter (declared ``in: query`` in ``connector.yaml``, so the runtime
places it) and answer ``{bulkId, sendAt}`` or ``{bulkId, status}``, both members optional
in the published schemas (``BulkResponse``, ``BulkStatusResponse``).

The answer is checked here, before the output is shaped, on the two things it is about:
the bulk it names (compared after the shaping rule's one lossless conversion, so ``12``
names the bulk ``"12"``) and, for ``/sms/1/bulks``, the time the bulk is to be sent (a
date-time, never converted from a number). Either one unusable is an unknown outcome
naming the field, in its own words.
"""

from __future__ import annotations

from typing import Any

from ..errors import UnreadableAnswer
from ..request import InfobipRequest
from ..runtime.timeutil import parse_instant
from .answer_fields import filled

BULKS = "/sms/1/bulks"
STATUS = "/sms/1/bulks/status"


def request(method: str, path: str, values: dict[str, Any], body: Any = None) -> InfobipRequest:
    """The request about the bulk ``values["bulkId"]``; the ID is its reference.

    The reference names the bulk alone (a scheduled bulk's messages are not in the request),
    so an unknown outcome tells the person which bulk to look up.
    """
    return InfobipRequest(method, path, body, {"bulkId": values["bulkId"]})


def answer(body: Any, request: InfobipRequest) -> Any:
    """Infobip's answer, with the bulk ID filled in when it left it out or gave ``null``
    (the output rule: a field not given).

    A whole-number ``bulkId`` is read as its digits, as the shaping rule converts it.
    Raises UnreadableAnswer (an unknown outcome with the bulk ID and the path) when the answer
    names another bulk, which says nothing about the one asked for, or when a
    ``/sms/1/bulks`` answer's ``sendAt`` is given but is not an ISO-8601 date-time text
    with its offset (a missing one is left to the output check, which requires it).
    """
    if not isinstance(body, dict):
        return body  # the output check refuses it
    asked = request.reference["bulkId"]
    named = body.get("bulkId")
    if named is None:
        body = filled(body, "bulkId", asked)
    elif (str(named) if type(named) is int else named) != asked:
        raise UnreadableAnswer("bulkId", "names another bulk than the one asked for")
    send_at = body.get("sendAt")
    if request.path == BULKS and send_at is not None and not _date_time(send_at):
        raise UnreadableAnswer("sendAt", "is not a date-time with its offset")
    return body


def _date_time(value: Any) -> bool:
    """Whether ``value`` is a date-time text carrying its offset (Infobip writes
    ``2026-12-01T08:00:00.000+0000``); a number is none, whatever it counts."""
    if not isinstance(value, str):
        return False
    try:
        parse_instant(value)
    except ValueError:
        return False
    return True
