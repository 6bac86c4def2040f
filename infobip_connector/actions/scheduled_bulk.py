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
from ..runtime.problems import shown
from ..runtime.shaping import json_kind
from .answer_fields import filled
from .answer_times import date_time_fault

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

    A whole-number ``bulkId`` is read as its digits, as the shaping rule converts it (past
    64 bits a send's answer reaches here as a float, refused, then again with every digit:
    ``ActionRuntime._shape``).
    Raises UnreadableAnswer (an unknown outcome with the bulk ID and the path) when the
    answer's ``bulkId`` names no bulk (``true``, ``""``, a list, a fraction) or another bulk
    than the one asked for, either of which says nothing about the bulk asked for, or when a
    ``/sms/1/bulks`` answer's ``sendAt`` is given but is not a date-time text with its
    offset (a missing one is left to the output check, which requires it).
    """
    if not isinstance(body, dict):
        return body  # the output check refuses it
    asked = request.reference["bulkId"]
    named = body.get("bulkId")
    if named is None:
        body = filled(body, "bulkId", asked)
    else:
        named = str(named) if type(named) is int else named
        if not isinstance(named, str) or not named.strip():
            raise UnreadableAnswer("bulkId", f"is not a bulk ID (given {_shown(named)})")
        if named != asked:
            raise UnreadableAnswer("bulkId", "names another bulk than the one asked for")
    send_at = body.get("sendAt")
    if request.path == BULKS and send_at is not None:
        fault = date_time_fault(send_at)
        if fault is not None:
            raise UnreadableAnswer("sendAt", fault)
    return body


def _shown(value: Any) -> str:
    """What a value that is no bulk ID is, in words: ``true``, ``empty text``, ``a list``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "blank text" if value else "empty text"
    return json_kind(value)


def status_warnings(output: dict[str, Any], request: InfobipRequest) -> list[str]:
    """What to warn about in the output of a status change (``request`` asked for one):
    an answer naming another status than the one asked for. Infobip's status is the output
    as given (it is the bulk's state now, e.g. CANCELED before the pause arrived); the
    statuses are named by value, as they are no secrets, Infobip's cut to 60 characters."""
    asked = request.body["status"] if isinstance(request.body, dict) else None
    given = output.get("status")
    if asked is None or given is None or given == asked:
        return []
    return [
        f"asked for the status {shown(asked)} of bulk {request.reference['bulkId']}, Infobip "
        f"answered {shown(given)}; the output keeps Infobip's status: check the bulk's status"
    ]
